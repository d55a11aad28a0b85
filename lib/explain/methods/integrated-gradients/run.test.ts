import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import type { ModelAdapter } from '../../types';
import { TEST_BACKENDS, switchBackend } from '@/lib/testing/backends';
import { adapterFor, expectLeakTargetAbortOnSmallCnn } from '@/lib/testing/explain';
import { constantImage, linearModel, seededImage, smallCnn } from '@/lib/testing/models';
import { integratedGradients, makeBaseline, riemannPoints, trapezoidLevels } from './run';

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

  it('refining trapezoid: doubles 8 → 16 → … until the error is within the target; equals the plain trapezoid at the steps it used', async () => {
    const adapter = adapterFor(smallCnn(7));
    const img = seededImage(8, 8, 3, 13);
    expect(trapezoidLevels(64)).toEqual([8, 16, 32, 64]);
    expect(trapezoidLevels(100)).toEqual([25, 50, 100]);
    expect(trapezoidLevels(7)).toEqual([7]);
    for (const targetError of [0.05, 0.002]) {
      const a = await integratedGradients.run(adapter, img, 0, { steps: 256, targetError, batchSize: 16 });
      const used = a.extras.stepsUsed;
      expect(trapezoidLevels(256)).toContain(used);
      if (used < 256) expect(a.extras.completenessError).toBeLessThanOrEqual(targetError);
      const plain = await integratedGradients.run(adapter, img, 0, { steps: used, targetError: 0, batchSize: 16 });
      expect(plain.extras.sumAttributions).toBeCloseTo(a.extras.sumAttributions, 5);
      for (let p = 0; p < 64; p++) expect(a.values[p]).toBeCloseTo(plain.values[p] as number, 5);
    }
    // A tight target needs more steps than a loose one.
    const loose = await integratedGradients.run(adapter, img, 0, { steps: 256, targetError: 0.05 });
    const tight = await integratedGradients.run(adapter, img, 0, { steps: 256, targetError: 0.0001 });
    expect(tight.extras.stepsUsed).toBeGreaterThan(loose.extras.stepsUsed);
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
});

/**
 * A toy model whose class-0 score is (w·x + b)^degree and class-1 score w·x + b (a linear model raised to a
 * power): along IG's straight path the score is a polynomial of `degree` in α, so the integrand has degree
 * `degree` − 1.
 */
function polynomialAdapter(degree: number): ModelAdapter {
  const w = new Float32Array(9 * 2).map((_, i) => 0.3 + 0.2 * Math.cos(i + 2));
  const base = adapterFor(linearModel(3, 3, 1, 2, w, new Float32Array([0.3, 0.3])));
  const scores = (x: tf.Tensor4D): tf.Tensor2D =>
    tf.tidy(() => {
      const s = base.scores(x);
      let p = s.slice([0, 0], [-1, 1]);
      const first = p;
      for (let d = 1; d < degree; d++) p = tf.mul(p, first);
      return tf.concat([p, s.slice([0, 1], [-1, 1])], 1);
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
