import { describe, expect, it } from 'vitest';
import { mulberry32 } from '@/lib/random';
import { empiricalPriors, estimatePriorsEM, normalizePriors, reweightPosteriors, uniformPriors } from './priors';
import { randomPosteriors } from './testing';

function expectClose(a: ArrayLike<number>, b: ArrayLike<number>, digits = 6) {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i] as number, digits);
}

describe('reweightPosteriors', () => {
  it('uniform to uniform changes nothing', () => {
    const p = randomPosteriors(50, 4, 3);
    expectClose(reweightPosteriors(p, 4, uniformPriors(4)), p);
    expectClose(reweightPosteriors(p, 4, [1, 1, 1, 1], [2, 2, 2, 2]), p);
  });

  it('π′ = π (non-uniform) changes nothing', () => {
    const p = randomPosteriors(50, 3, 4);
    expectClose(reweightPosteriors(p, 3, [0.2, 0.3, 0.5], [0.2, 0.3, 0.5]), p);
  });

  it('hand-computed shifts', () => {
    // p = (.5,.5) under uniform training priors, new priors (.9,.1) → (.9,.1)
    expectClose(reweightPosteriors([0.5, 0.5], 2, [0.9, 0.1]), [0.9, 0.1]);
    // p = (.8,.2), π = (.5,.5), π′ = (.2,.8): .8·.4 = .32 and .2·1.6 = .32 → (.5,.5)
    expectClose(reweightPosteriors([0.8, 0.2], 2, [0.2, 0.8]), [0.5, 0.5]);
    // unnormalised priors (counts) are accepted: π = (1,3) ≡ (.25,.75), π′ uniform; p = (.25,.75) → (.5,.5)
    expectClose(reweightPosteriors([0.25, 0.75], 2, [1, 1], [1, 3]), [0.5, 0.5]);
  });

  it('shifting there and back recovers the original', () => {
    const p = randomPosteriors(40, 5, 8);
    const a = [0.1, 0.2, 0.3, 0.15, 0.25];
    const b = [0.4, 0.05, 0.05, 0.3, 0.2];
    expectClose(reweightPosteriors(reweightPosteriors(p, 5, b, a), 5, a, b), p, 5);
  });

  it('guards zero priors', () => {
    // new prior 0 → that class gets 0
    const out = reweightPosteriors([0.5, 0.3, 0.2], 3, [0, 1, 1]);
    expectClose(out, [0, 0.6, 0.4]);
    // all mass on a class whose new prior is 0 → the row becomes the new priors
    expectClose(reweightPosteriors([1, 0, 0], 3, [0, 1, 3]), [0, 0.25, 0.75]);
    // training prior 0 with positive new prior → clear error
    expect(() => reweightPosteriors([0.5, 0.5], 2, [0.5, 0.5], [1, 0])).toThrow(/Class 1 has training prior 0/);
    // training prior 0 and new prior 0 is fine
    expectClose(reweightPosteriors([0.5, 0.5, 0], 3, [1, 1, 0], [1, 1, 0]), [0.5, 0.5, 0]);
    for (const v of out) expect(Number.isNaN(v)).toBe(false);
  });

  it('rejects bad priors with clear messages', () => {
    expect(() => normalizePriors([1, 2], 3)).toThrow(/2 entries; the model has 3/);
    expect(() => normalizePriors([1, -1], 2)).toThrow(/entry 1 = -1/);
    expect(() => normalizePriors([0, 0], 2)).toThrow(/sum to 0/);
    expect(() => normalizePriors([NaN, 1], 2)).toThrow(/finite/);
  });

  it('rows sum to 1', () => {
    const out = reweightPosteriors(randomPosteriors(30, 6, 1), 6, [5, 1, 1, 1, 1, 1]);
    for (let r = 0; r < 30; r++) {
      let s = 0;
      for (let j = 0; j < 6; j++) s += out[r * 6 + j] as number;
      expect(s).toBeCloseTo(1, 6);
    }
  });
});

describe('empiricalPriors', () => {
  it('class frequencies', () => {
    expect(Array.from(empiricalPriors([0, 1, 1, 1], 3))).toEqual([0.25, 0.75, 0]);
    expect(Array.from(empiricalPriors([0, 1, 1, 1], 3, 1))).toEqual([2 / 7, 4 / 7, 1 / 7]);
    expect(() => empiricalPriors([], 2)).toThrow(/sum to 0/);
  });
});

describe('estimatePriorsEM', () => {
  // Two 1-D Gaussians N(−1,1) and N(+1,1) with equal training priors: the Bayes posterior is
  // p(1|x) = σ(2x). Draw a test set with priors (0.8, 0.2); EM on the posteriors alone should find ≈ 0.8.
  it('recovers the priors of a shifted synthetic test set', () => {
    const rnd = mulberry32(2024);
    const n = 20000;
    const probs = new Float32Array(2 * n);
    let ones = 0;
    for (let i = 0; i < n; i++) {
      const y = rnd() < 0.2 ? 1 : 0;
      ones += y;
      const g = Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
      const x = (y === 1 ? 1 : -1) + g;
      const p1 = 1 / (1 + Math.exp(-2 * x));
      probs[2 * i] = 1 - p1;
      probs[2 * i + 1] = p1;
    }
    const est = estimatePriorsEM(probs, 2);
    expect(est.converged).toBe(true);
    expect(est.priors[1]).toBeCloseTo(ones / n, 1.5); // within ±0.016 of the sample frequency
    expect(Math.abs((est.priors[1] as number) - 0.2)).toBeLessThan(0.02);
    // the naive mean posterior is biased towards 0.5 — EM must do better
    let mean1 = 0;
    for (let i = 0; i < n; i++) mean1 += probs[2 * i + 1] as number;
    mean1 /= n;
    expect(Math.abs((est.priors[1] as number) - ones / n)).toBeLessThan(Math.abs(mean1 - ones / n));
  });

  it('is a fixed point when the posteriors already average to the training priors', () => {
    const est = estimatePriorsEM([0.7, 0.3, 0.3, 0.7], 2);
    expectClose(est.priors, [0.5, 0.5]);
    expect(est.iterations).toBe(1);
  });
});
