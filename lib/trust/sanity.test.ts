import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { saliency } from '@/lib/explain/methods/saliency/run';
import { adapterFor } from '@/lib/testing/explain';
import { seededImage, smallCnn } from '@/lib/testing/models';
import { switchBackend, TEST_BACKENDS } from '@/lib/testing/backends';
import type { ImageInput } from '@/lib/models/adapter-types';
import { createGraphAdapter } from '@/lib/models/adapter';
import { tinyGraphAsLayers, tinyGraphModel } from '@/lib/testing/graph-model';
import { infoFor } from '@/lib/testing/models';
import { cascadingRandomisation, graphWeightsTopDown, layersTopDown } from './sanity';

/** An input-only "edge detector": |horizontal| + |vertical| differences of the grey image (no model at all). */
function edgeMap(input: ImageInput): Float32Array {
  const { width: w, height: h, channels: c } = input;
  const grey = (r: number, col: number) => {
    let s = 0;
    for (let ch = 0; ch < c; ch++) s += input.data[(Math.min(h - 1, r) * w + Math.min(w - 1, col)) * c + ch] as number;
    return s / c;
  };
  return Float32Array.from({ length: w * h }, (_, i) => {
    const r = Math.floor(i / w);
    const col = i % w;
    return Math.abs(grey(r, col + 1) - grey(r, col)) + Math.abs(grey(r + 1, col) - grey(r, col));
  });
}

describe.each(TEST_BACKENDS)('cascading randomisation (%s)', (backend) => {
  beforeAll(() => switchBackend(backend));

  it('randomising the last layer changes a gradient map; an input-only edge map does not change at all', async () => {
    const adapter = adapterFor(smallCnn(1));
    const model = (adapter as unknown as { model: tf.LayersModel }).model;
    try {
      const input = seededImage(8, 8, 3);
      expect(layersTopDown(model).map((l) => l.name)).toEqual(['logits', 'conv2', 'conv1']);
      const grad = await cascadingRandomisation(
        model,
        async () => (await saliency.run(adapter, input, 0, {})).values,
        input,
      );
      expect(grad.steps.map((s) => s.layer)).toEqual(['logits', 'conv2', 'conv1']);
      expect(grad.steps[0]!.spearman).toBeLessThan(0.6);
      expect(grad.verdict).toBe('passes');
      for (const s of grad.steps) expect(s.values).toHaveLength(64);
      const edges = await cascadingRandomisation(model, async () => edgeMap(input), input);
      for (const s of edges.steps) {
        expect(s.spearman).toBeCloseTo(1, 10);
        expect(s.ssim).toBeCloseTo(1, 10);
      }
      expect(edges.verdict).toBe('fails');
    } finally {
      adapter.dispose();
    }
  });

  it('no tensor left behind (twice), progress to 1, cancel between steps, a model without weights refused', async () => {
    const adapter = adapterFor(smallCnn(2));
    const model = (adapter as unknown as { model: tf.LayersModel }).model;
    try {
      const input = seededImage(8, 8, 3);
      const mapOf = async () => (await saliency.run(adapter, input, 1, {})).values;
      await cascadingRandomisation(model, mapOf, input, { maxSteps: 1 });
      const before = tf.memory().numTensors;
      const seen: number[] = [];
      const r = await cascadingRandomisation(model, mapOf, input, { maxSteps: 2, onProgress: (f) => seen.push(f) });
      await cascadingRandomisation(model, mapOf, input);
      expect(tf.memory().numTensors).toBe(before);
      expect(r.steps).toHaveLength(2);
      expect(seen).toEqual([1 / 3, 2 / 3, 1]);
      const ctl = new AbortController();
      await expect(
        cascadingRandomisation(model, mapOf, input, { signal: ctl.signal, onProgress: () => ctl.abort() }),
      ).rejects.toMatchObject({ name: 'AbortError' });
      expect(tf.memory().numTensors).toBe(before);
      const bare = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [2, 2, 1] })] });
      await expect(cascadingRandomisation(bare, mapOf, input)).rejects.toThrow(/no layer with weights/);
      bare.dispose();
    } finally {
      adapter.dispose();
    }
  });

  it('a graph model: its weighted ops from the output down, re-drawn in place; the map changes; no tensor left', async () => {
    for (const fused of [false, true]) {
      const g = await tinyGraphModel({ fused });
      const lm = tinyGraphAsLayers(g);
      const info = { ...infoFor(lm), format: 'graph' as const, spatialLayers: ['relu1'] };
      lm.dispose();
      const adapter = createGraphAdapter(g.model, info);
      try {
        const steps = graphWeightsTopDown(g.model);
        expect(steps).toEqual(
          fused
            ? [
                { name: 'logits', weights: ['dense_b'] },
                { name: 'matmul', weights: ['dense_w'] },
                { name: 'relu1', weights: ['conv_w', 'conv_b'] },
              ]
            : [
                { name: 'logits', weights: ['dense_b'] },
                { name: 'matmul', weights: ['dense_w'] },
                { name: 'conv1_bias', weights: ['conv_b'] },
                { name: 'conv1', weights: ['conv_w'] },
              ],
        );
        const input = seededImage(4, 4, 1, 3);
        const mapOf = async () => (await saliency.run(adapter, input, 0, {})).values;
        const x = () => tf.tensor4d(input.data, [1, 4, 4, 1]);
        const scores = () => tf.tidy(() => Array.from(adapter.scores(x()).dataSync()));
        const before = scores();
        const weightsBefore = tf.memory().numTensors;
        const r = await cascadingRandomisation(g.model, mapOf, input, { maxSteps: 2 });
        expect(r.steps.map((s) => s.layer)).toEqual(['logits', 'matmul']);
        expect(r.steps[1]!.spearman).toBeLessThan(0.9); // the dense weights re-drawn: the gradient map moved
        expect(scores()).not.toEqual(before);
        const convW = g.model.weights['conv_w']![0]!;
        expect(Array.from(convW.dataSync())).toEqual(Array.from(g.convW)); // below the cascade: untouched
        // The weights were replaced, not added; the executor keeps them across runs (not disposed as
        // intermediates): a second run of the full cascade works and leaves no tensor behind.
        expect(tf.memory().numTensors).toBe(weightsBefore);
        await cascadingRandomisation(g.model, mapOf, input);
        expect(tf.memory().numTensors).toBe(weightsBefore);
        expect(scores().every(Number.isFinite)).toBe(true);
      } finally {
        adapter.dispose();
      }
    }
  });
});
