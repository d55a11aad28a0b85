/**
 * The README text for the Explain view must carry, for each method, the block generated from the registry.
 * The committed copy is lib/explain-view/README.md; tmp/README-explain.md (git-ignored, for the integrator)
 * is checked too when present. To refresh both after changing a method:
 *   UPDATE_README=1 npx vitest run lib/explain-view/method-docs.test.ts
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getMethod, METHODS } from '@/lib/explain/registry';
import { extractDoc, methodDoc, paramLine, refreshDocs } from './method-docs';

const README = join(__dirname, 'README.md');
const TMP_README = join(__dirname, '..', '..', 'tmp', 'README-explain.md');

describe('method docs', () => {
  it('list every parameter of every method with its range and default', () => {
    const rise = methodDoc(getMethod('rise'));
    expect(rise).toContain('- **Masks** (`numMasks`): number from 1 to 20000 (whole numbers); default 500.');
    expect(rise).toContain('https://arxiv.org/abs/1806.07421');
    const ig = methodDoc(getMethod('integrated-gradients'));
    expect(ig).toContain('default “Black image”');
    expect(paramLine('layer', { kind: 'layer', label: 'Layer', help: 'h' }, '')).toContain('default the last spatial layer');
    for (const m of METHODS) for (const name of Object.keys(m.configSpec)) expect(methodDoc(m)).toContain(`(\`${name}\`)`);
  });

  it('the README text matches the registry (no drift)', () => {
    for (const file of [README, TMP_README]) {
      if (file === TMP_README && !existsSync(file)) continue;
      const text = readFileSync(file, 'utf8');
      if (process.env.UPDATE_README === '1') writeFileSync(file, refreshDocs(text));
      else for (const m of METHODS) expect(extractDoc(text, m.id), `${file}: block for ${m.id}`).toBe(methodDoc(m));
    }
  });
});
