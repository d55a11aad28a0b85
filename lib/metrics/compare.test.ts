import { describe, expect, it } from 'vitest';
import { mulberry32 } from '@/lib/random';
import {
  averageRanks,
  binomialTwoSidedHalf,
  chiSquare1Sf,
  differenceMap,
  erfc,
  mcnemar,
  pairedComparison,
  spearman,
  summaryDelta,
  topIndices,
  topKOverlap,
} from './compare';
import { confusionMatrix, summarize } from './confusion';

describe('Spearman', () => {
  it('identical → 1, negated → −1, monotone transform → 1', () => {
    const rnd = mulberry32(1);
    const a = Float32Array.from({ length: 500 }, () => rnd() - 0.5);
    expect(spearman(a, a)).toBeCloseTo(1, 12);
    expect(
      spearman(
        a,
        a.map((v) => -v),
      ),
    ).toBeCloseTo(-1, 12);
    expect(
      spearman(
        a,
        a.map((v) => Math.exp(3 * v)),
      ),
    ).toBeCloseTo(1, 12);
  });

  it('known example without ties (Wikipedia IQ vs TV hours): ρ = −29/165', () => {
    const iq = [106, 86, 100, 101, 99, 103, 97, 113, 112, 110];
    const tv = [7, 0, 27, 50, 28, 29, 20, 12, 6, 17];
    expect(spearman(iq, tv)).toBeCloseTo(-29 / 165, 12);
  });

  it('ties get average ranks (hand-computed and scipy.stats.spearmanr)', () => {
    expect(Array.from(averageRanks([5, 6, 7, 8, 7]))).toEqual([1, 2, 3.5, 5, 3.5]);
    // ranks a = 1..5, b = (1,2,3.5,5,3.5): Σdadb = 8, Σda² = 10, Σdb² = 9.5 → 8/√95
    expect(spearman([1, 2, 3, 4, 5], [5, 6, 7, 8, 7])).toBeCloseTo(8 / Math.sqrt(95), 12);
    // scipy.stats.spearmanr([3,1,4,1,5,9,2,6,5,3],[2,7,1,8,2,8,1,8,2,8]).statistic
    expect(spearman([3, 1, 4, 1, 5, 9, 2, 6, 5, 3], [2, 7, 1, 8, 2, 8, 1, 8, 2, 8])).toBeCloseTo(
      0.13471506281091267,
      12,
    );
  });

  it('constant map → null; mismatched lengths and NaN throw', () => {
    expect(spearman([1, 1, 1], [1, 2, 3])).toBeNull();
    expect(spearman([1], [1])).toBeNull();
    expect(() => spearman([1, 2], [1])).toThrow(/lengths differ/);
    expect(() => spearman([1, NaN], [1, 2])).toThrow(/map A\[1\]/);
  });
});

describe('top-k overlap', () => {
  it('identical → 1, disjoint → 0', () => {
    const a = Float32Array.from({ length: 100 }, (_, i) => i);
    expect(topKOverlap(a, a)).toBe(1);
    expect(
      topKOverlap(
        a,
        a.map((v) => -v),
      ),
    ).toBe(0);
  });

  it('hand-computed partial overlap and the fraction parameter', () => {
    // n = 10, 20 % → 2 pixels. Top of a: {9, 8}; top of b: {9, 0} → IoU = 1/3
    const a = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
    const b = [8, 1, 2, 3, 4, 5, 6, 7, 0, 9];
    expect(Array.from(topIndices(a, { fraction: 0.2 }))).toEqual([8, 9]);
    expect(topKOverlap(a, b, { fraction: 0.2 })).toBeCloseTo(1 / 3, 12);
    // 10 % → 1 pixel each: {9} and {9}
    expect(topKOverlap(a, b)).toBe(1);
    // 50 %: a {5..9}, b {0,5,6,7,9} → inter 4, union 6
    expect(topKOverlap(a, b, { fraction: 0.5 })).toBeCloseTo(4 / 6, 12);
  });

  it('ties at the threshold are taken in index order so the set has exactly m members', () => {
    expect(Array.from(topIndices([5, 5, 5, 5, 5, 5, 5, 5, 5, 5], { fraction: 0.2 }))).toEqual([0, 1]);
    expect(Array.from(topIndices([1, 3, 3, 3, 0], { fraction: 0.4 }))).toEqual([1, 2]);
    expect(Array.from(topIndices([1, 4, 3, 3, 0], { fraction: 0.4 }))).toEqual([1, 2]);
    expect(Array.from(topIndices([9, 4, 3, 3, 0], { fraction: 1 }))).toEqual([0, 1, 2, 3, 4]);
  });

  it('absolute mode ranks by |v|', () => {
    const a = [-10, 1, 2, 3];
    const b = [10, 1, 2, 3];
    expect(topKOverlap(a, b, { fraction: 0.25 })).toBe(0); // {3} vs {0}
    expect(topKOverlap(a, b, { fraction: 0.25, absolute: true })).toBe(1); // {0} vs {0}
  });

  it('validates the fraction', () => {
    expect(() => topKOverlap([1], [1], { fraction: 0 })).toThrow(/\(0, 1\]/);
    expect(topKOverlap([], [])).toBeNull();
  });
});

