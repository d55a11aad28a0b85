import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from './backend';
import { decideWebGPU, probeWebGPU, timeWorkload, withWebGPU, type WebGPUProbe } from './webgpu';

const found: WebGPUProbe = { api: true, adapter: true, webgpuMs: 4, otherMs: 10, other: 'wasm' };

describe('decideWebGPU', () => {
  it('offers WebGPU only where it exists, gives an adapter, starts and measures faster', () => {
    expect(decideWebGPU(found)).toEqual({ offer: true, reason: 'WebGPU measured 2.5× faster than wasm' });
    expect(decideWebGPU({ ...found, api: false }).offer).toBe(false);
    expect(decideWebGPU({ ...found, adapter: false }).offer).toBe(false);
    expect(decideWebGPU({ ...found, webgpuMs: null }).offer).toBe(false);
    expect(decideWebGPU({ ...found, webgpuMs: Number.NaN }).offer).toBe(false);
    expect(decideWebGPU({ ...found, webgpuMs: 10 })).toEqual({
      offer: false,
      reason: 'WebGPU measured slower than wasm',
    });
    expect(decideWebGPU({ ...found, otherMs: null }).offer).toBe(true);
  });

  it('says why not in words', () => {
    expect(decideWebGPU({ ...found, api: false }).reason).toBe('this browser has no WebGPU (navigator.gpu)');
    expect(decideWebGPU({ ...found, adapter: false }).reason).toBe('WebGPU gave no adapter');
  });
});

describe('withWebGPU', () => {
  it('puts an offered WebGPU first and keeps the rest in order; leaves it out otherwise', () => {
    expect(withWebGPU(['wasm', 'cpu', 'webgl'], true)).toEqual(['webgpu', 'wasm', 'cpu', 'webgl']);
    expect(withWebGPU(['webgpu', 'wasm', 'cpu'], false)).toEqual(['wasm', 'cpu']);
    expect(withWebGPU(['webgpu', 'wasm'], true)).toEqual(['webgpu', 'wasm']);
  });
});

describe('probeWebGPU without WebGPU (headless Chromium, Node)', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('returns at once without navigator.gpu and loads nothing', async () => {
    expect(await probeWebGPU('cpu', undefined)).toEqual({
      api: false,
      adapter: false,
      webgpuMs: null,
      otherMs: null,
      other: 'cpu',
    });
    expect(await probeWebGPU('cpu', {})).toMatchObject({ api: false });
    expect(tf.findBackendFactory('webgpu')).toBeNull();
    expect(availableBackends({ available: false, software: false })).not.toContain('webgpu');
  });

  it('a navigator.gpu without an adapter is not offered, and nothing is loaded', async () => {
    const p = await probeWebGPU('cpu', { gpu: { requestAdapter: async () => null } });
    expect(p).toMatchObject({ api: true, adapter: false, webgpuMs: null });
    expect(decideWebGPU(p).offer).toBe(false);
    const throwing = await probeWebGPU('cpu', {
      gpu: {
        requestAdapter: async () => {
          throw new Error('no');
        },
      },
    });
    expect(throwing.adapter).toBe(false);
    expect(tf.findBackendFactory('webgpu')).toBeNull();
    expect(tf.getBackend()).toBe('cpu');
  });

  // tfjs-backend-webgpu registers itself only where navigator.gpu exists at import (not in Node): the path of a
  // browser whose adapter is there but whose WebGPU backend cannot be had.
  it('an adapter without a WebGPU backend offers nothing, stays on the chosen backend and leaks nothing', async () => {
    const before = tf.memory().numTensors;
    for (let i = 0; i < 2; i++) {
      const p = await probeWebGPU('cpu', { gpu: { requestAdapter: async () => ({}) } });
      expect(p).toEqual({ api: true, adapter: true, webgpuMs: null, otherMs: null, other: 'cpu' });
      expect(decideWebGPU(p)).toEqual({ offer: false, reason: 'WebGPU did not start' });
      expect(tf.getBackend()).toBe('cpu');
      expect(tf.memory().numTensors).toBe(before);
    }
  });

  it("the probe's workload times the active backend and leaves no tensor behind (twice)", async () => {
    const before = tf.memory().numTensors;
    for (let i = 0; i < 2; i++) {
      const ms = await timeWorkload(1);
      expect(Number.isFinite(ms) && ms > 0).toBe(true);
      expect(tf.memory().numTensors).toBe(before);
    }
  });
});
