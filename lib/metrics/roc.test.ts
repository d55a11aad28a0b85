import { describe, expect, it } from 'vitest';
import { mulberry32 } from '@/lib/random';
import { binaryCurves, mannWhitneyAuc, thinPoints } from './roc';

describe('binaryCurves', () => {
  it('hand case: 4 images (scikit-learn docs example), ROC AUC 0.75 and AP 0.8333', () => {
    const c = binaryCurves([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]);
    // thresholds walk 0.8 → 0.4 → 0.35 → 0.1: (0,0) (0,½) (½,½) (½,1) (1,1)
    expect(c.points.map((p) => [p.fpr, p.tpr])).toEqual([
      [0, 0],
      [0, 0.5],
      [0.5, 0.5],
      [0.5, 1],
      [1, 1],
    ]);
    expect(c.rocAuc).toBeCloseTo(0.75, 12);
    // AP = ½·1 + ½·⅔ (precision 2/3 when recall reaches 1)
    expect(c.averagePrecision).toBeCloseTo(0.5 + 0.5 * (2 / 3), 12);
    expect(c.positives).toBe(2);
    expect(c.negatives).toBe(2);
  });

  it('a tie is one diagonal step worth ½: scores {.9,.5} positive, {.5,.2} negative → 3.5/4', () => {
    const c = binaryCurves([0.5, 0.5, 0.2, 0.9], [1, 0, 0, 1]);
    expect(c.rocAuc).toBeCloseTo(0.875, 12);
    expect(c.points).toHaveLength(4); // (0,0), after .9, after the .5 tie, after .2
  });

  it('the decision "score > threshold" reproduces each point’s counts', () => {
    const rnd = mulberry32(5);
    const s = Array.from({ length: 300 }, () => Math.round(rnd() * 20) / 20);
    const y = s.map((v) => (rnd() < v ? 1 : 0));
    const c = binaryCurves(s, y);
    for (const p of c.points) {
      const tp = s.filter((v, i) => v > p.threshold && y[i]).length;
      const fp = s.filter((v, i) => v > p.threshold && !y[i]).length;
      expect([p.tp, p.fp]).toEqual([tp, fp]);
    }
  });

  it('precision at another prevalence: π·TPR / (π·TPR + (1−π)·FPR)', () => {
    const c = binaryCurves([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1], 0.02);
    const p = c.points[3]!; // TPR 1, FPR ½
    expect(p.precision).toBeCloseTo(0.02 / (0.02 + 0.98 * 0.5), 12);
    expect(c.points[0]!.precision).toBeNull(); // nothing decided positive
  });

  it('no positives or no negatives: areas are null, not NaN', () => {
    expect(binaryCurves([0.2, 0.3], [0, 0]).rocAuc).toBeNull();
    expect(binaryCurves([0.2, 0.3], [1, 1]).averagePrecision).toBeNull();
    expect(mannWhitneyAuc([0.2, 0.3], [1, 1])).toBeNull();
  });

  it('rejects non-finite scores and length mismatches with a message', () => {
    expect(() => binaryCurves([0.2, NaN], [0, 1])).toThrow(/Score 1 = NaN is not finite/);
    expect(() => binaryCurves([0.2], [0, 1])).toThrow(/lengths differ/);
    expect(() => binaryCurves([0.2, 0.3], [0, 1], 1)).toThrow(/prevalence/);
  });
});

describe('Mann–Whitney identity', () => {
  it('the trapezoid ROC AUC equals the rank statistic on 2,000 scores with many ties', () => {
    const rnd = mulberry32(11);
    for (let trial = 0; trial < 5; trial++) {
      const s = Array.from({ length: 2000 }, () => Math.round(rnd() * 50) / 50);
      const y = s.map((v) => (rnd() < 0.2 + 0.6 * v ? 1 : 0));
      const auc = binaryCurves(s, y).rocAuc!;
      expect(auc).toBeGreaterThan(0.5);
      expect(auc).toBeCloseTo(mannWhitneyAuc(s, y)!, 12);
    }
  });

  it('pairwise definition on a small case: P(s₊ > s₋) + ½ P(s₊ = s₋)', () => {
    const s = [0.3, 0.7, 0.7, 0.1, 0.9, 0.3];
    const y = [1, 0, 1, 0, 1, 0];
    let sum = 0;
    let pairs = 0;
    s.forEach((a, i) =>
      s.forEach((b, j) => {
        if (!y[i] || y[j]) return;
        pairs++;
        sum += a > b ? 1 : a === b ? 0.5 : 0;
      }),
    );
    expect(mannWhitneyAuc(s, y)).toBeCloseTo(sum / pairs, 12);
    expect(binaryCurves(s, y).rocAuc).toBeCloseTo(sum / pairs, 12);
  });
});

describe('thinPoints', () => {
  it('keeps the ends and at most max points', () => {
    const pts = Array.from({ length: 1001 }, (_, i) => i);
    const t = thinPoints(pts, 50);
    expect(t).toHaveLength(50);
    expect(t[0]).toBe(0);
    expect(t[49]).toBe(1000);
    expect(thinPoints([1, 2, 3], 50)).toEqual([1, 2, 3]);
  });
});
