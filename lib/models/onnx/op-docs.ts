/**
 * The README's list of supported ONNX ops, generated from the converter registry (ops/index.ts) so it
 * cannot drift from the code. Refresh: `node scripts/docs/onnx-ops.mjs` (check only: `--check`; the check
 * also runs in `npm test` as op-docs.test.ts).
 */
import { FOLDED_OPS, OP_FAMILIES, SUPPORTED_OPS } from './ops';

export const OPS_BEGIN = '<!-- generated:onnx-ops (from lib/models/onnx/ops; refresh: node scripts/docs/onnx-ops.mjs) -->';
export const OPS_END = '<!-- /generated:onnx-ops -->';

const sorted = (ops: Iterable<string>): string[] => [...ops].sort((p, q) => p.localeCompare(q, 'en'));

/** The generated markdown (without the markers): one line per op family, then the host-only ops. */
export function onnxOpsSection(): string {
  const translated = new Set(OP_FAMILIES.flatMap((f) => Object.keys(f.ops)));
  const host = SUPPORTED_OPS.filter((op) => !translated.has(op));
  return [
    `Supported ONNX ops (${SUPPORTED_OPS.length}), by the file of \`lib/models/onnx/ops/\` that translates them:`,
    '',
    ...OP_FAMILIES.map((f) => `- ${f.title}: ${sorted(Object.keys(f.ops)).join(', ')}`),
    `- Evaluated at load time only (shapes and constants): ${host.join(', ')}`,
    '',
    `Folded on the host when every input is constant (the Shape → Gather → Unsqueeze → Concat idiom before a flatten): ${FOLDED_OPS.join(', ')}.`,
  ].join('\n');
}

/** `readme` with the text between the markers replaced by the generated section. Throws without the markers. */
export function refreshOpsDocs(readme: string): string {
  const a = readme.indexOf(OPS_BEGIN);
  const b = readme.indexOf(OPS_END);
  if (a < 0 || b < a) throw new Error(`README has no generated ONNX ops section (${OPS_BEGIN} … ${OPS_END})`);
  return `${readme.slice(0, a + OPS_BEGIN.length)}\n${onnxOpsSection()}\n${readme.slice(b)}`;
}
