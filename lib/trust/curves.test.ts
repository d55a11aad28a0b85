import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { adapterFor } from '@/lib/testing/explain';
import { oneRegionModel, seededImage, smallCnn } from '@/lib/testing/models';
import { switchBackend, TEST_BACKENDS } from '@/lib/testing/backends';
import { mulberry32 } from '@/lib/random';
import type { ImageInput } from '@/lib/models/adapter-types';
import { faithfulness } from './curves';

const H = 8;
const W = 8;
const REGION = { r0: 2, r1: 6, c0: 1, c1: 5 };
const inRegion = (i: number) => {
  const r = Math.floor(i / W);
  const c = i % W;
  return r >= REGION.r0 && r < REGION.r1 && c >= REGION.c0 && c < REGION.c1;
};

/** Bright where the model reads, random elsewhere. */
function regionImage(): ImageInput {
  const rand = mulberry32(5);
  return {
    width: W,
    height: H,
    channels: 1,
    data: Float32Array.from({ length: H * W }, (_, i) => (inRegion(i) ? 1 : rand())),
  };
}

describe.each(TEST_BACKENDS)('deletion / insertion curves (%s)', (backend) => {
  beforeAll(() => switchBackend(backend));

  it('on a model that reads one region, the true map beats a random map on both games', async () => {
    const adapter = adapterFor(oneRegionModel(H, W, REGION));
    try {
      const truth = Float32Array.from({ length: H * W }, (_, i) => (inRegion(i) ? 1 + (i % 3) * 0.01 : 0));
      const noise = Float32Array.from({ length: H * W }, mulberry32(9));
      const input = regionImage();
      const t = await faithfulness(adapter, input, 0, truth, { steps: 16, randomRepeats: 3 });
      const r = await faithfulness(adapter, input, 0, noise, { steps: 16, randomRepeats: 3 });
      expect(t.deletion.auc).toBeLessThan(r.deletion.auc);
      expect(t.insertion.auc).toBeGreaterThan(r.insertion.auc);
      expect(t.deletion.auc).toBeLessThan(t.randomDeletion.auc);
      expect(t.insertion.auc).toBeGreaterThan(t.randomInsertion.auc);
      // Endpoints: nothing deleted = the model's probability; all deleted = the black image's.
      expect(t.deletion.probs[0]).toBeCloseTo(1 / (1 + Math.exp(-(0.5 * 16 - 2))), 4);
      expect(t.deletion.probs[16]).toBeCloseTo(1 / (1 + Math.exp(2)), 4);
      expect(t.insertion.probs[16]).toBeCloseTo(t.deletion.probs[0] as number, 4);
      expect(t.deletion.probs).toHaveLength(17);
      // The floor is the same for both maps (same seeds): it does not depend on the map.
      expect(r.randomDeletion.auc).toBeCloseTo(t.randomDeletion.auc, 6);
      expect(t.forwardPasses).toBe(8); // 17 points in one batch of 32, 2 + 2·3 curves
    } finally {
      adapter.dispose();
    }
  });

  it('leaves no tensors behind (run twice), reports progress and cancels between batches', async () => {
    const adapter = adapterFor(smallCnn(1));
    try {
      const input = seededImage(8, 8, 3);
      const map = Float32Array.from({ length: 64 }, mulberry32(2));
      await faithfulness(adapter, input, 1, map, { steps: 8 });
      const before = tf.memory().numTensors;
      const seen: number[] = [];
      await faithfulness(adapter, input, 1, map, { steps: 8, batchSize: 4, onProgress: (f) => seen.push(f) });
      await faithfulness(adapter, input, 1, map, { steps: 8 });
      expect(tf.memory().numTensors).toBe(before);
      expect(seen).toHaveLength(3 * 6);
      expect(seen.at(-1)).toBe(1);
      const ctl = new AbortController();
      await expect(
        faithfulness(adapter, input, 1, map, {
          steps: 8,
          batchSize: 2,
          signal: ctl.signal,
          onProgress: () => ctl.abort(),
        }),
      ).rejects.toMatchObject({ name: 'AbortError' });
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      adapter.dispose();
    }
  });

  it('says what is wrong with bad requests', async () => {
    const adapter = adapterFor(smallCnn(1));
    try {
      const input = seededImage(8, 8, 3);
      await expect(faithfulness(adapter, input, 5, new Float32Array(64))).rejects.toThrow(/out of range/);
      await expect(faithfulness(adapter, input, 0, new Float32Array(10))).rejects.toThrow(/10 values/);
      await expect(faithfulness(adapter, input, 0, new Float32Array(64), { steps: 1 })).rejects.toThrow(/steps/);
    } finally {
      adapter.dispose();
    }
  });
});

afterAll(() => undefined);