describe('differenceMap', () => {
  it('normalises each map by its own max |v| before subtracting', () => {
    const d = differenceMap([2, -4, 0, 1], [10, 0, -5, 10]);
    expect(d.scaleA).toBe(4);
    expect(d.scaleB).toBe(10);
    expect(Array.from(d.values)).toEqual([0.5 - 1, -1 - 0, 0 + 0.5, 0.25 - 1]);
    expect(d.maxAbs).toBe(1);
  });
  it('same map at different scales → zero difference; all-zero map → no NaN', () => {
    expect(differenceMap([1, 2, 3], [100, 200, 300]).maxAbs).toBeCloseTo(0, 6);
    const z = differenceMap([0, 0], [0, 3]);
    expect(Array.from(z.values)).toEqual([0, -1]);
  });
});

describe('special functions', () => {
  it('erfc matches reference values (Python math.erfc) to ~1e-7 relative', () => {
    const ref: [number, number][] = [
      [0, 1],
      [0.1, 0.8875370839817152],
      [0.5, 0.4795001221869535],
      [1, 0.15729920705028513],
      [1.5, 0.033894853524689274],
      [2, 0.004677734981047265],
      [3, 2.2090496998585438e-5],
      [4, 1.541725790028002e-8],
      [5, 1.5374597944280351e-12],
      [-0.5, 1.5204998778130465],
      [-2, 1.9953222650189528],
    ];
    for (const [x, want] of ref) expect(Math.abs(erfc(x) - want) / want).toBeLessThan(1.3e-7);
  });

  it('χ²(1) survival: the 5 % critical value 3.8415 gives 0.05', () => {
    expect(chiSquare1Sf(3.841458820694124)).toBeCloseTo(0.05, 7);
    expect(chiSquare1Sf(0)).toBe(1);
  });

  it('exact binomial two-sided test, also for large n (no underflow)', () => {
    expect(binomialTwoSidedHalf(2, 12)).toBeCloseTo(158 / 4096, 15);
    expect(binomialTwoSidedHalf(6, 12)).toBe(1);
    // scipy.stats.binomtest(150, 350).pvalue
    expect(binomialTwoSidedHalf(150, 350)).toBeCloseTo(0.008720036530555947, 12);
    expect(binomialTwoSidedHalf(900, 2000)).toBeGreaterThan(0);
    expect(binomialTwoSidedHalf(900, 2000)).toBeLessThan(1e-5);
  });
});

describe('McNemar', () => {
  it('b = 10, c = 2: exact p = 158/4096 ≈ 0.0386, χ² = 49/12 ≈ 4.083, p ≈ 0.0433', () => {
    const r = mcnemar(10, 2);
    expect(r.exactP).toBeCloseTo(0.03857421875, 12);
    expect(r.chiSquare).toBeCloseTo(4.083333333333333, 12);
    expect(r.chiSquareP as number).toBeCloseTo(0.04330814281079206, 7);
    expect(r.recommended).toBe('exact');
    expect(r.p).toBe(r.exactP);
    // symmetric in b, c
    expect(mcnemar(2, 10).exactP).toBe(r.exactP);
  });

  it('more tables checked against scipy (binomtest, chi2.sf)', () => {
    const cases: [number, number, number, number][] = [
      [3, 15, 0.007537841796875, 0.009521891184098848],
      [0, 6, 0.03125, 0.041226833337163815],
      [25, 30, 0.5900533317766354, 0.5896385516265671],
      [40, 18, 0.005354859650800294, 0.005825677828368395],
    ];
    for (const [b, c, exact, chi] of cases) {
      const r = mcnemar(b, c);
      expect(r.exactP).toBeCloseTo(exact, 12);
      expect(r.chiSquareP as number).toBeCloseTo(chi, 6);
    }
    expect(mcnemar(40, 18).recommended).toBe('chi-square');
  });

  it('b = c gives p = 1; no discordant pairs gives exact p = 1 and no χ²', () => {
    expect(mcnemar(7, 7)).toMatchObject({ exactP: 1, chiSquare: 0, chiSquareP: 1 });
    expect(mcnemar(0, 0)).toMatchObject({ exactP: 1, chiSquare: null, chiSquareP: null, p: 1 });
    expect(() => mcnemar(-1, 2)).toThrow(/non-negative integer/);
  });
});

