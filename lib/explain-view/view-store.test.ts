import { describe, expect, it } from 'vitest';
import { fakeAttribution } from '@/lib/store/test-helpers';
import { lruGet, resultKey } from './result-cache';
import { createExplainViewStore, inputKey } from './view-store';

describe('Explain view store', () => {
  it('keeps results by key and forgets an image’s results and inputs', () => {
    const s = createExplainViewStore();
    const k1 = resultKey({ modelId: 'm', imageId: 'img-1', method: 'saliency', target: 0, resize: null, config: {} });
    const k2 = resultKey({ modelId: 'm', imageId: 'img-2', method: 'saliency', target: 0, resize: null, config: {} });
    s.getState().putResult(k1, fakeAttribution(1));
    s.getState().putResult(k2, fakeAttribution(2));
    s.getState().putInput(inputKey('m', 'img-1', null), {
      width: 1,
      height: 1,
      channels: 1,
      data: new Float32Array(1),
    });
    s.getState().forgetImage('img-1');
    expect(lruGet(s.getState().results, k1)).toBeUndefined();
    expect(lruGet(s.getState().results, k2)?.target).toBe(2);
    expect(s.getState().inputs.keys).toEqual([]);
  });
  it('params per method; reset goes back to defaults; runs per view key', () => {
    const s = createExplainViewStore({ method: 'rise' });
    s.getState().setParam('rise', 'numMasks', 2000);
    s.getState().setParam('rise', 'seed', 3);
    expect(s.getState().params.rise).toEqual({ numMasks: 2000, seed: 3 });
    s.getState().resetParams('rise');
    expect(s.getState().params.rise).toBeUndefined();
    s.getState().setRun('explain:main', { key: 'k', status: 'running', progress: 0.5 });
    expect(s.getState().runs['explain:main']?.progress).toBe(0.5);
    s.getState().setRun('explain:main', null);
    expect(s.getState().runs).toEqual({});
  });
  it('look changes patch only what is given', () => {
    const s = createExplainViewStore();
    s.getState().setLook({ opacity: 0.2 });
    expect(s.getState().look).toMatchObject({ opacity: 0.2, clipPercentile: 99, mode: 'overlay' });
  });
});
