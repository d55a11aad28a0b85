import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { capabilitiesOf } from './meta';
import {
  attributionFor,
  compatibleMethods as catalogCompatible,
  getMethodMeta,
  isMethodId,
  isSigned,
  METHOD_IDS,
  METHOD_METAS,
  methodChoices,
} from './catalog';
import { compatibleMethods, METHODS, RUNNABLE } from './registry';
import { ExplainError, type Attribution } from './types';
import type { ModelInfo } from '@/lib/models/types';

const here = dirname(fileURLToPath(import.meta.url));

function info(spatialLayers: string[]): ModelInfo {
  return { spatialLayers } as unknown as ModelInfo;
}

/** Relative value imports (not `import type`) of a source file. */
function valueImports(file: string): string[] {
  const src = readFileSync(file, 'utf8');
  return [...src.matchAll(/^import\s+(?!type\b)[^;]*?from\s+'([^']+)'/gm)].map((m) => m[1] as string);
}

/** Every file reachable from `entry` through value imports (relative and '@/'), with each file's imports. */
function importClosure(entry: string): Map<string, string[]> {
  const root = resolve(here, '..', '..');
  const seen = new Map<string, string[]>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    const imports = valueImports(file);
    seen.set(file, imports);
    for (const spec of imports) {
      if (!spec.startsWith('.') && !spec.startsWith('@/')) continue;
      const base = spec.startsWith('@/') ? join(root, spec.slice(2)) : resolve(dirname(file), spec);
      visit(`${base}.ts`);
    }
  };
  visit(entry);
  return seen;
}

