import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import type { ModelInfo } from '@/lib/models/types';
import { TEST_BACKENDS, switchBackend } from '@/lib/testing/backends';
import { adapterFor, expectLeakTargetAbortOnSmallCnn } from '@/lib/testing/explain';
import { linearModel, seededImage, smallCnn } from '@/lib/testing/models';
import type { ImageInput, ModelAdapter } from '../../types';
import { integratedGradients } from '../integrated-gradients/run';
import { guidedPath, kthSmallest, quantileLower } from './path';
import { guidedIg } from './run';

/** A fake adapter for the 1×2×1 "image" (x0, x1) with one logit S = x0 · x1 (its gradient is (x1, x0)). */
function productAdapter(): ModelAdapter & { calls: number } {
  const info = {
    numClasses: 1,
    inputShape: [1, 2, 1],
    outputKind: 'logits',
    spatialLayers: [],
  } as unknown as ModelInfo;
  const score = (x: tf.Tensor4D) => tf.reshape(tf.prod(tf.reshape(x, [-1, 2]), 1), [-1, 1]) as tf.Tensor2D;
  const self = {
    info,
    calls: 0,
    scores: (x: tf.Tensor4D) => score(x),
    probabilities: (x: tf.Tensor4D) => tf.sigmoid(score(x)),
    inputGradients(x: tf.Tensor4D, target: number) {
      self.calls += 1;
      const grads = tf.grad((v: tf.Tensor) => tf.sum(tf.slice(score(v as tf.Tensor4D), [0, target], [-1, 1])))(
        x,
      ) as tf.Tensor4D;
      return { grads, scores: score(x), scoreKind: 'logit' as const };
    },
    layerGradients(): never {
      throw new Error('no layers');
    },
    dispose() {},
  };
  return self;
}

const PAIR: ImageInput = { width: 2, height: 1, channels: 1, data: Float32Array.from([1, 2]) };

describe('kthSmallest / quantileLower', () => {
  it('match sorting, with ties and infinities, like numpy.quantile(method="lower")', () => {
    const xs = [5, 1, Number.POSITIVE_INFINITY, 3, 3, 0, 2, 8];
    const sorted = [...xs].sort((a, b) => a - b);
    for (let k = 0; k < xs.length; k++) expect(kthSmallest(xs, k)).toBe(sorted[k]);
    expect(xs).toEqual([5, 1, Number.POSITIVE_INFINITY, 3, 3, 0, 2, 8]); // not modified
    expect(quantileLower([1, 0.5], 0.5)).toBe(0.5); // index ⌊0.5 · 1⌋ = 0
    expect(quantileLower([4, 1, 3, 2], 0.25)).toBe(1); // ⌊0.75⌋ = 0
    expect(quantileLower([4, 1, 3, 2], 1)).toBe(4);
    expect(() => kthSmallest([], 0)).toThrow(RangeError);
  });
});

describe('guidedPath (plain arrays)', () => {
  it('hand-computed: S = x0·x1 from (0, 0) to (1, 2), 2 steps, fraction ½, maxDist 1 ⇒ (½, ½)', async () => {
    // Step 1: g = (0, 0) at the baseline; both features move halfway (γ = ½): z = (½, 1), nothing added.
    // Step 2: g = (1, ½). The ½-quantile of |g| is ½, so x1 moves first to 2 (adds 1 · ½); then x1 is done
    // and x0 moves to 1 (adds ½ · 1). Straight-line IG would give (1, 1).
    const grads: number[][] = [];
    const r = await guidedPath(
      [1, 2],
      [0, 0],
      async (z) => {
        grads.push(Array.from(z));
        return [z[1] as number, z[0] as number];
      },
      { steps: 2, fraction: 0.5, maxDist: 1 },
    );
    expect(grads).toEqual([
      [0, 0],
      [0.5, 1],
    ]);
    expect(r.gradientCalls).toBe(2);
    expect(Array.from(r.attributions)).toEqual([0.5, 0.5]);
  });

  it('reaches the input: attributions of a linear function are exactly d · w for any schedule', async () => {
    const w = [0.5, -2, 3, 0.25, 1, -1];
    const input = [0.9, 0.1, 0.4, 0.7, 0.3, 0.3];
    const base = [0, 0.5, 0, 1, 0.3, 0];
    for (const [steps, fraction, maxDist] of [
      [3, 0.25, 0.02],
      [10, 0.5, 0.1],
      [1, 1, 0],
    ] as const) {
      const r = await guidedPath(input, base, async () => w, { steps, fraction, maxDist });
      expect(r.gradientCalls).toBe(steps);
      r.attributions.forEach((v, i) =>
        expect(v, `${steps}/${fraction}/${maxDist} feature ${i}`).toBeCloseTo(
          ((input[i] as number) - (base[i] as number)) * (w[i] as number),
          12,
        ),
      );
    }
  });

  it('input = baseline: zero attributions and no gradient call', async () => {
    let calls = 0;
    const r = await guidedPath(
      [0.2, 0.4],
      [0.2, 0.4],
      async () => {
        calls += 1;
        return [1, 1];
      },
      { steps: 5, fraction: 0.25, maxDist: 0.02 },
    );
    expect(calls).toBe(0);
    expect(Array.from(r.attributions)).toEqual([0, 0]);
  });
});

