import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { switchBackend } from '@/lib/testing/backends';
import { seededImage } from '@/lib/testing/models';
import { createLayersAdapter } from '@/lib/models/adapter';
import type { ModelAdapter } from '@/lib/explain/types';
import type { ModelInfo } from '@/lib/models/types';
import { WorkerBench, type BenchDeps } from './worker-bench';

/** A minimal in-memory stand-in for the worker's registries. */
function fakeDeps(size: number, setCount: number) {
  const models = new Map<string, { info: ModelInfo; adapter: ModelAdapter }>();
  const img = seededImage(size, size, 3, 4);
  const pixels = Uint8Array.from({ length: setCount * size * size * 3 }, (_, i) => (i * 37) % 256);
  const deps: BenchDeps = {
    model: (id) => {
      const m = models.get(id);
      if (!m) throw new Error(`no model ${id}`);
      return m;
    },
    adoptLayersModel: (model, info) => {
      models.set(info.id, { info, adapter: createLayersAdapter(model, info) });
      return info;
    },
    unload: (id) => {
      models.get(id)?.adapter.dispose();
      models.delete(id);
    },
    input: () => img,
    datasetPixels: () => ({ pixels, count: setCount, height: size, width: size, channels: 3 }),
  };
  return { deps, models, pixels };
}

describe('WorkerBench (cpu)', () => {
  beforeAll(async () => switchBackend('cpu'));

  it('registers a small MobileNet, times passes, runs both Grad-CAM modes and both inference paths, then cleans up', async () => {
    const before = tf.memory().numTensors;
    const { deps, models, pixels } = fakeDeps(64, 10);
    const bench = new WorkerBench(deps);
    const info = await bench.registerMobileNet({ id: 'mb', alpha: 0.25, inputSize: 64, numClasses: 5, seed: 2 });
    expect(info.inputShape).toEqual([64, 64, 3]);
    expect(info.numClasses).toBe(5);
    expect(info.spatialLayers.at(-1)).toBe('block13_pw_relu');
    expect(models.has('mb')).toBe(true);

    const rows = await bench.forward('mb', { batchSizes: [1, 4], reps: 2, gradient: true });
    expect(rows.map((r) => r.batchSize)).toEqual([1, 4]);
    for (const r of rows) {
      expect(r.forwardMsPerImage).toBeGreaterThan(0);
      expect(r.gradientMsPerImage).toBeGreaterThan(0);
    }

    const cached = await bench.gradCam('mb', 'img', 1, { mode: 'cached', reps: 2, layer: '' });
    const rebuilt = await bench.gradCam('mb', 'img', 1, { mode: 'rebuild', reps: 2, layer: '' });
    expect(cached.msPerCall).toHaveLength(2);
    expect(rebuilt.layer).toBe('block13_pw_relu');
    expect(rebuilt.cam).toHaveLength(cached.cam.length);
    for (let i = 0; i < cached.cam.length; i++) expect(rebuilt.cam[i]).toBeCloseTo(cached.cam[i] as number, 4);

    const viaPredict = await bench.pureInference('mb', 'set', { batchSize: 4, via: 'predict' });
    const viaAdapter = await bench.pureInference('mb', 'set', { batchSize: 4, via: 'adapter' });
    expect(viaPredict.n).toBe(10);
    expect(viaPredict.probs).toHaveLength(50);
    // row sums are 1 and both paths agree (same weights, same pixels / 255)
    for (let i = 0; i < 10; i++)
      expect(viaPredict.probs.slice(i * 5, i * 5 + 5).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    for (let i = 0; i < 50; i++) expect(viaPredict.probs[i]).toBeCloseTo(viaAdapter.probs[i] as number, 4);
    // the adapter's own forward on image 0 gives the same row
    const row0 = tf.tidy(
      () =>
        models.get('mb')?.adapter.probabilities(
          tf.tensor4d(
            Float32Array.from(pixels.slice(0, 64 * 64 * 3), (v) => v / 255),
            [1, 64, 64, 3],
          ),
        ) as tf.Tensor,
    );
    const r0 = await row0.data();
    row0.dispose();
    for (let j = 0; j < 5; j++) expect(viaAdapter.probs[j]).toBeCloseTo(r0[j] as number, 5);

    const naive = await bench.naiveOcclusion('mb', 'img', 0, { windowSize: 32, stride: 32, fill: 'zero' });
    expect(naive.windows).toBe(4);
    expect(naive.calls).toBe(5);

    bench.dispose('mb');
    expect(models.has('mb')).toBe(false);
    await expect(bench.gradCam('mb', 'img', 1, { mode: 'rebuild', reps: 1, layer: '' })).rejects.toThrow(/no model/);
    expect(tf.memory().numTensors).toBe(before);
  });
});
