/**
 * The project README must carry, for each method, the block generated from the registry (names, ranges,
 * defaults, help), so the documentation cannot drift from the code. To refresh it after changing a method:
 *   UPDATE_README=1 npx vitest run lib/explain-view/method-docs.test.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getMethod, METHODS } from '@/lib/explain/registry';
import { extractDoc, methodDoc, paramLine, refreshDocs } from './method-docs';

const README = join(__dirname, '..', '..', 'README.md');

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
    for (const file of [README]) {
      const text = readFileSync(file, 'utf8');
      if (process.env.UPDATE_README === '1') writeFileSync(file, refreshDocs(text));
      else for (const m of METHODS) expect(extractDoc(text, m.id), `${file}: block for ${m.id}`).toBe(methodDoc(m));
    }
  });
});
