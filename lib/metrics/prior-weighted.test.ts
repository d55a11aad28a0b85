import { describe, expect, it } from 'vitest';
import { analyse } from './analysis';
import { empiricalPriors, reweightPosteriors, setPriorShare } from './priors';
import { weightedMetrics } from './prior-weighted';
import { FASHION, randomLabels, randomPosteriors } from './testing';

describe('weightedMetrics', () => {
  it('re-weighting with the set’s own mix changes nothing (metrics and posteriors)', () => {
    const k = 10;
    const p = randomPosteriors(600, k, 1);
    const y = randomLabels(600, k, 2);
    const own = Array.from(empiricalPriors(y, k));
    const a = analyse({
      probs: p,
      labels: y,
      classNames: FASHION,
      settings: { matrix: { overrides: [[3, 1, 8]] }, priors: null, merges: [] },
    });
    const r = a.costOptimal;
    const plain = weightedMetrics(y, r.decisions, k, r.cost.perImage, r.expectedCostPerImage, null);
    const mixed = weightedMetrics(y, r.decisions, k, r.cost.perImage, r.expectedCostPerImage, own);
    expect(plain.accuracy).toBeCloseTo(r.summary.accuracy!, 12);
    expect(mixed.accuracy).toBeCloseTo(r.summary.accuracy!, 12);
    expect(mixed.realisedCost).toBeCloseTo(r.cost.mean!, 12);
    expect(mixed.expectedCost).toBeCloseTo(r.meanExpectedCost, 12);
    mixed.precision.forEach((v, j) => expect(v ?? -1).toBeCloseTo(r.perClass[j]!.precision ?? -1, 12));
    // Posteriors re-weighted from the set's mix to the set's mix are unchanged.
    reweightPosteriors(p, k, own, own).forEach((v, i) => expect(v).toBeCloseTo(p[i]!, 6));
  });

  it('hand case: 2 classes, 4 and 1 images; at 50/50 the lone class weighs as much as the four', () => {
    const y = [0, 0, 0, 0, 1];
    const d = [0, 0, 1, 0, 1]; // one false alarm
    const cost = [0, 0, 1, 0, 0];
    const m = weightedMetrics(y, d, 2, cost, cost, [0.5, 0.5]);
    expect(m.accuracy).toBeCloseTo(0.5 * 0.75 + 0.5 * 1, 12);
    // precision of class 1: W(1,1) = .5; W(0,1) = .5/4
    expect(m.precision[1]).toBeCloseTo(0.5 / (0.5 + 0.125), 12);
    expect(m.realisedCost).toBeCloseTo(0.125, 12);
    expect(weightedMetrics(y, d, 2, cost, cost, null).accuracy).toBeCloseTo(0.8, 12);
  });
});

describe('setPriorShare', () => {
  it('sets one class and scales the others in proportion', () => {
    const p = setPriorShare([1, 1, 2], 3, 0, 0.02);
    expect(Array.from(p)).toEqual([0.02, expect.closeTo(0.98 / 3, 12), expect.closeTo((0.98 * 2) / 3, 12)]);
    const q = setPriorShare([1, 0, 0], 3, 0, 0.5);
    expect(Array.from(q)).toEqual([0.5, 0.25, 0.25]);
    expect(() => setPriorShare([1, 1], 2, 0, 1.5)).toThrow(/between 0 and 100 %/);
    expect(() => setPriorShare([1, 1], 2, 5, 0.5)).toThrow(/class 5/);
  });
});
