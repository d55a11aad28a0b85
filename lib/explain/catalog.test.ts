import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compatibleMethods as catalogCompatible, getMethodMeta, isSigned, METHOD_METAS } from './catalog';
import { compatibleMethods, METHODS } from './registry';
import { ExplainError } from './types';
import type { ModelInfo } from '@/lib/models/types';

const here = dirname(fileURLToPath(import.meta.url));

function info(spatialLayers: string[]): ModelInfo {
  return { spatialLayers } as unknown as ModelInfo;
}

describe('catalog', () => {
  it('lists the same methods as the registry, in the same order, with identical metadata', () => {
    expect(METHOD_METAS.map((m) => m.id)).toEqual(METHODS.map((m) => m.id));
    expect(METHOD_METAS.map((m) => m.id)).toEqual([
      'saliency',
      'gradient-x-input',
      'smoothgrad',
      'integrated-gradients',
      'grad-cam',
      'grad-cam-plus-plus',
      'occlusion',
      'rise',
    ]);
    for (const meta of METHOD_METAS) {
      const full = METHODS.find((m) => m.id === meta.id);
      if (!full) throw new Error(meta.id);
      expect(full.label).toBe(meta.label);
      expect(full.help).toBe(meta.help);
      expect(full.description).toBe(meta.description);
      expect(full.referenceUrl).toBe(meta.referenceUrl);
      expect(full.defaultConfig).toBe(meta.defaultConfig);
      expect(full.configSpec).toBe(meta.configSpec);
      expect(full.signed).toBe(meta.signed);
      expect(full.isCompatible).toBe(meta.isCompatible);
      expect(typeof full.run).toBe('function');
      expect('run' in meta).toBe(false);
    }
  });

  it('looks methods up by id and rejects unknown ids', () => {
    expect(getMethodMeta('occlusion').label).toBe('Occlusion');
    expect(() => getMethodMeta('nope')).toThrow(ExplainError);
  });

  it('filters CAM methods for models without a spatial layer, like the registry', () => {
    const flat = catalogCompatible(info([])).map((m) => m.id);
    expect(flat).not.toContain('grad-cam');
    expect(flat).not.toContain('grad-cam-plus-plus');
    expect(flat).toHaveLength(6);
    expect(flat).toEqual(compatibleMethods(info([])).map((m) => m.id));
    expect(catalogCompatible(info(['conv'])).map((m) => m.id)).toEqual(METHODS.map((m) => m.id));
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

  it('imports no TensorFlow.js (it is what the page bundles)', () => {
    const src = readFileSync(join(here, 'catalog.ts'), 'utf8');
    const valueImports = [...src.matchAll(/^import\s+(?!type\b)[^;]*?from\s+'([^']+)'/gm)].map((m) => m[1]);
    expect(valueImports).toEqual(['./types']);
    expect(src).not.toMatch(/from '@tensorflow/);
    const types = readFileSync(join(here, 'types.ts'), 'utf8');
    expect([...types.matchAll(/^import\s+(?!type\b)[^;]*?from\s+'([^']+)'/gm)]).toHaveLength(0);
  });
});
