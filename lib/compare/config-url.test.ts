import { describe, expect, it } from 'vitest';
import { getMethod } from '@/lib/explain/registry';
import { defaultMethodId, sharedConfig, sharedParams, validParam } from './config';
import { applyCompareUrl, compareQuery, parseCompareQuery } from './url';

describe('shared configuration', () => {
  it('leaves out per-model parameters (layers, baseline images, class lists)', () => {
    expect(sharedParams(getMethod('grad-cam'))).toEqual([]);
    const ig = sharedParams(getMethod('integrated-gradients')).map((p) => p.key);
    expect(ig).toContain('steps');
    expect(ig).toContain('baseline');
    expect(ig).not.toContain('baselineImage');
    expect(sharedParams(getMethod('occlusion')).map((p) => p.key)).not.toContain('classes');
  });

  it('keeps valid values and replaces invalid ones with the default', () => {
    const ig = getMethod('integrated-gradients');
    expect(sharedConfig(ig, { steps: 32, baseline: 'white', layer: 'conv1' })).toMatchObject({
      steps: 32,
      baseline: 'white',
    });
    expect(sharedConfig(ig, { steps: 32 })).not.toHaveProperty('layer');
    expect(sharedConfig(ig, { steps: -3, baseline: 'purple' })).toMatchObject({ steps: 64, baseline: 'black' });
    expect(sharedConfig(ig, { steps: 3.5 }).steps).toBe(64);
    expect(sharedConfig(ig, { absolute: 'yes' }).absolute).toBe(false);
  });

  it('validParam checks ranges, integers and options', () => {
    const spec = { kind: 'number', label: 'n', help: '', min: 1, max: 10, step: 1, integer: true } as const;
    expect(validParam(spec, 10)).toBe(true);
    expect(validParam(spec, 11)).toBe(false);
    expect(validParam(spec, 2.5)).toBe(false);
    expect(validParam(spec, Number.NaN)).toBe(false);
  });

  it('prefers Grad-CAM, else the first common method', () => {
    expect(defaultMethodId([getMethod('saliency'), getMethod('grad-cam')])).toBe('grad-cam');
    expect(defaultMethodId([getMethod('occlusion'), getMethod('saliency')])).toBe('occlusion');
    expect(defaultMethodId([])).toBeNull();
  });
});

describe('URL state', () => {
  it('round-trips', () => {
    const state = {
      a: 'fashion-scratch',
      b: 'user:abc',
      method: 'integrated-gradients' as const,
      config: { steps: 32, baseline: 'white', absolute: true },
      target: 3,
      set: 'fashion-test-2k',
      rule: 'costOptimal' as const,
    };
    const q = compareQuery(state);
    expect(q.startsWith('a=fashion-scratch&b=user%3Aabc&method=integrated-gradients')).toBe(true);
    expect(parseCompareQuery(q)).toEqual(state);
    expect(parseCompareQuery(`?${q}`)).toEqual(state);
  });

  it('drops what is malformed instead of throwing', () => {
    expect(parseCompareQuery('method=magic&target=-1&rule=vote&cfg=%7Bbroken&a=')).toEqual({});
    expect(parseCompareQuery('cfg=[1,2]&target=2.5')).toEqual({});
    expect(parseCompareQuery('cfg={"steps":8,"x":{"y":1}}').config).toEqual({ steps: 8 });
    expect(compareQuery({})).toBe('');
  });
});

describe('applyCompareUrl (back and forward)', () => {
  it('sets what the link names, resets class and rule, keeps the rest', () => {
    const calls: string[] = [];
    const store = {
      setModel: (slot: 'a' | 'b', id: string) => calls.push(`model ${slot}=${id}`),
      setMethod: (id: string, config?: Record<string, unknown>) => calls.push(`method ${id} ${JSON.stringify(config)}`),
      setTarget: (k: number | null) => calls.push(`target ${k}`),
      setDataset: (id: string | null) => calls.push(`set ${id}`),
      setRule: (r: string) => calls.push(`rule ${r}`),
    };
    applyCompareUrl(
      store,
      parseCompareQuery('a=m1&b=m2&method=saliency&cfg={"absolute":true}&target=3&set=s&rule=costOptimal'),
    );
    expect(calls).toEqual([
      'model a=m1',
      'model b=m2',
      'method saliency {"absolute":true}',
      'set s',
      'target 3',
      'rule costOptimal',
    ]);
    calls.length = 0;
    applyCompareUrl(store, parseCompareQuery('method=bogus&target=-1'));
    expect(calls).toEqual(['target null', 'rule argmax']);
  });
});
