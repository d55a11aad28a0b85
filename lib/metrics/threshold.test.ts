import { describe, expect, it } from 'vitest';
import { argmaxRows } from './common';
import { missedClassCost, zeroOneRule } from './cost';
import { reweightPosteriors } from './priors';
import { randomLabels, randomPosteriors } from './testing';
import { costAtThreshold, costCurve, oneVsRest, priorWeights, thresholdDecisions } from './threshold';

/**
 * An exactly calibrated binary model on a balanced set: 100 score levels sᵢ = (i + ½)/100, 200 images at
 * each, 200·sᵢ of them positive. Returns [N×2] posteriors [1 − s, s] and labels.
 */
function calibratedBinary() {
  const probs: number[] = [];
  const labels: number[] = [];
  for (let i = 0; i < 100; i++) {
    const s = (i + 0.5) / 100;
    const pos = Math.round(200 * s);
    for (let m = 0; m < 200; m++) {
      probs.push(1 - s, s);
      labels.push(m < pos ? 1 : 0);
    }
  }
  return { probs: Float32Array.from(probs), labels: Int32Array.from(labels) };
}

describe('threshold rule', () => {
  it('binary: p > 0.5 is the argmax; one-vs-rest falls back to the best other class', () => {
    const p = randomPosteriors(400, 2, 3);
    const y = randomLabels(400, 2, 4);
    expect(thresholdDecisions(oneVsRest(p, y, 2, 1), 0.5)).toEqual(argmaxRows(p, 2));
    const q = Float32Array.from([0.3, 0.5, 0.2, 0.1, 0.2, 0.7]);
    const ovr = oneVsRest(q, [0, 2], 3, 0);
    expect(Array.from(ovr.fallback)).toEqual([1, 2]);
    expect(Array.from(thresholdDecisions(ovr, 0.25))).toEqual([0, 2]);
    expect(Array.from(thresholdDecisions(ovr, 0.05))).toEqual([0, 0]);
  });

  it('names a bad class', () => {
    expect(() => oneVsRest([0.5, 0.5], [0], 2, 2)).toThrow(/class 2 is not a class index/);
  });
});

describe('costCurve', () => {
  it('is exact: each segment equals the realised cost of the rule at a threshold inside it', () => {
    const k = 4;
    const p = randomPosteriors(300, k, 7);
    const y = randomLabels(300, k, 8);
    const costs = missedClassCost(['a', 'b', 'c', 'd'], 2, 7);
    const ovr = oneVsRest(p, y, k, 2);
    const w = priorWeights(y, k, [0.1, 0.2, 0.05, 0.65]);
    const curve = costCurve(ovr, y, costs, w);
    expect(curve.lower[0]).toBe(0);
    expect(curve.upper[curve.upper.length - 1]).toBe(1);
    for (const t of [0, 0.05, 0.2, 0.33, 0.5, 0.8, 0.999, 1]) {
      const d = thresholdDecisions(ovr, t);
      let direct = 0;
      d.forEach((dn, n) => (direct += costs.matrix[y[n]!]![dn]! * w[n]!));
      expect(costAtThreshold(curve, t)).toBeCloseTo(direct, 10);
    }
    // The best segment is no worse than any other.
    expect(Math.min(...curve.cost)).toBeCloseTo(curve.best.cost, 12);
  });

  it('calibrated binary model: the minimum sits at C_FP / (C_FP + C_FN) after prior correction', () => {
    const { probs, labels } = calibratedBinary();
    const cFN = 20; // a missed positive
    const cFP = 1; // a false alarm
    const costs = { labels: ['good', 'default'], overrides: [[1, 0, cFN] as const, [0, 1, cFP] as const] };
    const priors = [0.98, 0.02];
    // Prior correction from the balanced set (uniform) to 2 % positives, then weights at those priors.
    const shifted = reweightPosteriors(probs, 2, priors);
    const curve = costCurve(oneVsRest(shifted, labels, 2, 1), labels, costs, priorWeights(labels, 2, priors));
    const tStar = cFP / (cFP + cFN);
    expect(curve.best.lower).toBeLessThanOrEqual(tStar);
    expect(curve.best.upper).toBeGreaterThanOrEqual(tStar);
    expect(curve.best.upper - curve.best.lower).toBeLessThan(0.02);
    // On the set's own (balanced) mix the raw scores are calibrated, so 1/21 is the optimum there too.
    const raw = costCurve(oneVsRest(probs, labels, 2, 1), labels, costs, priorWeights(labels, 2, null));
    expect(raw.best.lower).toBeLessThanOrEqual(tStar);
    expect(raw.best.upper).toBeGreaterThanOrEqual(tStar);
    // At 2 % but on uncorrected scores the optimum moves to π₀·C_FP / (π₀·C_FP + π₁·C_FN) ≈ 0.71.
    const unshifted = costCurve(oneVsRest(probs, labels, 2, 1), labels, costs, priorWeights(labels, 2, priors));
    const tRaw = (priors[0]! * cFP) / (priors[0]! * cFP + priors[1]! * cFN);
    expect(tRaw).toBeGreaterThan(0.7);
    expect(unshifted.best.lower).toBeLessThanOrEqual(tRaw);
    expect(unshifted.best.upper).toBeGreaterThanOrEqual(tRaw);
  });

  it('0/1 costs on a binary model: the best threshold is the argmax’s 0.5 (on a calibrated model)', () => {
    const { probs, labels } = calibratedBinary();
    const curve = costCurve(
      oneVsRest(probs, labels, 2, 1),
      labels,
      zeroOneRule(['a', 'b']),
      priorWeights(labels, 2, null),
    );
    expect(curve.best.lower).toBeLessThanOrEqual(0.5);
    expect(curve.best.upper).toBeGreaterThanOrEqual(0.5);
  });
});

describe('priorWeights', () => {
  it('the set’s own mix gives 1/N each; priors give π′(y)/count(y), summing to 1', () => {
    const y = [0, 0, 0, 1];
    expect(Array.from(priorWeights(y, 2, null))).toEqual([0.25, 0.25, 0.25, 0.25]);
    const own = priorWeights(y, 2, [3, 1]);
    own.forEach((v) => expect(v).toBeCloseTo(0.25, 12));
    const w = priorWeights(y, 2, [0.5, 0.5]);
    expect(w[0]).toBeCloseTo(1 / 6, 12);
    expect(w[3]).toBeCloseTo(0.5, 12);
    expect(priorWeights(y, 3, [1, 1, 2]).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12); // absent class dropped
    expect(() => priorWeights(y, 2, [0, 0])).toThrow(/no weight/);
  });
});

describe('large K', () => {
  it('1,000 classes, sparse costs: the one-vs-rest cost curve needs no K×K array and stays exact', () => {
    const k = 1000;
    const n = 1000;
    const p = randomPosteriors(n, k, 13);
    const y = randomLabels(n, k, 14);
    const labels = Array.from({ length: k }, (_, i) => `c${i}`);
    const costs = {
      labels,
      overrides: Array.from({ length: k - 1 }, (_, j) => [7, j + (j >= 7 ? 1 : 0), 50] as const),
    };
    const ovr = oneVsRest(p, y, k, 7);
    const w = priorWeights(y, k, null);
    const curve = costCurve(ovr, y, costs, w);
    const t = 0.002;
    let direct = 0;
    thresholdDecisions(ovr, t).forEach((d, i) => (direct += (y[i] === d ? 0 : y[i] === 7 ? 50 : 1) / n));
    expect(costAtThreshold(curve, t)).toBeCloseTo(direct, 10);
  });
});