describe('pairedComparison', () => {
  // 6 images, K = 3. A preds: 0 1 2 0 1 1 ; B preds: 0 2 2 1 1 0 ; labels: 0 1 2 1 0 0
  //   i0 both right, i1 A right B wrong (B conf in 2 = .7), i2 both right, i3 A wrong B right (B conf .6),
  //   i4 both wrong, i5 A wrong B right (B conf .9)
  const labels = [0, 1, 2, 1, 0, 0];
  const probsA = [0.8, 0.1, 0.1, 0.1, 0.8, 0.1, 0.1, 0.1, 0.8, 0.5, 0.3, 0.2, 0.2, 0.7, 0.1, 0.3, 0.6, 0.1];
  const probsB = [0.9, 0.05, 0.05, 0.1, 0.2, 0.7, 0.0, 0.1, 0.9, 0.3, 0.6, 0.1, 0.1, 0.8, 0.1, 0.9, 0.05, 0.05];

  it('table, accuracies, McNemar, regressions and fixes sorted by B confidence', () => {
    const r = pairedComparison(labels, probsA, probsB, 3);
    expect(r.table).toEqual({ bothRight: 2, aRightBWrong: 1, aWrongBRight: 2, bothWrong: 1 });
    expect(r.accuracyA).toBeCloseTo(3 / 6, 12);
    expect(r.accuracyB).toBeCloseTo(4 / 6, 12);
    expect(r.delta).toBeCloseTo(1 / 6, 12);
    expect(r.mcnemar.b).toBe(1);
    expect(r.mcnemar.c).toBe(2);
    expect(r.regressions).toEqual([{ index: 1, label: 1, predA: 1, predB: 2, confidence: 0.7 }]);
    expect(r.fixes.map((f) => [f.index, f.confidence])).toEqual([
      [5, 0.9],
      [3, 0.6],
    ]);
  });

  it('accepts explicit decisions (e.g. cost-based)', () => {
    const r = pairedComparison(labels, probsA, probsB, 3, { a: labels, b: [1, 1, 1, 1, 1, 1] });
    expect(r.accuracyA).toBe(1);
    expect(r.accuracyB).toBeCloseTo(2 / 6, 12);
    expect(r.regressions.map((x) => x.index)).toEqual([4, 2, 0, 5]); // B conf in class 1: i0 .05, i2 .1, i4 .8, i5 .05 → ties by index
  });

  it('rejects mismatched shapes', () => {
    expect(() => pairedComparison(labels, probsA, probsB.slice(3), 3)).toThrow(/5 rows but there are 6 labels/);
  });
});

describe('summaryDelta', () => {
  it('per-class and overall deltas B − A, null when either side is null', () => {
    const a = summarize(confusionMatrix([0, 0, 1, 1], [0, 1, 1, 1], 3));
    const b = summarize(confusionMatrix([0, 0, 1, 1], [0, 0, 1, 0], 3));
    const d = summaryDelta(a, b);
    expect(d.accuracy).toEqual({ a: 0.75, b: 0.75, delta: 0 });
    expect(d.perClass[0]?.recall).toEqual({ a: 0.5, b: 1, delta: 0.5 });
    expect(d.perClass[1]?.recall).toEqual({ a: 1, b: 0.5, delta: -0.5 });
    expect(d.perClass[2]?.recall).toEqual({ a: null, b: null, delta: null });
    expect(d.perClass[0]?.precision.delta).toBeCloseTo(2 / 3 - 1, 12);
  });
});
