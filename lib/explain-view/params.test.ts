import { describe, expect, it } from 'vitest';
import { getMethod, METHODS } from '@/lib/explain/registry';
import { describeParams, normalizeParam, paramsToRequestConfig, paramsToUrl, resolveParams } from './params';

const ctx = { numClasses: 10, spatialLayers: ['conv1', 'conv2'] };

describe('normalizeParam', () => {
  const num = { kind: 'number', label: 'n', help: '', min: 1, max: 100, step: 1, integer: true } as const;
  it('clamps and rounds numbers; refuses non-numbers', () => {
    expect(normalizeParam(num, '250', ctx)).toBe(100);
    expect(normalizeParam(num, '0', ctx)).toBe(1);
    expect(normalizeParam(num, 7.6, ctx)).toBe(8);
    expect(normalizeParam(num, 'abc', ctx)).toBeUndefined();
    expect(normalizeParam(num, '', ctx)).toBeUndefined();
  });
  it('selects must be an option; layers must exist; booleans from strings', () => {
    const sel = { kind: 'select', label: '', help: '', options: [{ value: 'a', label: 'A' }] } as const;
    expect(normalizeParam(sel, 'a', ctx)).toBe('a');
    expect(normalizeParam(sel, 'b', ctx)).toBeUndefined();
    const layer = { kind: 'layer', label: '', help: '' } as const;
    expect(normalizeParam(layer, 'conv2', ctx)).toBe('conv2');
    expect(normalizeParam(layer, '', ctx)).toBe('');
    expect(normalizeParam(layer, 'dense', ctx)).toBeUndefined();
    const b = { kind: 'boolean', label: '', help: '' } as const;
    expect([normalizeParam(b, 'true', ctx), normalizeParam(b, '0', ctx), normalizeParam(b, 'x', ctx)]).toEqual([
      true,
      false,
      undefined,
    ]);
  });
  it('class lists keep valid distinct indices, sorted; empty → null', () => {
    const cl = { kind: 'classes', label: '', help: '' } as const;
    expect(normalizeParam(cl, '3,1,3,12,-1,x', ctx)).toEqual([1, 3]);
    expect(normalizeParam(cl, '', ctx)).toBeNull();
    expect(normalizeParam(cl, [], ctx)).toBeNull();
  });
});

describe('URL and request forms', () => {
  const rise = getMethod('rise');
  it('only non-default values go to the URL, and they come back', () => {
    const p = resolveParams(rise, { numMasks: 2000, seed: 0 }, ctx);
    expect(p.numMasks).toBe(2000);
    const url = paramsToUrl(rise, p);
    expect(url).toEqual({ numMasks: '2000' });
    expect(resolveParams(rise, url, ctx)).toEqual(p);
  });
  it('every method round-trips its defaults to an empty URL form', () => {
    for (const m of METHODS) expect(paramsToUrl(m, resolveParams(m, {}, ctx))).toEqual({});
  });
  it('IG: an image parameter travels as <name>Id and never to the URL', () => {
    const ig = getMethod('integrated-gradients');
    const p = resolveParams(ig, { baseline: 'image', baselineImage: 'img-7' }, ctx);
    expect(paramsToUrl(ig, p)).toEqual({ baseline: 'image' });
    const cfg = paramsToRequestConfig(ig, p);
    expect(cfg.baselineImageId).toBe('img-7');
    expect('baselineImage' in cfg).toBe(false);
    expect(cfg.steps).toBe(64);
    expect(describeParams(ig, p)).toContain('Baseline: image');
  });
  it('unknown keys are dropped and bad values fall back to the defaults', () => {
    const occ = getMethod('occlusion');
    const p = resolveParams(occ, { stride: 'fast', windowSize: '3', bogus: 1 }, ctx);
    expect(p.stride).toBe(4);
    expect(p.windowSize).toBe(3);
    expect('bogus' in p).toBe(false);
    expect(describeParams(occ, resolveParams(occ, {}, ctx))).toBe('defaults');
  });
});
