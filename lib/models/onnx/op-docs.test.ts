/**
 * The README's ONNX op list is the registry's (no drift). Refresh after adding a converter:
 * node scripts/docs/onnx-ops.mjs   (= UPDATE_README=1 npx vitest run this file)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { onnxOpsSection, OPS_BEGIN, OPS_END, refreshOpsDocs } from './op-docs';
import { SUPPORTED_OPS } from './ops';

const README = join(__dirname, '..', '..', '..', 'README.md');

describe('ONNX op docs', () => {
  it('name every supported op once, by family', () => {
    const text = onnxOpsSection();
    for (const op of SUPPORTED_OPS) expect(text).toMatch(new RegExp(`[ :,]${op}(,|$|\\n)`, 'm'));
    expect(text).toContain('- Padding and resizing: Pad, Resize');
    expect(SUPPORTED_OPS).toContain('Conv');
  });

  it('refresh only the text between the markers', () => {
    const fresh = refreshOpsDocs(`a\n${OPS_BEGIN}\nstale\n${OPS_END}\nb`);
    expect(fresh).toBe(`a\n${OPS_BEGIN}\n${onnxOpsSection()}\n${OPS_END}\nb`);
    expect(() => refreshOpsDocs('nothing')).toThrow(/no generated ONNX ops section/);
  });

  it('the README section matches the registry', () => {
    const readme = readFileSync(README, 'utf8');
    const fresh = refreshOpsDocs(readme);
    if (process.env.UPDATE_README === '1' && fresh !== readme) writeFileSync(README, fresh);
    else expect(readme, 'README is stale: run node scripts/docs/onnx-ops.mjs').toBe(fresh);
  });
});
