/**
 * Vitest global setup (once per `vitest` run, before any test file): brings the ONNX test corpus up to date.
 * Cheap when it is fresh (one hash over the export script and the bundled models, ~2 MB).
 *
 * When the export fails (no python3-torchvision / python3-onnx), the stale corpus is removed and the reason
 * is written to .corpus/onnx.error: the ONNX tests then fail with that reason, while unrelated tests run.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureCorpus } from './ensure-corpus.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const ERROR = path.join(ROOT, '.corpus', 'onnx.error');

export default function setup() {
  try {
    ensureCorpus();
    fs.rmSync(ERROR, { force: true });
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    console.error(msg);
    fs.rmSync(path.join(ROOT, '.corpus', 'onnx'), { recursive: true, force: true });
    fs.mkdirSync(path.dirname(ERROR), { recursive: true });
    fs.writeFileSync(ERROR, msg);
  }
}
