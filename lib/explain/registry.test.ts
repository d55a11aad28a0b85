import { describe, expect, it } from 'vitest';
import { infoFor, smallCnn } from '@/lib/testing/models';
import { METHOD_IDS } from './catalog';
import { compatibleMethods, getMethod, isSigned, listMethods } from './registry';
import { ExplainError, type ParamSpec } from './types';
import { validateConfig } from './validate';

describe('registry', () => {
  it('lists every catalog id once, with complete metadata and a spec for every config key', () => {
    const ids = listMethods().map((m) => m.id);
    expect(ids).toEqual([...METHOD_IDS]);
    expect(ids.length).toBeGreaterThan(0);
    for (const m of listMethods()) {
      expect(m.label.length).toBeGreaterThan(0);
      expect(m.description.length).toBeGreaterThan(10);
      expect(m.help.length).toBeGreaterThan(80);
      expect(m.misleads.length, m.id).toBeGreaterThan(60);
      expect(m.referenceUrl).toMatch(/^https:\/\/arxiv\.org\/abs\//);
      expect(Object.keys(m.configSpec).sort()).toEqual(Object.keys(m.defaultConfig).sort());
      for (const key of Object.keys(m.quickConfig))
        expect(Object.keys(m.defaultConfig), `${m.id}.quickConfig.${key}`).toContain(key);
      // The defaults and the quick config are valid under the method's own spec.
      expect(() => validateConfig(m.configSpec, m.defaultConfig, 10)).not.toThrow();
      expect(() => validateConfig(m.configSpec, { ...m.defaultConfig, ...m.quickConfig }, 10)).not.toThrow();
      for (const [key, spec] of Object.entries(m.configSpec) as [string, ParamSpec][]) {
        if (spec.kind === 'number') {
          const v = m.defaultConfig[key] as number;
          expect(v, `${m.id}.${key}`).toBeGreaterThanOrEqual(spec.min);
          expect(v, `${m.id}.${key}`).toBeLessThanOrEqual(spec.max);
        }
        if (spec.kind === 'select') expect(spec.options.map((o) => o.value)).toContain(m.defaultConfig[key]);
      }
      const cost = m.cost(m.defaultConfig, [28, 28, 1]);
      expect(cost.fe, m.id).toBeGreaterThan(0);
      expect(cost.formula.length, m.id).toBeGreaterThan(0);
    }
  });

  it('getMethod finds by id and rejects unknown ids', () => {
    for (const id of METHOD_IDS) expect(getMethod(id).id).toBe(id);
    expect(() => getMethod('lime')).toThrow(ExplainError);
  });

  it('compatibleMethods drops the methods needing layer gradients without spatial layers', () => {
    const info = infoFor(smallCnn(1));
    expect(compatibleMethods(info).map((m) => m.id)).toEqual([...METHOD_IDS]);
    const flat = compatibleMethods({ ...info, spatialLayers: [] }).map((m) => m.id);
    expect(flat).not.toContain('grad-cam');
    expect(flat).toEqual(
      listMethods()
        .filter((m) => !m.requires.includes('layerGradients'))
        .map((m) => m.id),
    );
  });

  it('isSigned follows the config', () => {
    expect(isSigned(getMethod('saliency'), {})).toBe(false);
    expect(isSigned(getMethod('saliency'), { absolute: false })).toBe(true);
    expect(isSigned(getMethod('integrated-gradients'), {})).toBe(true);
    expect(isSigned(getMethod('occlusion'), {})).toBe(true);
    expect(isSigned(getMethod('rise'), {})).toBe(false);
  });
});

describe('validateConfig (the spec is the one source of truth)', () => {
  it('rejects values the spec does not allow, naming the parameter and range', () => {
    const occ = getMethod('occlusion');
    const ok = { ...occ.defaultConfig };
    expect(() => validateConfig(occ.configSpec, { ...ok, windowSize: 513 }, 10)).toThrow(
      /windowSize must be an integer in \[1, 512\], got 513/,
    );
    expect(() => validateConfig(occ.configSpec, { ...ok, windowSize: 512 }, 10)).not.toThrow();
    expect(() => validateConfig(occ.configSpec, { ...ok, stride: 2.5 }, 10)).toThrow(ExplainError);
    expect(() => validateConfig(occ.configSpec, { ...ok, fill: 'pink' }, 10)).toThrow(
      /fill must be one of "zero", "mean", "blur", "grey"|fill must be one of/,
    );
    expect(() => validateConfig(occ.configSpec, { ...ok, classes: [10] }, 10)).toThrow(/out of range/);
    expect(() => validateConfig(occ.configSpec, { ...ok, classes: [9] }, 10)).not.toThrow();
    const ig = getMethod('integrated-gradients');
    expect(() => validateConfig(ig.configSpec, { ...ig.defaultConfig, steps: 1025 }, 10)).toThrow(/steps/);
    expect(() => validateConfig(ig.configSpec, { ...ig.defaultConfig, steps: Number.NaN }, 10)).toThrow(/steps/);
    expect(() => validateConfig(ig.configSpec, { ...ig.defaultConfig, baselineImage: { width: 1 } }, 10)).toThrow(
      /baselineImage/,
    );
    const sal = getMethod('saliency');
    expect(() => validateConfig(sal.configSpec, { ...sal.defaultConfig, absolute: 'yes' }, 10)).toThrow(
      /absolute must be true or false/,
    );
    const cam = getMethod('grad-cam');
    expect(() => validateConfig(cam.configSpec, { layer: 3 }, 10)).toThrow(/layer/);
    const rise = getMethod('rise');
    expect(() => validateConfig(rise.configSpec, { ...rise.defaultConfig, p: 0.01 }, 10)).toThrow(
      /p must be a number in \[0\.05, 0\.95\]/,
    );
  });
});
