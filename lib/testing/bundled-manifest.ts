/**
 * The bundled models' manifest (models/manifest.json) for tests, read from disk (Node only). No `@/`
 * imports, so Playwright specs can import it by relative path too.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** models/manifest.json, as text. */
export const MANIFEST_TEXT = readFileSync(join(__dirname, '..', '..', 'models', 'manifest.json'), 'utf8');

/** The class names of bundled model `id`, in label order; throws when the manifest has no such model. */
export function bundledLabels(id: string): string[] {
  const manifest = JSON.parse(MANIFEST_TEXT) as { models: { id: string; labels: string[] }[] };
  const model = manifest.models.find((m) => m.id === id);
  if (!model) throw new Error(`models/manifest.json has no model "${id}"`);
  return model.labels;
}
