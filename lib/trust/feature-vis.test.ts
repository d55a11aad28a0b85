import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { adapterFor } from '@/lib/testing/explain';
import { infoFor, smallCnn } from '@/lib/testing/models';
import { tinyGraphAsLayers, tinyGraphModel } from '@/lib/testing/graph-model';
import { switchBackend, TEST_BACKENDS } from '@/lib/testing/backends';
import { createGraphAdapter } from '@/lib/models/adapter';
import type { ModelAdapter } from '@/lib/models/adapter-types';
import { channelVisualisation } from './feature-vis';

/** The hand-set filter of channel 1: a ±1 pattern (channel 0 is its negative). */
const FILTER = [1, -1, 1, -1, -1, 1, 1, 1, -1];

/**
 * x [6, 6, 1] → conv 3×3, stride 3 (every pixel under exactly one window), 2 filters, ReLU, bias 2 (the
 * ReLU stays open from grey on) → global average pooling (the output is the two channel means). Channel 1's
 * mean is 2 + ¼ Σ_windows Σ FILTER·x, so ∂/∂x is FILTER/4 tiled and its maximum in [0, 1] is x = 1 where
 * the filter is +1 and 0 where it is −1.
 */
function strideConvModel(): tf.LayersModel {
  const conv = tf.layers.conv2d({ inputShape: [6, 6, 1], filters: 2, kernelSize: 3, strides: 3, name: 'conv' });
  const model = tf.sequential({ layers: [conv, tf.layers.reLU(), tf.layers.globalAveragePooling2d({})] });
  const w = Float32Array.from({ length: 18 }, (_, i) => (i % 2 ? 1 : -1) * (FILTER[i >> 1] as number));
  tf.tidy(() => conv.setWeights([tf.tensor4d(w, [3, 3, 1, 2]), tf.tensor1d([2, 2])]));
  return model;
}

describe.each(TEST_BACKENDS)('feature visualisation (%s)', (backend) => {
  beforeAll(() => switchBackend(backend));

  it("on a hand-set conv layer the channel's mean rises monotonically and the optimum is the filter's sign pattern", async () => {
    const adapter = adapterFor(strideConvModel());
    try {
      const shape = { height: 6, width: 6, channels: 1 };
      const r = await channelVisualisation(adapter, shape, 'conv', 1, { steps: 12, stepSize: 0.05, regularise: false });
      expect(r.trajectory).toHaveLength(13);
      expect(r.trajectory[0]).toBeCloseTo(2 + (0.5 * FILTER.reduce((a, b) => a + b, 0) * 4) / 4, 5);
      for (let i = 1; i < r.trajectory.length; i++)
        expect(r.trajectory[i]).toBeGreaterThan((r.trajectory[i - 1] as number) - 1e-6);
      // The optimum: 1 under +1 weights, 0 under −1 weights, in every window; the mean is 2 + (number of +1).
      for (let row = 0; row < 6; row++)
        for (let col = 0; col < 6; col++)
          expect(r.data[row * 6 + col]).toBe(FILTER[(row % 3) * 3 + (col % 3)] === 1 ? 1 : 0);
      expect(r.trajectory[12]).toBeCloseTo(2 + FILTER.filter((v) => v === 1).length, 5);
      // Channel 0 has the opposite filter: its optimum is the complement.
      const neg = await channelVisualisation(adapter, shape, 'conv', 0, {
        steps: 12,
        stepSize: 0.05,
        regularise: false,
      });
      expect([...neg.data]).toEqual([...r.data].map((v) => 1 - v));
    } finally {
      adapter.dispose();
    }
  });

  it('a graph model gives the same channel gradient as the same network as layers', async () => {
    const g = await tinyGraphModel({ fused: true });
    const lm = tinyGraphAsLayers(g);
    const graph = createGraphAdapter(g.model, { ...infoFor(lm), format: 'graph', spatialLayers: ['relu1'] });
    const layers = adapterFor(lm);
    try {
      const x = () => tf.randomUniform([2, 4, 4, 1], 0, 1, 'float32', 5) as tf.Tensor4D;
      const read = (a: ModelAdapter) =>
        tf.tidy(() => {
          const r = a.channelGradients!(x(), 'relu1', 1);
          return [Array.from(r.grads.dataSync()), Array.from(r.means.dataSync())];
        });
      const [gl, ml] = read(layers);
      const [gg, mg] = read(graph);
      expect(ml).toHaveLength(2);
      gg!.forEach((v, i) => expect(v).toBeCloseTo(gl![i] as number, 5));
      mg!.forEach((v, i) => expect(v).toBeCloseTo(ml![i] as number, 5));
      expect(gl!.some((v) => v !== 0)).toBe(true);
    } finally {
      layers.dispose();
      graph.dispose();
    }
  });

  it('with jitter and blur on a CNN it still climbs; no tensor left behind; cancel; bad layer / channel', async () => {
    const adapter = adapterFor(smallCnn(1));
    try {
      const shape = { height: 8, width: 8, channels: 3 };
      const r = await channelVisualisation(adapter, shape, 'conv2', 2, { steps: 12, start: 'noise' });
      expect(r.trajectory[12]).toBeGreaterThan(r.trajectory[0] as number);
      const before = tf.memory().numTensors;
      await channelVisualisation(adapter, shape, 'conv1', 0, { steps: 4 });
      await channelVisualisation(adapter, shape, 'conv1', 0, { steps: 4 });
      expect(tf.memory().numTensors).toBe(before);
      const ctl = new AbortController();
      await expect(
        channelVisualisation(adapter, shape, 'conv2', 0, {
          steps: 8,
          signal: ctl.signal,
          onProgress: () => ctl.abort(),
        }),
      ).rejects.toMatchObject({ name: 'AbortError' });
      await expect(channelVisualisation(adapter, shape, 'conv2', 6)).rejects.toThrow(
        /out of range: layer "conv2" has 6/,
      );
      await expect(channelVisualisation(adapter, shape, 'logits', 0)).rejects.toThrow(/not a spatial layer/);
      expect(tf.memory().numTensors).toBe(before);
      const without = { info: adapter.info } as ModelAdapter; // a format without channelGradients
      await expect(channelVisualisation(without, shape, 'conv2', 0)).rejects.toThrow(/does not offer/);
    } finally {
      adapter.dispose();
    }
  });
});
