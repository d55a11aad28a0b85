import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import type { ModelAdapter } from '../../types';
import { TEST_BACKENDS, switchBackend } from '@/lib/testing/backends';
import { adapterFor, expectLeakTargetAbortOnSmallCnn } from '@/lib/testing/explain';
import { constantImage, linearModel, seededImage, smallCnn } from '@/lib/testing/models';
import { MAX_ADAPTIVE_VALUES, integratedGradients, makeBaseline, riemannPoints, trapezoidLevels } from './run';

describe('riemannPoints', () => {
  it('weights sum to 1 and place points as documented', () => {
    const t = riemannPoints(4, 'trapezoid');
    expect(t.alphas).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(t.weights).toEqual([0.125, 0.25, 0.25, 0.25, 0.125]);
    expect(riemannPoints(4, 'left').alphas).toEqual([0, 0.25, 0.5, 0.75]);
    expect(riemannPoints(4, 'right').alphas).toEqual([0.25, 0.5, 0.75, 1]);
    expect(riemannPoints(4, 'midpoint').alphas).toEqual([0.125, 0.375, 0.625, 0.875]);
    for (const rule of ['trapezoid', 'left', 'right', 'midpoint'] as const)
      expect(riemannPoints(7, rule).weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it('baselines: black 0, white 1, noise seeded in [0,1), image copied, blurred keeps the mean of a constant', () => {
    const img = seededImage(6, 6, 3);
    expect(Array.from(makeBaseline(img, { baseline: 'black', baselineImage: null, seed: 0 }))).toEqual(
      new Array(108).fill(0),
    );
    expect(Array.from(makeBaseline(img, { baseline: 'white', baselineImage: null, seed: 0 }))).toEqual(
      new Array(108).fill(1),
    );
    const n1 = makeBaseline(img, { baseline: 'noise', baselineImage: null, seed: 3 });
    expect(n1.length).toBe(108);
    expect(Array.from(n1)).toEqual(Array.from(makeBaseline(img, { baseline: 'noise', baselineImage: null, seed: 3 })));
    expect(Array.from(n1).filter((v) => !(v >= 0 && v < 1))).toEqual([]);
    expect(new Set(n1).size).toBeGreaterThan(100);
    const other = constantImage(6, 6, 3, 0.25);
    expect(Array.from(makeBaseline(img, { baseline: 'image', baselineImage: other, seed: 0 }))).toEqual(
      Array.from(other.data),
    );
    const blurred = makeBaseline(constantImage(6, 6, 3, 0.7), { baseline: 'blurred', baselineImage: null, seed: 0 });
    expect(blurred.length).toBe(108);
    for (const v of blurred) expect(v).toBeCloseTo(0.7, 5);
    expect(() => makeBaseline(img, { baseline: 'image', baselineImage: null, seed: 0 })).toThrow(/baseline image/);
  });
});

describe.each(TEST_BACKENDS)('Integrated Gradients on %s', (backend) => {
  beforeAll(async () => switchBackend(backend));

  it('calls of even sizes: 65 points at most 32 per call are 3 calls of 22/22/21 and the same map as one call', async () => {
    const adapter: ModelAdapter = adapterFor(smallCnn(7));
    const img = seededImage(8, 8, 3, 13);
    const one = await integratedGradients.run(adapter, img, 0, { steps: 64, batchSize: 128, targetError: 0 });
    expect(one.timings.forwardPasses).toBe(1);
    const sizes: number[] = [];
    const spy = adapter.inputGradients.bind(adapter);
    adapter.inputGradients = (x, t) => (sizes.push(x.shape[0]), spy(x, t));
    const three = await integratedGradients.run(adapter, img, 0, { steps: 64, batchSize: 32, targetError: 0 });
    expect(sizes).toEqual([22, 22, 21]);
    expect(three.timings.forwardPasses).toBe(3);
    one.values.forEach((v, i) => expect(three.values[i]).toBeCloseTo(v, 5));
  });

  it('completeness error < 1 % at 64 steps on a small non-linear CNN (black and noise baselines)', async () => {
    const adapter = adapterFor(smallCnn(7));
    const img = seededImage(8, 8, 3, 13);
    for (const baseline of ['black', 'noise'] as const) {
      const a = await integratedGradients.run(adapter, img, 0, { steps: 64, baseline, batchSize: 16, targetError: 0 });
      const ex = a.extras;
      expect(Math.abs(ex.scoreDelta)).toBeGreaterThan(1e-3);
      expect(ex.completenessError).toBeLessThan(0.01);
      // Channel 'sum' reduction keeps the total.
      expect(a.values.reduce((s, v) => s + v, 0)).toBeCloseTo(ex.sumAttributions, 3);
      // 65 trapezoid points in batches of 16 = 5 gradient passes; end points come from those passes.
      expect(a.timings.forwardPasses).toBe(5);
    }
    adapter.dispose();
  });

  it('adaptive trapezoid: stops within the target or at steps + 1 points; a tight target spends more', async () => {
    const adapter = adapterFor(smallCnn(7));
    const img = seededImage(8, 8, 3, 13);
    expect(trapezoidLevels(64)).toEqual([8, 16, 32, 64]);
    expect(trapezoidLevels(100)).toEqual([25, 50, 100]);
    expect(trapezoidLevels(7)).toEqual([7]);
    for (const targetError of [0.05, 0.002]) {
      adapter.resetCounters();
      const a = await integratedGradients.run(adapter, img, 0, { steps: 256, targetError, batchSize: 16 });
      const used = a.extras.stepsUsed;
      expect(used).toBeGreaterThanOrEqual(8);
      expect(used).toBeLessThanOrEqual(256);
      if (used < 256) expect(a.extras.completenessError).toBeLessThanOrEqual(targetError);
      // 9 even points, then rounds of up to 16 bisections: one model call each.
      expect(adapter.counters.images).toBe(used + 1);
      expect(a.values.reduce((t, v) => t + v, 0)).toBeCloseTo(a.extras.sumAttributions, 3);
      expect(a.extras.scoreVariation).toBeGreaterThanOrEqual(Math.abs(a.extras.scoreDelta) - 1e-6);
    }
    const loose = await integratedGradients.run(adapter, img, 0, { steps: 256, targetError: 0.05 });
    const tight = await integratedGradients.run(adapter, img, 0, { steps: 256, targetError: 0.0001 });
    expect(tight.extras.stepsUsed).toBeGreaterThan(loose.extras.stepsUsed);
    adapter.dispose();
  });

  it('a ReLU kink on the path: the adaptive trapezoid finds the exact shares with ~17 points, the even one misses', async () => {
    // Class-0 score relu(w·x − c): along the path from black, S(α) = relu(α·w·x − c), a kink at α* = c / (w·x);
    // ∂S/∂x_i = w_i above the kink, so IG_i = x_i · w_i · (1 − α*) exactly.
    const w = new Float32Array(9 * 2).map((_, i) => 0.3 + 0.2 * Math.cos(i + 2));
    const img = seededImage(3, 3, 1, 9);
    let wx = 0;
    for (let p = 0; p < 9; p++) wx += (img.data[p] as number) * (w[p * 2] as number);
    const kink = 0.3183; // not on any dyadic grid point
    const adapter = reluAdapter(w, kink * wx);
    const exact = Array.from({ length: 9 }, (_, p) => (img.data[p] as number) * (w[p * 2] as number) * (1 - kink));
    const adaptive = await integratedGradients.run(adapter, img, 0, { steps: 64, targetError: 1e-4, batchSize: 1 });
    expect(adaptive.extras.completenessError).toBeLessThanOrEqual(1e-4);
    expect(adaptive.extras.stepsUsed).toBeLessThan(24);
    for (let p = 0; p < 9; p++) expect(adaptive.values[p]).toBeCloseTo(exact[p] as number, 3);
    const even = await integratedGradients.run(adapter, img, 0, { steps: 64, targetError: 0, batchSize: 16 });
    expect(even.extras.completenessError).toBeGreaterThan(1e-3);
    adapter.dispose();
  });

  it('a time limit stops the refinement (never the first 8 intervals) and says so; without it all steps run', async () => {
    const adapter = adapterFor(smallCnn(7));
    const img = seededImage(8, 8, 3, 13);
    // Each gradient call holds the thread ≥ 20 ms: a slow model.
    const grads = adapter.inputGradients.bind(adapter);
    adapter.inputGradients = (x, t) => {
      for (const end = performance.now() + 20; performance.now() < end;);
      return grads(x, t);
    };
    // 1e-9 is out of float32's reach: only the steps or the time can stop it.
    const cfg = { steps: 64, targetError: 1e-9, batchSize: 1 };
    const tensors = tf.memory().numTensors;
    const unlimited = await integratedGradients.run(adapter, img, 0, cfg);
    expect(unlimited.extras).toMatchObject({ stepsUsed: 64, stoppedBy: 'steps' });
    // A limit already passed during the first level: exactly the first level.
    const first = await integratedGradients.run(adapter, img, 0, { ...cfg, timeLimit: 0.001 });
    expect(first.extras).toMatchObject({ stepsUsed: 8, stoppedBy: 'time' });
    // 0.4 s: the first 9 calls (≥ 180 ms), then a few bisections, far from 64 steps.
    const some = await integratedGradients.run(adapter, img, 0, { ...cfg, timeLimit: 0.4 });
    expect(some.extras.stoppedBy).toBe('time');
    expect(some.extras.stepsUsed).toBeGreaterThanOrEqual(8);
    expect(some.extras.stepsUsed).toBeLessThan(20);
    // What it did use is a proper trapezoid over its points: the shares still add up to its own sum.
    expect(some.values.reduce((t, v) => t + v, 0)).toBeCloseTo(some.extras.sumAttributions, 3);
    // A target within reach stops at the target, never at the limit.
    const easy = await integratedGradients.run(adapter, img, 0, { ...cfg, targetError: 0.05, timeLimit: 60 });
    expect(easy.extras.stoppedBy).toBe('target');
    // Stopping at the limit leaves no tensor behind either.
    expect(tf.memory().numTensors).toBe(tensors);
    adapter.dispose();
  });

  it('above MAX_ADAPTIVE_VALUES it refines evenly (8, 16, 32, … intervals) and keeps only sums', async () => {
    // 128×128×2 inputs × 1025 points > 2²⁵ values.
    const size = 128 * 128 * 2;
    expect(1025 * size).toBeGreaterThan(MAX_ADAPTIVE_VALUES);
    const w = new Float32Array(size * 2).map((_, i) => Math.sin(i) * 1e-3);
    const img = seededImage(128, 128, 2, 5);
    let wx = 0;
    for (let p = 0; p < size; p++) wx += (img.data[p] as number) * (w[p * 2] as number);
    const adapter = reluAdapter(w, 0.3183 * Math.abs(wx), [128, 128, 2], Math.sign(wx));
    const a = await integratedGradients.run(adapter, img, 0, { steps: 1024, targetError: 1e-3, batchSize: 16 });
    expect(trapezoidLevels(1024)).toContain(a.extras.stepsUsed);
    expect(a.extras.stepsUsed).toBeGreaterThan(8);
    expect(a.extras.completenessError).toBeLessThanOrEqual(1e-3);
    adapter.dispose();
  });

  it('linear model: IG = (x − x′)·w exactly for every rule; extra forward pass only when end points are missing', async () => {
    const Wt = new Float32Array(9 * 2).map((_, i) => Math.sin(i + 1));
    const adapter = adapterFor(linearModel(3, 3, 1, 2, Wt));
    const img = seededImage(3, 3, 1, 4);
    for (const rule of ['gauss-legendre', 'trapezoid', 'left', 'right', 'midpoint'] as const) {
      adapter.resetCounters();
      const a = await integratedGradients.run(adapter, img, 1, { steps: 5, rule, baseline: 'white', batchSize: 4 });
      for (let p = 0; p < 9; p++)
        expect(a.values[p]).toBeCloseTo(((img.data[p] as number) - 1) * (Wt[p * 2 + 1] as number), 5);
      expect(a.extras.completenessError).toBeLessThan(1e-4);
      const points = rule === 'trapezoid' ? 6 : 5;
      expect(a.timings.forwardPasses).toBe(Math.ceil(points / 4) + (rule === 'trapezoid' ? 0 : 1));
      expect(adapter.counters.calls).toBe(a.timings.forwardPasses);
    }
    adapter.dispose();
  });

  it('a quartic toy model: Gauss–Legendre with 2 points is exact (integrand of degree 3); 1 point, trapezoid and midpoint are not', async () => {
    const adapter = polynomialAdapter(4);
    const img = seededImage(3, 3, 1, 9);
    const error = async (steps: number, rule: 'gauss-legendre' | 'trapezoid' | 'midpoint') =>
      (await integratedGradients.run(adapter, img, 0, { steps, rule, baseline: 'white', batchSize: 8 })).extras;
    const gl2 = await error(2, 'gauss-legendre');
    expect(Math.abs(gl2.scoreDelta)).toBeGreaterThan(0.1);
    expect(gl2.completenessError).toBeLessThan(1e-5);
    expect((await error(1, 'gauss-legendre')).completenessError).toBeGreaterThan(1e-2);
    expect((await error(2, 'trapezoid')).completenessError).toBeGreaterThan(1e-2);
    expect((await error(2, 'midpoint')).completenessError).toBeGreaterThan(1e-2);
    // The trapezoid needs many more evaluations for the same error.
    expect((await error(16, 'trapezoid')).completenessError).toBeGreaterThan(gl2.completenessError);
    adapter.dispose();
  });

  it('no leaks, target checks, cancellation between chunks', () =>
    expectLeakTargetAbortOnSmallCnn(integratedGradients, 1, {
      config: { steps: 6, batchSize: 4, rule: 'midpoint' },
      abortConfig: { steps: 8, batchSize: 3 },
      midRun: true,
    }));

  it('no leaks and cancellation mid-run in the adaptive trapezoid too', () =>
    expectLeakTargetAbortOnSmallCnn(integratedGradients, 1, {
      config: { steps: 32, batchSize: 4, rule: 'trapezoid', targetError: 1e-6 },
      abortConfig: { steps: 32, batchSize: 3, rule: 'trapezoid', targetError: 1e-6 },
      midRun: true,
    }));
});

/**
 * A two-class linear model whose class-0 score goes through `head` (tensor → tensor); class 1 stays the
 * linear score. The adapter differentiates the transformed scores.
 */
function headedAdapter(base: ModelAdapter, head: (s0: tf.Tensor) => tf.Tensor): ModelAdapter {
  const scores = (x: tf.Tensor4D): tf.Tensor2D =>
    tf.tidy(() => {
      const s = base.scores(x);
      return tf.concat([head(s.slice([0, 0], [-1, 1])), s.slice([0, 1], [-1, 1])], 1) as tf.Tensor2D;
    });
  return {
    info: base.info,
    scores,
    probabilities: scores,
    inputGradients(x, target) {
      const f = (z: tf.Tensor) => tf.sum(scores(z as tf.Tensor4D).slice([0, target], [-1, 1]));
      return { grads: tf.grad(f)(x) as tf.Tensor4D, scores: scores(x), scoreKind: 'logit' };
    },
    layerGradients() {
      throw new Error('no layers');
    },
    dispose: () => base.dispose(),
  };
}

/**
 * A toy model whose class-0 score is (w·x + b)^degree and class-1 score w·x + b (a linear model raised to a
 * power): along IG's straight path the score is a polynomial of `degree` in α, so the integrand has degree
 * `degree` − 1.
 */
function polynomialAdapter(degree: number): ModelAdapter {
  const w = new Float32Array(9 * 2).map((_, i) => 0.3 + 0.2 * Math.cos(i + 2));
  const base = adapterFor(linearModel(3, 3, 1, 2, w, new Float32Array([0.3, 0.3])));
  return headedAdapter(base, (first) => {
    let p = first;
    for (let d = 1; d < degree; d++) p = tf.mul(p, first);
    return p;
  });
}

/**
 * Class 0 scores relu(sign·w·x − c), class 1 w·x (a linear model on an h×w×c input with a ReLU on class 0): on
 * IG's path from black the class-0 score has one kink, at α = c / (sign·w·x).
 */
function reluAdapter(w: Float32Array, c: number, shape: [number, number, number] = [3, 3, 1], sign = 1): ModelAdapter {
  return headedAdapter(adapterFor(linearModel(...shape, 2, w)), (s0) => tf.relu(tf.sub(tf.mul(s0, sign), c)));
}
