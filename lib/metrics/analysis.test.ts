import { describe, expect, it } from 'vitest';
import { analyse, type AnalysisSettings } from './analysis';
import { CostMatrixError, denseCostMatrix, zeroOneCost, missedClassCost } from './cost';
import { classMapping, mergeConfusion } from './merge';
import { confusionMatrix } from './confusion';
import { argmaxRows } from './common';
import { randomLabels, randomPosteriors } from './testing';

const sum = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0);

// Four images, two classes. Hand-computed below.
const P = Float32Array.from([0.9, 0.1, 0.6, 0.4, 0.3, 0.7, 0.2, 0.8]);
const Y = Int32Array.from([0, 1, 1, 0]);
const NAMES = ['a', 'b'];
const settings = (s: Partial<AnalysisSettings> = {}): AnalysisSettings => ({
  matrix: [
    [0, 1],
    [1, 0],
  ],
  priors: null,
  merges: [],
  ...s,
});

describe('analyse — hand-computed 2-class case', () => {
  it('argmax rule with 0/1 costs', () => {
    const a = analyse({ probs: P, labels: Y, classNames: NAMES, settings: settings() });
    expect(a.k).toBe(2);
    expect(Array.from(a.argmax.decisions)).toEqual([0, 0, 1, 1]);
    // true a: [img0→a, img3→b]; true b: [img1→a, img2→b]
    expect(Array.from(a.argmax.confusion.counts)).toEqual([1, 1, 1, 1]);
    expect(a.argmax.summary.accuracy).toBe(0.5);
    expect(a.argmax.cost.total).toBe(2);
    expect(a.argmax.cost.mean).toBe(0.5);
    // Expected 0/1 cost of the argmax decision is 1 − max p: 0.1 + 0.4 + 0.3 + 0.2 = 1.0
    expect(a.argmax.meanExpectedCost).toBeCloseTo(0.25, 6);
    expect(Array.from(a.costOptimal.decisions)).toEqual([0, 0, 1, 1]);
  });

  it('"missing b costs 5": the Bayes rule flips image 1 to b; costs match the hand computation', () => {
    const a = analyse({
      probs: P,
      labels: Y,
      classNames: NAMES,
      settings: settings({
        matrix: [
          [0, 1],
          [5, 0],
        ],
      }),
    });
    // R(a|x) = 5·p(b|x), R(b|x) = p(a|x): img0 0.5 vs 0.9 → a; img1 2.0 vs 0.6 → b; img2 3.5 vs 0.3 → b; img3 4.0 vs 0.2 → b
    expect(Array.from(a.costOptimal.decisions)).toEqual([0, 1, 1, 1]);
    expect(Array.from(a.costOptimal.confusion.counts)).toEqual([1, 1, 0, 2]);
    expect(a.costOptimal.perClass[1]?.recall).toBe(1);
    expect(a.argmax.perClass[1]?.recall).toBe(0.5);
    // realised: argmax pays C[b][a] = 5 (img1) + C[a][b] = 1 (img3); Bayes pays only img3's 1
    expect(a.argmax.cost.total).toBe(6);
    expect(a.costOptimal.cost.total).toBe(1);
    expect(a.argmax.cost.perClass.map((c) => c.total)).toEqual([1, 5]);
    // expected: argmax 0.5 + 2.0 + 0.3 + 0.2 = 3.0 → 0.75; Bayes 0.5 + 0.6 + 0.3 + 0.2 = 1.6 → 0.4
    expect(a.argmax.meanExpectedCost).toBeCloseTo(0.75, 6);
    expect(a.costOptimal.meanExpectedCost).toBeCloseTo(0.4, 6);
    expect(a.costOptimal.expectedCostPerImage[1]).toBeCloseTo(0.6, 6);
  });

  it('priors 1:3 re-weight the posteriors (Saerens eq. 2.4) before deciding', () => {
    const a = analyse({ probs: P, labels: Y, classNames: NAMES, settings: settings({ priors: [1, 3] }) });
    // ratios 0.5, 1.5: img0 [0.45, 0.15]/0.6 = [0.75, 0.25]; img1 [0.3, 0.6]/0.9 = [1/3, 2/3]
    expect(a.probs[0]).toBeCloseTo(0.75, 6);
    expect(a.probs[2]).toBeCloseTo(1 / 3, 6);
    expect(a.probs[3]).toBeCloseTo(2 / 3, 6);
    expect(Array.from(a.argmax.decisions)).toEqual([0, 1, 1, 1]);
    expect(a.priors && Array.from(a.priors)).toEqual([0.25, 0.75]);
  });

  it('non-uniform training priors are divided out', () => {
    // trained with 1:3, deployed 1:3 → no change; deployed uniform → ratios 2, 2/3
    const deployedAt = (priors: number[]) =>
      analyse({ probs: P, labels: Y, classNames: NAMES, settings: settings({ priors }), trainPriors: [1, 3] });
    const same = deployedAt([1, 3]);
    expect(same.probs[2]).toBeCloseTo(0.6, 6);
    const uni = deployedAt([1, 1]);
    // img1: [1.2, 0.4 * 2/3] = [1.2, 0.2667] / 1.4667
    expect(uni.probs[2]).toBeCloseTo(1.2 / (1.2 + 0.8 / 3), 5);
  });
});

