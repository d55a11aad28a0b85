import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { TEST_BACKENDS, switchBackend } from '@/lib/testing/backends';
import { adapterFor } from '@/lib/testing/explain';
import { constantImage, oneRegionModel, seededImage, smallCnn } from '@/lib/testing/models';
import { occlusion, windowStarts } from '@/lib/explain/occlusion';
import { naiveOcclusion } from './naive-occlusion';

describe.each(TEST_BACKENDS)('naive occlusion on %s', (backend) => {
  beforeAll(async () => switchBackend(backend));

  it('equals the batched method’s map, with one model call per window (+1 reference)', async () => {
    const adapter = adapterFor(smallCnn(4, [10, 12, 3], 3));
    const img = seededImage(10, 12, 3, 5);
    for (const fill of ['zero', 'grey'] as const) {
      const config = { windowSize: 4, stride: 3, fill };
      const batched = await occlusion.run(adapter, img, 1, { ...config, batchSize: 5 });
      adapter.resetCounters();
      const naive = await naiveOcclusion(adapter, img, 1, config);
      const windows = windowStarts(10, 4, 3).length * windowStarts(12, 4, 3).length; // 3 × 4
      expect(naive.windows).toBe(12);
      expect(naive.windows).toBe(windows);
      expect(naive.calls).toBe(windows + 1);
      expect(adapter.counters.calls).toBe(windows + 1);
      expect(adapter.counters.images).toBe(windows + 1);
      expect(naive.values).toHaveLength(10 * 12);
      const maxAbs = Math.max(...Array.from(batched.values, Math.abs));
      expect(maxAbs).toBeGreaterThan(1e-4); // the map is not trivially zero
      for (let i = 0; i < naive.values.length; i++) expect(naive.values[i]).toBeCloseTo(batched.values[i] as number, 5);
    }
    adapter.dispose();
  });

  it('known answer: only windows over the region the model reads drop the probability', async () => {
    const adapter = adapterFor(oneRegionModel(8, 8, { r0: 0, r1: 2, c0: 0, c1: 2 }));
    const r = await naiveOcclusion(adapter, constantImage(8, 8, 1, 1), 0, { windowSize: 4, stride: 4, fill: 'zero' });
    // logit 0 = 0.5 · 4 − 2 = 0 ⇒ P = 0.5; hiding the region: logit −2 ⇒ P = sigmoid(−2)
    const drop = 0.5 - 1 / (1 + Math.exp(2));
    expect(r.values[0]).toBeCloseTo(drop, 5);
    expect(r.values[3 * 8 + 3]).toBeCloseTo(drop, 5);
    expect(r.values[4]).toBeCloseTo(0, 6);
    expect(r.values[7 * 8 + 7]).toBeCloseTo(0, 6);
    adapter.dispose();
  });

  it('leaves no tensors behind (run twice)', async () => {
    const adapter = adapterFor(smallCnn(2, [8, 8, 3], 3));
    const img = seededImage(8, 8, 3);
    await naiveOcclusion(adapter, img, 0, { windowSize: 3, stride: 3, fill: 'zero' });
    const before = tf.memory().numTensors;
    await naiveOcclusion(adapter, img, 0, { windowSize: 3, stride: 3, fill: 'zero' });
    await naiveOcclusion(adapter, img, 2, { windowSize: 3, stride: 3, fill: 'grey' });
    expect(tf.memory().numTensors).toBe(before);
    adapter.dispose();
  });
});
