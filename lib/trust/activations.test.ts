import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { adapterFor } from '@/lib/testing/explain';
import { GRAD_CAM_MASK, gradCamMaskImage, gradCamMaskModel, seededImage, smallCnn } from '@/lib/testing/models';
import { switchBackend, TEST_BACKENDS } from '@/lib/testing/backends';
import { layerActivations } from './activations';
import { channelMap, channelMeans, channelsByMean } from './feature-maps';

describe('activation maths', () => {
  it('means, one channel map and the order by mean', () => {
    const v = Float32Array.from([1, 10, 3, 20]); // 2 cells × 2 channels
    expect([...channelMeans(v, 2)]).toEqual([2, 15]);
    expect([...channelMap(v, 1, 2, 2, 1)]).toEqual([10, 20]);
    expect(channelsByMean(Float32Array.from([0.5, 2, 2, -1]))).toEqual([1, 2, 0, 3]);
  });
});

describe.each(TEST_BACKENDS)('feature maps (%s)', (backend) => {
  beforeAll(() => switchBackend(backend));

  it('a hand-set 1×1 conv layer gives the hand-computed maps (x and 1 − x)', async () => {
    const adapter = adapterFor(gradCamMaskModel(6, 6));
    try {
      const a = await layerActivations(adapter, gradCamMaskImage(), 'feat');
      expect([a.height, a.width, a.channels]).toEqual([6, 6, 2]);
      const x = GRAD_CAM_MASK.flat();
      expect([...channelMap(a.values, 6, 6, 2, 0)]).toEqual(x);
      expect([...channelMap(a.values, 6, 6, 2, 1)]).toEqual(x.map((v) => 1 - v));
      const ones = x.filter((v) => v === 1).length;
      expect(a.means[0]).toBeCloseTo(ones / 36, 6);
      expect(channelsByMean(a.means)).toEqual([1, 0]); // more background than object
    } finally {
      adapter.dispose();
    }
  });

  it('no tensor left behind (twice); a layer that is not spatial is refused in words', async () => {
    const adapter = adapterFor(smallCnn(1));
    try {
      const input = seededImage(8, 8, 3);
      await layerActivations(adapter, input, 'conv2');
      const before = tf.memory().numTensors;
      const a = await layerActivations(adapter, input, 'conv2');
      await layerActivations(adapter, input, 'relu2');
      expect(tf.memory().numTensors).toBe(before);
      expect([a.height, a.width, a.channels]).toEqual([8, 8, 6]);
      await expect(layerActivations(adapter, input, 'logits')).rejects.toThrow(/not a spatial layer/);
    } finally {
      adapter.dispose();
    }
  });
});
