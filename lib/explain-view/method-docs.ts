/**
 * Plain-language documentation of every explanation method, generated from the registry (label,
 * description, help, paper link, and each parameter's configSpec: name, kind, range, default, help), so the
 * README cannot drift from the code: method-docs.test.ts checks the project README.md against this text.
 */
import type { MethodMeta, ParamSpec } from '@/lib/explain/types';
import { METHOD_METAS } from '@/lib/explain/catalog';

function fmt(v: unknown): string {
  if (v === null || v === undefined) return 'none';
  if (v === '') return 'the last spatial layer';
  if (Array.isArray(v)) return v.length ? v.join(', ') : 'none';
  return String(v);
}

/** One parameter as a Markdown list item. */
export function paramLine(name: string, spec: ParamSpec, def: unknown): string {
  const head = `- **${spec.label}** (\`${name}\`)`;
  let what: string;
  switch (spec.kind) {
    case 'number':
      what = `number from ${spec.min} to ${spec.max}${spec.integer ? ' (whole numbers)' : `, step ${spec.step}`}; default ${fmt(def)}`;
      break;
    case 'select': {
      const d = spec.options.find((o) => o.value === def)?.label ?? fmt(def);
      what = `one of ${spec.options.map((o) => `“${o.label}”`).join(', ')}; default “${d}”`;
      break;
    }
    case 'boolean':
      what = `on/off; default ${def ? 'on' : 'off'}`;
      break;
    case 'layer':
      what = `a convolutional layer of the model; default ${fmt(def)}`;
      break;
    case 'image':
      what = 'an image of the strip; default none';
      break;
    case 'classes':
      what = `a list of classes; default ${def === null ? 'automatic' : fmt(def)}`;
      break;
  }
  return `${head}: ${what}. ${spec.help}`;
}

const NEEDS: Record<string, string> = {
  inputGradients: 'gradients of the class score with respect to the pixels',
  layerGradients: 'a convolutional layer of the model and its gradients',
  logitsOnly: 'only the model’s outputs',
};

/** The generated block for one method (between the README's markers). */
export function methodDoc(m: MethodMeta): string {
  const lines = [
    `### ${m.label} (\`${m.id}\`)`,
    '',
    `*${m.description}*`,
    '',
    m.help,
    '',
    m.referenceUrl ? `Paper: ${m.referenceUrl}` : 'Paper: —',
    '',
    `Needs: ${m.requires.length ? m.requires.map((r) => NEEDS[r] ?? r).join(', ') : 'only the model’s outputs (works with any model)'}.`,
    '',
    'Parameters:',
    '',
    ...Object.entries(m.configSpec).map(([name, spec]) => paramLine(name, spec, m.defaultConfig[name])),
  ];
  return lines.join('\n');
}

export const beginMarker = (id: string) => `<!-- generated:method:${id} -->`;
export const endMarker = (id: string) => `<!-- /generated:method:${id} -->`;

/** `text` with every method's generated block replaced by the current one (blocks must already exist). */
export function refreshDocs(text: string, methods: readonly MethodMeta[] = METHOD_METAS): string {
  let out = text;
  for (const m of methods) {
    const a = out.indexOf(beginMarker(m.id));
    const b = out.indexOf(endMarker(m.id));
    if (a < 0 || b < a) throw new Error(`README has no generated block for ${m.id}`);
    out = `${out.slice(0, a + beginMarker(m.id).length)}\n${methodDoc(m)}\n${out.slice(b)}`;
  }
  return out;
}

/** The generated block of `id` found in `text`, or null. */
export function extractDoc(text: string, id: string): string | null {
  const a = text.indexOf(beginMarker(id));
  const b = text.indexOf(endMarker(id));
  if (a < 0 || b < a) return null;
  return text.slice(a + beginMarker(id).length, b).trim();
}