describe('catalog', () => {
  it('has one folder per method under methods/, each with meta.ts, run.ts and run.test.ts', () => {
    const folders = readdirSync(join(here, 'methods'), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();
    expect(folders.length).toBeGreaterThan(0);
    expect([...METHOD_IDS].sort()).toEqual(folders);
    for (const id of folders) {
      const files = readdirSync(join(here, 'methods', id));
      for (const f of ['meta.ts', 'run.ts', 'run.test.ts']) expect(files, `${id}/${f}`).toContain(f);
    }
  });

  it('lists the same methods as the registry, in the same order, with identical metadata', () => {
    expect(METHOD_METAS.length).toBeGreaterThan(0);
    expect(METHODS.map((m) => m.id)).toEqual([...METHOD_IDS]);
    expect(new Set(METHOD_IDS).size).toBe(METHOD_IDS.length);
    expect(Object.keys(RUNNABLE).sort()).toEqual([...METHOD_IDS].sort());
    for (const meta of METHOD_METAS) {
      const full = METHODS.find((m) => m.id === meta.id);
      if (!full) throw new Error(meta.id);
      for (const key of Object.keys(meta) as (keyof typeof meta)[])
        expect(full[key], `${meta.id}.${key}`).toBe(meta[key]);
      expect(typeof full.run).toBe('function');
      expect('run' in meta).toBe(false);
    }
  });

  it('looks methods up by id and rejects unknown ids', () => {
    for (const id of METHOD_IDS) expect(getMethodMeta(id).id).toBe(id);
    expect(getMethodMeta('occlusion').label).toBe('Occlusion');
    expect(() => getMethodMeta('nope')).toThrow(ExplainError);
    expect(isMethodId('rise')).toBe(true);
    expect(isMethodId('lime')).toBe(false);
    expect(isMethodId(3)).toBe(false);
  });

  it('compatibility follows `requires`: layer gradients need a spatial layer, the rest work with any model', () => {
    expect(capabilitiesOf(info([]))).toEqual(['logitsOnly', 'inputGradients']);
    expect(capabilitiesOf(info(['conv']))).toEqual(['logitsOnly', 'inputGradients', 'layerGradients']);
    const needLayers = METHOD_METAS.filter((m) => m.requires.includes('layerGradients')).map((m) => m.id);
    expect(needLayers).toEqual(expect.arrayContaining(['grad-cam', 'grad-cam-plus-plus']));
    const flat = catalogCompatible(info([])).map((m) => m.id);
    expect(flat).toEqual(METHOD_IDS.filter((id) => !needLayers.includes(id)));
    expect(flat).toEqual(compatibleMethods(info([])).map((m) => m.id));
    expect(catalogCompatible(info(['conv'])).map((m) => m.id)).toEqual([...METHOD_IDS]);
  });

  it('with a probe result: refused methods drop out of compatibleMethods and are marked in methodChoices', () => {
    const refused = { ok: false, reason: "needs the 'UnsortedSegmentSum' kernel", elsewhere: ['cpu' as const], ms: 1 };
    const probe = { complete: false, methods: { saliency: refused, 'grad-cam': { ok: true, elsewhere: [], ms: 1 } } };
    const ids = catalogCompatible(info(['conv']), probe).map((m) => m.id);
    expect(ids).toEqual(METHOD_IDS.filter((id) => id !== 'saliency'));
    expect(compatibleMethods(info(['conv']), probe).map((m) => m.id)).toEqual(ids);
    const choices = methodChoices(info(['conv']), probe);
    expect(choices.map((c) => c.meta.id)).toEqual([...METHOD_IDS]);
    expect(choices.filter((c) => !c.runnable).map((c) => [c.meta.id, c.verdict?.reason])).toEqual([
      ['saliency', "needs the 'UnsortedSegmentSum' kernel"],
    ]);
    const occlusion = choices.find((c) => c.meta.id === 'occlusion');
    expect(occlusion).toMatchObject({ runnable: true, pending: true }); // not checked yet
    expect(occlusion?.verdict).toBeUndefined();
    expect(choices.find((c) => c.meta.id === 'grad-cam')).toMatchObject({ runnable: true, pending: false });
    const unprobed = methodChoices(info([]), null);
    expect(unprobed.map((c) => c.meta.id)).toEqual(catalogCompatible(info([])).map((m) => m.id));
    expect(unprobed.filter((c) => !c.runnable || c.pending)).toEqual([]);
  });

  it('says whether a map is signed from the config merged over the defaults', () => {
    const sal = getMethodMeta('saliency');
    expect(isSigned(sal, {})).toBe(false); // default: magnitude only
    expect(isSigned(sal, { absolute: false })).toBe(true);
    expect(isSigned(getMethodMeta('smoothgrad'), { absolute: false, magnitude: true })).toBe(false);
    expect(isSigned(getMethodMeta('smoothgrad'), { absolute: false })).toBe(true);
    expect(isSigned(getMethodMeta('occlusion'), {})).toBe(true);
    expect(isSigned(getMethodMeta('rise'), {})).toBe(false);
  });

  it('attributionFor types a result by its method id and refuses another method’s result', () => {
    const a = { method: 'integrated-gradients', extras: { completenessError: 0.01 } } as unknown as Attribution;
    expect(attributionFor('integrated-gradients', a).extras.completenessError).toBe(0.01);
    expect(() => attributionFor('grad-cam', a)).toThrow(/expected a grad-cam attribution/);
  });

  it('imports no TensorFlow.js, not even transitively (it is what the page bundles)', () => {
    const closure = importClosure(join(here, 'catalog.ts'));
    // catalog.ts, meta.ts, types.ts' re-export source and one meta.ts per method at least.
    expect(closure.size).toBeGreaterThan(METHOD_IDS.length);
    for (const id of METHOD_IDS) expect([...closure.keys()]).toContain(join(here, 'methods', id, 'meta.ts'));
    for (const [file, imports] of closure) {
      expect(
        imports.filter((s) => !s.startsWith('.') && !s.startsWith('@/')),
        file,
      ).toEqual([]);
      expect(readFileSync(file, 'utf8'), file).not.toMatch(/^import\s+(?!type\b)[^;]*from '@tensorflow/m);
    }
    // types.ts itself has no value imports (only `import type` and re-exports).
    expect(valueImports(join(here, 'types.ts'))).toEqual([]);
  });
});