describe('analyse — merges', () => {
  it('merging a and b into one class: 3 → 2 classes, names, costs and counts follow', () => {
    const probs = Float32Array.from([0.5, 0.3, 0.2, 0.1, 0.2, 0.7, 0.3, 0.3, 0.4]);
    const labels = Int32Array.from([1, 2, 0]);
    const a = analyse({
      probs,
      labels,
      classNames: ['a', 'b', 'c'],
      settings: {
        matrix: [
          [0, 1, 2],
          [1, 0, 4],
          [1, 1, 0],
        ],
        priors: null,
        merges: [[0, 1]],
      },
    });
    expect(a.k).toBe(2);
    expect(a.classNames).toEqual(['a + b', 'c']);
    expect(Array.from(a.labels)).toEqual([0, 1, 0]);
    expect(a.probs[0]).toBeCloseTo(0.8, 6);
    expect(a.probs[5]).toBeCloseTo(0.4, 6);
    // img0 {a,b} 0.8 → correct; img1 c 0.7 → correct; img2 {a,b} 0.6 vs c 0.4 → correct (was wrong: c)
    expect(a.argmax.summary.accuracy).toBe(1);
    // cost rows weighted by the set's frequencies inside {a,b}: a 1, b 1 → ½·2 + ½·4 = 3 for ({a,b}, c)
    expect(denseCostMatrix(a.cost).matrix).toEqual([
      [0, 3],
      [1, 0],
    ]);
  });

  it('invariant: merging adds rows and columns of the confusion matrix', () => {
    const k = 10;
    const probs = randomPosteriors(500, k, 11);
    const labels = randomLabels(500, k, 12);
    const merges = [
      [0, 6],
      [2, 4],
    ];
    const a = analyse({
      probs,
      labels,
      classNames: Array.from({ length: k }, (_, i) => `c${i}`),
      settings: {
        matrix: zeroOneCost(
          Array(k)
            .fill('x')
            .map((_, i) => `c${i}`),
        ).matrix,
        priors: null,
        merges,
      },
    });
    const m = classMapping(k, merges);
    // Sums of posterior columns can change the argmax, so compare against the merged posteriors' own
    // argmax; but the merged matrix of the ORIGINAL argmax decisions is still the sum of rows/columns.
    const orig = confusionMatrix(labels, argmaxRows(probs, k), k);
    const merged = mergeConfusion(orig, m);
    expect(merged.k).toBe(8);
    expect(a.k).toBe(8);
    expect(sum(a.argmax.confusion.counts)).toBe(500);
    // rows = support: summing the original supports of a group gives the merged support
    const origSupport = Array.from({ length: k }, (_, t) => sum(orig.counts.subarray(t * k, t * k + k)));
    expect(a.argmax.perClass[0]?.support).toBe((origSupport[0] as number) + (origSupport[6] as number));
    expect(a.argmax.perClass[2]?.support).toBe((origSupport[2] as number) + (origSupport[4] as number));
    // merging never lowers accuracy when the decisions are mapped (diagonal only gains)
    const trace = (c: Int32Array, kk: number) =>
      Array.from({ length: kk }, (_, i) => c[i * kk + i] as number).reduce((s, v) => s + v, 0);
    expect(trace(merged.counts, 8)).toBeGreaterThanOrEqual(trace(orig.counts, k));
  });
});

