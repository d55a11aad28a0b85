import { describe, expect, it } from 'vitest';
import { infoFor, smallCnn } from '@/lib/testing/models';
import { compatibleMethods, getMethod, isSigned, listMethods } from './registry';
import { ExplainError, type ParamSpec } from './types';

describe('registry', () => {
  it('lists every method id once, with complete metadata and a spec for every config key', () => {
    const ids = listMethods().map((m) => m.id);
    expect(ids).toEqual(['saliency', 'gradient-x-input', 'smoothgrad', 'integrated-gradients', 'grad-cam', 'grad-cam-plus-plus', 'occlusion', 'rise']);
    for (const m of listMethods()) {
      expect(m.label.length).toBeGreaterThan(0);
      expect(m.description.length).toBeGreaterThan(10);
      expect(m.help.length).toBeGreaterThan(80);
      expect(m.referenceUrl).toMatch(/^https:\/\/arxiv\.org\/abs\//);
      expect(Object.keys(m.configSpec).sort()).toEqual(Object.keys(m.defaultConfig).sort());
      for (const [key, spec] of Object.entries(m.configSpec) as [string, ParamSpec][]) {
        if (spec.kind === 'number') {
          const v = m.defaultConfig[key] as number;
          expect(v, `${m.id}.${key}`).toBeGreaterThanOrEqual(spec.min);
          expect(v, `${m.id}.${key}`).toBeLessThanOrEqual(spec.max);
        }
        if (spec.kind === 'select') expect(spec.options.map((o) => o.value)).toContain(m.defaultConfig[key]);
      }
    }
  });

  it('getMethod finds by id and rejects unknown ids', () => {
    expect(getMethod('rise').id).toBe('rise');
    expect(() => getMethod('lime')).toThrow(ExplainError);
  });

  it('compatibleMethods drops CAM methods without spatial layers', () => {
    const info = infoFor(smallCnn(1));
    expect(compatibleMethods(info).length).toBe(8);
    expect(compatibleMethods({ ...info, spatialLayers: [] }).map((m) => m.id)).not.toContain('grad-cam');
  });

  it('isSigned follows the config', () => {
    expect(isSigned(getMethod('saliency'), {})).toBe(false);
    expect(isSigned(getMethod('saliency'), { absolute: false })).toBe(true);
    expect(isSigned(getMethod('integrated-gradients'), {})).toBe(true);
    expect(isSigned(getMethod('occlusion'), {})).toBe(true);
    expect(isSigned(getMethod('rise'), {})).toBe(false);
  });
});
