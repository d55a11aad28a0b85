/**
 * The project README must carry the section generated from the catalog (names, ranges, defaults, help,
 * caveats of every method), so the documentation cannot drift from the code. To refresh it after changing
 * or adding a method:  node scripts/docs/methods.mjs   (= UPDATE_README=1 npx vitest run this file)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getMethodMeta, listMethodMetas } from '@/lib/explain/catalog';
import {
  extractSection,
  methodDoc,
  methodsSection,
  paramLine,
  refreshDocs,
  SECTION_BEGIN,
  SECTION_END,
} from './method-docs';

const README = join(__dirname, '..', '..', 'README.md');

describe('method docs', () => {
  it('list every parameter of every method with its range and default, and its caveats', () => {
    const rise = methodDoc(getMethodMeta('rise'));
    expect(rise).toContain('- **Masks** (`numMasks`): number from 1 to 20000 (whole numbers); default 500.');
    expect(rise).toContain('https://arxiv.org/abs/1806.07421');
    expect(rise).toContain('**When it misleads.** Slightly random');
    const ig = methodDoc(getMethodMeta('integrated-gradients'));
    expect(ig).toContain('default “Black image”');
    expect(paramLine('layer', { kind: 'layer', label: 'Layer', help: 'h' }, '')).toContain(
      'default the last spatial layer',
    );
    expect(listMethodMetas().length).toBeGreaterThan(0);
    for (const m of listMethodMetas()) {
      const doc = methodDoc(m);
      expect(doc.startsWith(`### ${m.label} (\`${m.id}\`)`)).toBe(true);
      for (const name of Object.keys(m.configSpec)) expect(doc).toContain(`(\`${name}\`)`);
    }
  });

  it('refreshes only the text between the one pair of markers', () => {
    const text = `intro\n${SECTION_BEGIN}\nstale\n${SECTION_END}\noutro`;
    const fresh = refreshDocs(text);
    expect(fresh.startsWith(`intro\n${SECTION_BEGIN}\n`)).toBe(true);
    expect(fresh.endsWith(`\n${SECTION_END}\noutro`)).toBe(true);
    expect(extractSection(fresh)).toBe(methodsSection());
    expect(() => refreshDocs('no markers')).toThrow(/no generated methods section/);
  });

  it('the README section matches the catalog (no drift)', () => {
    const text = readFileSync(README, 'utf8');
    if (process.env.UPDATE_README === '1') writeFileSync(README, refreshDocs(text));
    const now = readFileSync(README, 'utf8');
    expect(now.split(SECTION_BEGIN)).toHaveLength(2);
    expect(extractSection(now), 'README.md is stale: run node scripts/docs/methods.mjs').toBe(methodsSection());
    // One block per method, in catalog order.
    const headings = [...(extractSection(now) ?? '').matchAll(/^### .* \(`([a-z0-9-]+)`\)$/gm)].map((m) => m[1]);
    expect(headings).toEqual(listMethodMetas().map((m) => m.id));
  });
});