describe.each(TEST_BACKENDS)('Guided Integrated Gradients on %s', (backend) => {
  beforeAll(async () => switchBackend(backend));

  it('hand-computed path through a fake adapter (S = x0·x1): (½, ½), unlike IG’s (1, 1)', async () => {
    const adapter = productAdapter();
    const a = await guidedIg.run(adapter, PAIR, 0, { steps: 2, fraction: 0.5, maxDist: 1, reduction: 'sum' });
    expect(adapter.calls).toBe(2);
    expect(a.timings.forwardPasses).toBe(3);
    expect(Array.from(a.values)).toEqual([0.5, 0.5]);
    expect(a.extras.sumAttributions).toBeCloseTo(1, 12);
    expect(a.extras.scoreDelta).toBeCloseTo(2, 6); // S(1, 2) − S(0, 0)
    const ig = await integratedGradients.run(adapter, PAIR, 0, { steps: 64, reduction: 'sum' });
    expect(ig.values[0]).toBeCloseTo(1, 4);
    expect(ig.values[1]).toBeCloseTo(1, 4);
  });

  it('linear model: map = (x − x′)·w exactly, complete, one gradient pass per step', async () => {
    const Wt = new Float32Array(9 * 2).map((_, i) => Math.cos(i * 1.3));
    const adapter = adapterFor(linearModel(3, 3, 1, 2, Wt));
    const img = seededImage(3, 3, 1, 4);
    adapter.resetCounters();
    const a = await guidedIg.run(adapter, img, 1, { steps: 8, baseline: 'white' });
    expect(a.signed).toBe(true);
    expect(adapter.counters.calls).toBe(8 + 1);
    expect(a.timings.forwardPasses).toBe(9);
    for (let p = 0; p < 9; p++)
      expect(a.values[p]).toBeCloseTo(((img.data[p] as number) - 1) * (Wt[p * 2 + 1] as number), 5);
    expect(a.extras.completenessError).toBeLessThan(1e-4);
    adapter.dispose();
  });

  it('maxDist 0 forces the straight line: equals IG with the left Riemann rule', async () => {
    const adapter = adapterFor(smallCnn(7));
    const img = seededImage(8, 8, 3, 13);
    const a = await guidedIg.run(adapter, img, 0, { steps: 16, maxDist: 0 });
    const ig = await integratedGradients.run(adapter, img, 0, { steps: 16, rule: 'left', batchSize: 16 });
    expect(a.values.length).toBe(64);
    a.values.forEach((v, i) => expect(v, `pixel ${i}`).toBeCloseTo(ig.values[i] as number, 5));
    expect(a.extras.completenessError).toBeCloseTo(ig.extras.completenessError, 4);
    adapter.dispose();
  });

  it('small non-linear CNN, defaults: nearly complete, and a different path from straight-line IG', async () => {
    // Each move of a feature can span up to 2·maxDist of its range with the gradient of the step's start,
    // so the discretisation error is bounded by maxDist rather than by 1/steps (measured on this model:
    // 2.8 % at 64 steps, 0.5–7.8 % for 32–512 steps; IG's left rule: < 0.5 %).
    const adapter = adapterFor(smallCnn(7));
    const img = seededImage(8, 8, 3, 13);
    const a = await guidedIg.run(adapter, img, 0, {});
    expect(a.config.steps).toBe(64);
    expect(Math.abs(a.extras.scoreDelta)).toBeGreaterThan(1e-3);
    expect(a.extras.completenessError).toBeLessThan(0.1);
    expect(a.values.reduce((s, v) => s + v, 0)).toBeCloseTo(a.extras.sumAttributions, 3);
    const ig = await integratedGradients.run(adapter, img, 0, { steps: 64 });
    let diff = 0;
    let scale = 0;
    a.values.forEach((v, i) => {
      diff = Math.max(diff, Math.abs(v - (ig.values[i] as number)));
      scale = Math.max(scale, Math.abs(ig.values[i] as number));
    });
    expect(diff / scale).toBeGreaterThan(0.05);
    adapter.dispose();
  });

  it('no leaks, target checks, cancellation between steps', () =>
    expectLeakTargetAbortOnSmallCnn(guidedIg, 1, {
      config: { steps: 4 },
      abortConfig: { steps: 6 },
      midRun: true,
    }));
});
