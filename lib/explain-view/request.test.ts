import { describe, expect, it } from 'vitest';
import { getMethod } from '@/lib/explain/registry';
import { resolveParams } from './params';
import { argmax, explainJob } from './request';

const ctx = { numClasses: 10, spatialLayers: ['c1'] };

describe('explainJob', () => {
  it('carries model, image, method, target, resize and the worker form of the parameters', () => {
    const ig = getMethod('integrated-gradients');
    const job = explainJob({
      modelId: 'm',
      imageId: 'img-1',
      method: ig,
      params: resolveParams(ig, { baseline: 'image', baselineImage: 'img-2' }, ctx),
      target: 3,
      resize: 'pad',
    });
    expect(job.request).toMatchObject({
      modelId: 'm',
      imageId: 'img-1',
      method: 'integrated-gradients',
      target: 3,
      resize: 'pad',
    });
    expect(job.request.config.baselineImageId).toBe('img-2');
  });
  it('the key changes with the class and the parameters, not with unrelated state', () => {
    const rise = getMethod('rise');
    const base = {
      modelId: 'm',
      imageId: 'i',
      method: rise,
      params: resolveParams(rise, {}, ctx),
      target: 1,
      resize: null,
    };
    expect(explainJob(base).key).toBe(explainJob({ ...base, params: resolveParams(rise, {}, ctx) }).key);
    expect(explainJob(base).key).not.toBe(explainJob({ ...base, target: 2 }).key);
    expect(explainJob(base).key).not.toBe(
      explainJob({ ...base, params: resolveParams(rise, { numMasks: 9 }, ctx) }).key,
    );
    expect('resize' in explainJob(base).request).toBe(false);
  });
  it('argmax picks the first maximum', () => {
    expect(argmax([0.1, 0.5, 0.5])).toBe(1);
    expect(argmax([])).toBe(-1);
  });
});
