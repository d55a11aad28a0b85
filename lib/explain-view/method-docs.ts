/**
 * Plain-language documentation of every explanation method, generated from the catalog (label,
 * description, help, paper link, requirements, each parameter's configSpec: name, kind, range, default, help,
 * and the "when it misleads" paragraph), so the README cannot drift from the code. The README holds ONE
 * generated section between `SECTION_BEGIN` and `SECTION_END` (all methods, in catalog order);
 * method-docs.test.ts checks it, and `node scripts/docs/methods.mjs` rewrites it.
 */
import type { MethodMeta, ParamSpec } from '@/lib/explain/types';
import { listMethodMetas } from '@/lib/explain/catalog';

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

/** The generated block for one method. */
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
    '',
    `**When it misleads.** ${m.misleads}`,
  ];
  return lines.join('\n');
}

export const SECTION_BEGIN =
  '<!-- generated:methods (from lib/explain/methods/*/meta.ts; refresh: node scripts/docs/methods.mjs) -->';
export const SECTION_END = '<!-- /generated:methods -->';

/** The whole generated section (every method of the catalog, in order), without the markers. */
export function methodsSection(methods: readonly MethodMeta[] = listMethodMetas()): string {
  return methods.map(methodDoc).join('\n\n');
}

/** `text` with its generated section replaced by the current one; throws when the markers are missing. */
export function refreshDocs(text: string, methods: readonly MethodMeta[] = listMethodMetas()): string {
  const a = text.indexOf(SECTION_BEGIN);
  const b = text.indexOf(SECTION_END);
  if (a < 0 || b < a) throw new Error(`README has no generated methods section (${SECTION_BEGIN} … ${SECTION_END})`);
  return `${text.slice(0, a + SECTION_BEGIN.length)}\n${methodsSection(methods)}\n${text.slice(b)}`;
}

/** The generated section found in `text` (trimmed), or null when the markers are missing. */
export function extractSection(text: string): string | null {
  const a = text.indexOf(SECTION_BEGIN);
  const b = text.indexOf(SECTION_END);
  if (a < 0 || b < a) return null;
  return text.slice(a + SECTION_BEGIN.length, b).trim();
}
