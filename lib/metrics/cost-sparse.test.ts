import { describe, expect, it } from 'vitest';
import { mulberry32 } from '@/lib/random';
import {
  costAt,
  costMatrixLimitMessage,
  costMatrixProblems,
  costMatrixToCsv,
  CostMatrixError,
  costSummary,
  denseCostMatrix,
  expectedCostMatrix,
  expectedCosts,
  MAX_COST,
  MAX_COST_MATRIX_CLASSES,
  minExpectedCostDecisions,
  parseCostMatrixCsv,
  realisedCosts,
  zeroOneRule,
  type SparseCost,
} from './cost';
import { analyse } from './analysis';

function randomProbs(n: number, k: number, seed: number): Float32Array {
  const rnd = mulberry32(seed);
  const p = new Float32Array(n * k);
  for (let r = 0; r < n; r++) {
    let s = 0;
    for (let j = 0; j < k; j++) s += p[r * k + j] = rnd() + 1e-3;
    for (let j = 0; j < k; j++) p[r * k + j] = (p[r * k + j] as number) / s;
  }
  return p;
}

describe('sparse costs (0/1 rule + overrides)', () => {
  const labels = ['a', 'b', 'c', 'd'];
  const sparse: SparseCost = {
    labels,
    overrides: [
      [0, 1, 5],
      [2, 3, 0.5],
      [1, 1, 2],
      [0, 1, 7],
    ],
  };

  it('equal the dense matrix they stand for: costAt, expected costs, Bayes decisions, realised costs', () => {
    const dense = denseCostMatrix(sparse);
    expect(dense.matrix).toEqual([
      [0, 7, 1, 1], // the last override of [0][1] wins
      [1, 2, 1, 1],
      [1, 1, 0, 0.5],
      [1, 1, 1, 0],
    ]);
    for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) expect(costAt(sparse, i, j)).toBe(dense.matrix[i]?.[j]);
    const probs = randomProbs(50, 4, 7);
    const rs = expectedCostMatrix(probs, sparse);
    const rd = expectedCostMatrix(probs, dense);
    expect(rs.length).toBe(200);
    rs.forEach((v, i) => expect(v).toBeCloseTo(rd[i] as number, 10));
    expect(Array.from(minExpectedCostDecisions(probs, sparse))).toEqual(
      Array.from(minExpectedCostDecisions(probs, dense)),
    );
    const t = Int32Array.from({ length: 50 }, (_, i) => i % 4);
    const d = Int32Array.from({ length: 50 }, (_, i) => (i * 7) % 4);
    expect(Array.from(realisedCosts(t, d, sparse))).toEqual(Array.from(realisedCosts(t, d, dense)));
    expect(costSummary(t, d, sparse).total).toBeCloseTo(costSummary(t, d, dense).total, 10);
  });

  it('0/1 rule: expected cost = 1 − p(j), argmin = argmax', () => {
    const R = expectedCosts(Float32Array.from([0.2, 0.5, 0.3]), zeroOneRule(['x', 'y', 'z']));
    expect(Array.from(R).map((v) => Number(v.toFixed(6)))).toEqual([0.8, 0.5, 0.7]);
  });

  it('100,000 classes: expected costs, decisions and summaries allocate O(K), never K×K', () => {
    const k = 100_000;
    const big = Array.from({ length: k }, (_, i) => `class ${i}`);
    const rule: SparseCost = { labels: big, overrides: [[3, 4, 10]] };
    const probs = new Float32Array(2 * k).fill(0.5 / (k - 1));
    probs[4] = 0.5;
    probs[k + 99_999] = 0.5;
    const before = process.memoryUsage().arrayBuffers;
    const R = expectedCostMatrix(probs, rule);
    const dec = minExpectedCostDecisions(probs, rule);
    const after = process.memoryUsage().arrayBuffers;
    // A dense K×K Float64Array would be 80 GB; O(K) here is a few MB (R itself is 2·K doubles = 1.6 MB).
    expect(after - before).toBeLessThan(32 * 1024 * 1024);
    expect(R.length).toBe(2 * k);
    // Σp − p(4) + p(3)·(10 − 1) (float32 probabilities: Σp = 1 to ~1e-7)
    expect(R[4]).toBeCloseTo(1 - 0.5 + (0.5 / (k - 1)) * 9, 6);
    expect(Array.from(dec)).toEqual([4, 99_999]);
    expect(Array.from(realisedCosts(Int32Array.of(3, 7), Int32Array.of(4, 7), rule))).toEqual([10, 0]);
    expect(costMatrixProblems(rule, k)).toEqual([]);
  });

  it('refuses a dense form, import and export above the class limit with a plain message', () => {
    const big = Array.from({ length: MAX_COST_MATRIX_CLASSES + 1 }, (_, i) => `c${i}`);
    const msg = costMatrixLimitMessage(big.length);
    expect(msg).toContain(`handle up to ${MAX_COST_MATRIX_CLASSES}`);
    expect(() => denseCostMatrix(zeroOneRule(big))).toThrow(msg);
    expect(() => costMatrixToCsv(zeroOneRule(big))).toThrow(CostMatrixError);
    expect(() => parseCostMatrixCsv('a,b\n0,1\n1,0\n', big)).toThrow(msg);
  });

  it('names bad overrides: out of range, not finite, negative, too large', () => {
    const p = costMatrixProblems({
      labels: ['a', 'b'],
      overrides: [
        [0, 2, 1],
        [0, 1, NaN],
        [1, 0, -1],
        [1, 0, 1e308],
      ],
    });
    expect(p).toEqual([
      'Cost override 1 is not [true class, decision, cost] with classes in [0, 2).',
      'Entry [a][b] = NaN is not a finite number.',
      'Entry [b][a] = -1 is negative; costs must be ≥ 0.',
      `Entry [b][a] = 1e+308 is too large; costs must be at most ${MAX_COST}.`,
    ]);
  });

  it('1e308 in a dense matrix is refused with a message instead of overflowing to Infinity', () => {
    expect(() =>
      expectedCosts(Float32Array.of(0.5, 0.5), {
        labels: ['a', 'b'],
        matrix: [
          [0, 1e308],
          [1e308, 0],
        ],
      }),
    ).toThrow('is too large; costs must be at most 1000000000000');
  });

  it('Evaluate refuses 100,000 classes with a message (no K×K confusion), before touching the data', () => {
    const k = 100_000;
    const classNames = Array.from({ length: k }, (_, i) => `c${i}`);
    expect(() =>
      analyse({
        probs: new Float32Array(k),
        labels: Int32Array.of(0),
        classNames,
        settings: { matrix: { overrides: [] }, priors: null, merges: [] },
      }),
    ).toThrow("This model has 100,000 classes; Evaluate's confusion matrices and per-class tables handle up to 200.");
  });
});
