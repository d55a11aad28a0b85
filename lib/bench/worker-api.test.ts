import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { createWorkerCore } from '@/lib/runtime/worker-core';
import { switchBackend } from '@/lib/testing/backends';
import { createBenchWorkerApi } from './worker-api';

const BENCH_METHODS = [
  'benchRegisterMobileNet',
  'benchLoadRawBundled',
  'benchForward',
  'benchNaiveOcclusion',
  'benchGradCam',
  'benchPureInference',
  'benchForwardEquivalents',
  'benchDispose',
];

describe('createBenchWorkerApi (cpu)', () => {
  beforeAll(async () => switchBackend('cpu'));

  it('is the core API unchanged plus the benchmark methods', () => {
    const core = createWorkerCore();
    const api = createBenchWorkerApi(core);
    const coreNames = Object.keys(core.api);
    expect(coreNames.length).toBeGreaterThan(20);
    for (const n of coreNames) expect(api[n as keyof typeof api], n).toBe(core.api[n as keyof typeof core.api]);
    expect(
      Object.keys(api)
        .filter((n) => !coreNames.includes(n))
        .sort(),
    ).toEqual([...BENCH_METHODS].sort());
  });

  it('a model the benchmark registers is predicted and explained through the core, then disposed without leaks (twice)', async () => {
    const core = createWorkerCore();
    const api = createBenchWorkerApi(core);
    const size = 32;
    const pixels = Uint8Array.from({ length: 40 * 40 * 3 }, (_, i) => (i * 53) % 256);
    const before = tf.memory().numTensors;
    for (let round = 0; round < 2; round++) {
      const info = await api.benchRegisterMobileNet({ id: 'mb', alpha: 0.25, inputSize: size, numClasses: 4, seed: 3 });
      expect(info.inputShape).toEqual([size, size, 3]);
      const img = await api.addPixels(pixels, 40, 40, 3, 'noise.png');
      const p = await api.predict('mb', img.id);
      expect(p.probs).toHaveLength(4);
      expect(p.probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
      const a = await api.explain(`r${round}`, {
        modelId: 'mb',
        imageId: img.id,
        method: 'saliency',
        target: 1,
        config: {},
      });
      expect(a.values).toHaveLength(size * size);
      expect(Math.max(...a.values)).toBeGreaterThan(0);
      const naive = await api.benchNaiveOcclusion('mb', img.id, 1, { windowSize: 16, stride: 16, fill: 'zero' });
      expect([naive.windows, naive.calls]).toEqual([4, 5]);
      const fe = await api.benchForwardEquivalents(
        'occlusion',
        { windowSize: 16, stride: 16, fill: 'zero', batchSize: 8 },
        [size, size, 3],
      );
      expect(fe.fe).toBe(naive.calls);
      await api.benchDispose('mb');
      await expect(api.predict('mb', img.id)).rejects.toThrow(/not loaded/);
      await api.removeImage(img.id);
      expect(tf.memory().numTensors).toBe(before);
    }
  });
});