describe('analyse — invariants on random data', () => {
  const k = 10;
  const n = 2000;
  const names = Array.from({ length: k }, (_, i) => `class ${i}`);
  const probs = randomPosteriors(n, k, 1);
  const labels = randomLabels(n, k, 2);
  /** The random set under `matrix` (default 0/1 costs), `priors` and `merges`. */
  const run = (matrix = zeroOneCost(names).matrix, priors: number[] | null = null, merges: number[][] = []) =>
    analyse({ probs, labels, classNames: names, settings: { matrix, priors, merges } });

  it('confusion sums to N; 0/1 mean cost = error rate; both rules agree under 0/1', () => {
    const a = run();
    expect(sum(a.argmax.confusion.counts)).toBe(n);
    expect(sum(a.costOptimal.confusion.counts)).toBe(n);
    expect(a.argmax.cost.mean).toBeCloseTo(1 - (a.argmax.summary.accuracy as number), 12);
    expect(Array.from(a.costOptimal.decisions)).toEqual(Array.from(a.argmax.decisions));
    expect(a.calibration.n).toBe(n);
    expect(sum(a.calibration.bins.map((b) => b.count))).toBe(n);
  });

  it('the cost-optimal rule never has a higher expected cost, image by image', () => {
    const C = missedClassCost(names, 3, 20);
    C.matrix[5]![7] = 7;
    const a = run(C.matrix, [1, 2, 3, 4, 5, 5, 4, 3, 2, 1], [[1, 2]]);
    for (let i = 0; i < n; i++) {
      expect(a.costOptimal.expectedCostPerImage[i]).toBeLessThanOrEqual(
        (a.argmax.expectedCostPerImage[i] as number) + 1e-12,
      );
    }
    expect(a.costOptimal.meanExpectedCost).toBeLessThan(a.argmax.meanExpectedCost);
  });

  it('punishing missed class 3 raises its recall under the cost-optimal rule', () => {
    const a = run(missedClassCost(names, 3, 10).matrix);
    expect(a.costOptimal.perClass[3]!.recall!).toBeGreaterThan(a.argmax.perClass[3]!.recall!);
  });

  it('uniform priors (with uniform training priors) change nothing', () => {
    const base = run();
    const uni = run(undefined, Array(k).fill(7));
    expect(Array.from(uni.argmax.confusion.counts)).toEqual(Array.from(base.argmax.confusion.counts));
    for (let i = 0; i < 50; i++) expect(uni.probs[i]).toBeCloseTo(base.probs[i] as number, 6);
    expect(uni.calibration.ece).toBeCloseTo(base.calibration.ece as number, 6);
  });

  it('does not mutate its inputs', () => {
    const p = probs.slice();
    const s = { matrix: missedClassCost(names, 0, 3).matrix, priors: [2, 1, 1, 1, 1, 1, 1, 1, 1, 1], merges: [[0, 9]] };
    const copy = JSON.stringify(s);
    analyse({ probs: p, labels, classNames: names, settings: s });
    expect(Array.from(p)).toEqual(Array.from(probs));
    expect(JSON.stringify(s)).toBe(copy);
  });
});

describe('analyse — errors', () => {
  const base = () => ({ probs: P, labels: Y, classNames: NAMES, settings: settings() });
  it.each<[string, Partial<ReturnType<typeof base>>, RegExp | typeof CostMatrixError]>([
    [
      'a cost matrix of the wrong size (both sizes named)',
      { settings: settings({ matrix: zeroOneCost(['a', 'b', 'c']).matrix }) },
      /3×3 but the model has 2 classes; it must be 2×2/,
    ],
    [
      'a negative cost',
      {
        settings: settings({
          matrix: [
            [0, -1],
            [1, 0],
          ],
        }),
      },
      CostMatrixError,
    ],
    ['priors of the wrong length', { settings: settings({ priors: [1] }) }, /1 entries; the model has 2/],
    ['priors summing to 0', { settings: settings({ priors: [0, 0] }) }, /sum to 0/],
    ['a merge naming no class', { settings: settings({ merges: [[0, 5]] }) }, /5 is not a class index/],
    ['a label out of range', { labels: Int32Array.from([0, 1, 2, 0]) }, /labels\[2\] = 2/],
    ['fewer labels than rows', { labels: Int32Array.from([0, 1]) }, /4 rows but there are 2 labels/],
  ])('refuses %s', (_, override, error) => {
    expect(() => analyse({ ...base(), ...override })).toThrow(error);
  });

  it('an empty set gives nulls, not NaN', () => {
    const a = analyse({
      probs: new Float32Array(0),
      labels: new Int32Array(0),
      classNames: NAMES,
      settings: settings({ merges: [[0, 1]] }),
    });
    expect(a.argmax.summary.accuracy).toBeNull();
    expect(a.argmax.meanExpectedCost).toBe(0);
    expect(a.calibration.ece).toBeNull();
  });
});
