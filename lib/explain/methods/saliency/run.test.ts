import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { TEST_BACKENDS, switchBackend } from '@/lib/testing/backends';
import { adapterFor, expectLeakTargetAbortOnSmallCnn } from '@/lib/testing/explain';
import { linearModel, seededImage } from '@/lib/testing/models';
import { saliency } from './run';

const H = 4;
const W = 5;
const K = 3;
const weightsFor = (c: number) => new Float32Array(H * W * c * K).map((_, i) => Math.sin(i * 1.7) * 0.8);

describe.each(TEST_BACKENDS)('saliency on %s', (backend) => {
  beforeAll(async () => switchBackend(backend));

  it('linear model: signed gradient equals the weight column of the target', async () => {
    const Wt = weightsFor(1);
    const adapter = adapterFor(linearModel(H, W, 1, K, Wt));
    const a = await saliency.run(adapter, seededImage(H, W, 1), 2, { absolute: false, reduction: 'sum' });
    expect(a.signed).toBe(true);
    expect(a.scoreKind).toBe('logit');
    expect(a.timings.forwardPasses).toBe(1);
    for (let p = 0; p < H * W; p++) expect(a.values[p]).toBeCloseTo(Wt[p * K + 2] as number, 5);
    adapter.dispose();
  });

  it('channel reductions on 3 channels: max-abs (absolute), mean, sum', async () => {
    const Wt = weightsFor(3);
    const adapter = adapterFor(linearModel(H, W, 3, K, Wt));
    const img = seededImage(H, W, 3);
    const maxAbs = await saliency.run(adapter, img, 1, {});
    const mean = await saliency.run(adapter, img, 1, { reduction: 'mean', absolute: false });
    const sum = await saliency.run(adapter, img, 1, { reduction: 'sum', absolute: false });
    expect(maxAbs.signed).toBe(false);
    for (let p = 0; p < H * W; p++) {
      const w3 = [0, 1, 2].map((c) => Wt[(p * 3 + c) * K + 1] as number);
      expect(maxAbs.values[p]).toBeCloseTo(Math.max(...w3.map(Math.abs)), 5);
      expect(mean.values[p]).toBeCloseTo((w3[0]! + w3[1]! + w3[2]!) / 3, 5);
      expect(sum.values[p]).toBeCloseTo(w3[0]! + w3[1]! + w3[2]!, 5);
    }
    adapter.dispose();
  });

  it('differentiates the probability when the model outputs probabilities', async () => {
    // Softmax model declared as 'softmax': gradient of p_t = p_t (w_t − Σ_k p_k w_k).
    const Wt = weightsFor(1);
    const model = tf.sequential({
      layers: [tf.layers.flatten({ inputShape: [H, W, 1] }), tf.layers.dense({ units: K, activation: 'softmax' })],
    });
    tf.tidy(() => model.layers[1]!.setWeights([tf.tensor2d(Wt, [H * W, K]), tf.zeros([K])]));
    const adapter = adapterFor(model, { outputKind: 'softmax' });
    const img = seededImage(H, W, 1, 3);
    const a = await saliency.run(adapter, img, 0, { absolute: false, reduction: 'sum' });
    expect(a.scoreKind).toBe('probability');
    const logits = [0, 1, 2].map((k) => img.data.reduce((acc, x, i) => acc + x * (Wt[i * K + k] as number), 0));
    const m = Math.max(...logits);
    const e = logits.map((l) => Math.exp(l - m));
    const z = e.reduce((s, v) => s + v, 0);
    const p = e.map((v) => v / z);
    for (let i = 0; i < H * W; i++) {
      const avg = [0, 1, 2].reduce((s, k) => s + p[k]! * (Wt[i * K + k] as number), 0);
      expect(a.values[i]).toBeCloseTo(p[0]! * ((Wt[i * K] as number) - avg), 5);
    }
    adapter.dispose();
  });

  it('no leaks, target checks, cancellation', () => expectLeakTargetAbortOnSmallCnn(saliency, 1));
});
