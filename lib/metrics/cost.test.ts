import { describe, expect, it } from 'vitest';
import { mulberry32 } from '@/lib/random';
import { argmaxRows } from './common';
import {
  argmaxDecisions,
  costliestMistakes,
  costMatrixProblems,
  costMatrixToCsv,
  costMatrixToJson,
  CostMatrixError,
  costSummary,
  expectedCostMatrix,
  expectedCostOfDecisions,
  expectedCosts,
  minExpectedCostDecisions,
  missedClassCost,
  parseCostMatrixCsv,
  parseCostMatrixJson,
  realisedCosts,
  validateCostMatrix,
  zeroOneCost,
  type CostMatrix,
} from './cost';
import { randomPosteriors } from './testing';

const L = ['a', 'b', 'c'];
const C: CostMatrix = {
  labels: L,
  matrix: [
    [0, 1, 2],
    [10, 0, 1],
    [5, 5, 0],
  ],
};

describe('presets', () => {
  it('0/1 cost', () => {
    expect(zeroOneCost(['x', 'y']).matrix).toEqual([
      [0, 1],
      [1, 0],
    ]);
  });
  it('missing class X costs N times a false alarm', () => {
    expect(missedClassCost(L, 1, 10).matrix).toEqual([
      [0, 1, 1],
      [10, 0, 10],
      [1, 1, 0],
    ]);
    expect(() => missedClassCost(L, 3, 10)).toThrow(/not in \[0, 3\)/);
    expect(() => missedClassCost(L, 0, -1)).toThrow(/≥ 0/);
  });
});

describe('validation', () => {
  it('accepts a valid matrix', () => {
    expect(costMatrixProblems(C, 3)).toEqual([]);
  });
  it('reports non-square, K mismatch, non-finite and negative entries with clear messages', () => {
    expect(costMatrixProblems({ labels: ['a', 'b'], matrix: [[0, 1]] }).join(' ')).toMatch(
      /1 rows but there are 2 labels; it must be square/,
    );
    expect(costMatrixProblems({ labels: ['a', 'b'], matrix: [[0, 1], [1]] }).join(' ')).toMatch(
      /Row 2 \(b\) has 1 values; expected 2/,
    );
    expect(costMatrixProblems(C, 4)).toEqual(['The cost matrix has 3 classes but the model has 4.']);
    expect(
      costMatrixProblems({
        labels: ['a', 'b'],
        matrix: [
          [0, NaN],
          [-1, 0],
        ],
      }),
    ).toEqual(['Entry [a][b] = NaN is not a finite number.', 'Entry [b][a] = -1 is negative; costs must be ≥ 0.']);
    expect(
      costMatrixProblems({
        labels: ['a', 'a'],
        matrix: [
          [0, 1],
          [1, 0],
        ],
      }),
    ).toEqual(['The label "a" appears more than once.']);
    expect(() => validateCostMatrix({ labels: ['a'], matrix: [[Infinity]] })).toThrow(CostMatrixError);
  });
});

describe('expected cost and decisions', () => {
  it('hand-computed expected costs: R(j) = Σᵢ p(i)·C(i,j)', () => {
    const R = expectedCosts([0.6, 0.3, 0.1], C);
    // R(a) = .3·10 + .1·5 = 3.5 ; R(b) = .6·1 + .1·5 = 1.1 ; R(c) = .6·2 + .3·1 = 1.5
    expect(R[0]).toBeCloseTo(3.5, 12);
    expect(R[1]).toBeCloseTo(1.1, 12);
    expect(R[2]).toBeCloseTo(1.5, 12);
    const probs = [0.6, 0.3, 0.1, 0.1, 0.1, 0.8];
    expect(Array.from(argmaxDecisions(probs, 3))).toEqual([0, 2]);
    expect(Array.from(minExpectedCostDecisions(probs, C))).toEqual([1, 2]);
    const ec = expectedCostOfDecisions(probs, [0, 2], C);
    expect(ec[0]).toBeCloseTo(3.5, 12);
    expect(ec[1]).toBeCloseTo(0.1 * 2 + 0.1 * 1, 12);
  });

  it('0/1 cost: min-expected-cost rule equals argmax, mean realised cost equals error rate', () => {
    const k = 5;
    const n = 500;
    const probs = randomPosteriors(n, k, 11);
    const rnd = mulberry32(12);
    const labels = Int32Array.from({ length: n }, () => Math.floor(rnd() * k));
    const z = zeroOneCost(['0', '1', '2', '3', '4']);
    const am = argmaxRows(probs, k);
    expect(Array.from(minExpectedCostDecisions(probs, z))).toEqual(Array.from(am));
    let errors = 0;
    for (let i = 0; i < n; i++) if (am[i] !== labels[i]) errors++;
    const s = costSummary(labels, am, z);
    expect(s.mean).toBeCloseTo(errors / n, 12);
    expect(s.total).toBe(errors);
    // and the expected 0/1 cost of a decision is 1 − p(decision)
    const ec = expectedCostOfDecisions(probs, am, z);
    for (let i = 0; i < n; i++) expect(ec[i]).toBeCloseTo(1 - (probs[i * k + (am[i] as number)] as number), 6);
  });

  it('property: the min-expected-cost rule never has higher expected cost than argmax (random costs and posteriors)', () => {
    const rnd = mulberry32(99);
    for (let trial = 0; trial < 30; trial++) {
      const k = 2 + Math.floor(rnd() * 7);
      const labels = Array.from({ length: k }, (_, i) => `c${i}`);
      const matrix = labels.map((_, i) => labels.map((_, j) => (i === j ? 0 : Math.round(rnd() * 20 * 100) / 100)));
      const cm = { labels, matrix };
      const probs = randomPosteriors(200, k, 1000 + trial);
      const bayes = expectedCostOfDecisions(probs, minExpectedCostDecisions(probs, cm), cm);
      const arg = expectedCostOfDecisions(probs, argmaxRows(probs, k), cm);
      const R = expectedCostMatrix(probs, cm);
      let sumB = 0;
      let sumA = 0;
      for (let i = 0; i < 200; i++) {
        expect(bayes[i]).toBeLessThanOrEqual((arg[i] as number) + 1e-12);
        // and it is the minimum over all decisions
        for (let j = 0; j < k; j++) expect(bayes[i]).toBeLessThanOrEqual((R[i * k + j] as number) + 1e-12);
        sumB += bayes[i] as number;
        sumA += arg[i] as number;
      }
      expect(sumB).toBeLessThanOrEqual(sumA);
    }
  });

  it('rejects posteriors whose K does not match the matrix', () => {
    expect(() => expectedCosts([0.5, 0.5], C)).toThrow(/3 classes but the model has 2/);
    expect(() => minExpectedCostDecisions([0.5, 0.5], C)).toThrow(/not a multiple of K = 3/);
  });
});

describe('realised cost', () => {
  it('per image, per true class (mean, total) and total — hand-computed', () => {
    const labels = [0, 1, 2, 1];
    const decisions = [0, 0, 2, 2];
    expect(Array.from(realisedCosts(labels, decisions, C))).toEqual([0, 10, 0, 1]);
    const s = costSummary(labels, decisions, C);
    expect(s.total).toBe(11);
    expect(s.mean).toBe(2.75);
    expect(s.perClass).toEqual([
      { index: 0, count: 1, total: 0, mean: 0 },
      { index: 1, count: 2, total: 11, mean: 5.5 },
      { index: 2, count: 1, total: 0, mean: 0 },
    ]);
    expect(costSummary([0], [1], C).perClass[2]?.mean).toBeNull();
    expect(costSummary([], [], C).mean).toBeNull();
  });

  it('ranks the most costly mistakes (cost, then confidence, then index)', () => {
    const labels = [1, 1, 0, 2, 0];
    const decisions = [0, 0, 2, 0, 0];
    const probs = [0.5, 0.5, 0, 0.9, 0.1, 0, 0.2, 0, 0.8, 0.6, 0, 0.4, 1, 0, 0];
    const m = costliestMistakes(labels, decisions, C, probs);
    expect(m.map((x) => [x.index, x.cost])).toEqual([
      [1, 10],
      [0, 10],
      [3, 5],
      [2, 2],
    ]);
    expect(m[0]?.confidence).toBeCloseTo(0.9, 12);
    expect(costliestMistakes(labels, decisions, C, undefined, 2).map((x) => x.index)).toEqual([0, 1]);
  });
});

describe('JSON import/export', () => {
  it('round trips', () => {
    expect(parseCostMatrixJson(costMatrixToJson(C), L)).toEqual(C);
  });
  it('reorders labels into the model order and matches case-insensitively', () => {
    const text = JSON.stringify({
      labels: ['C', 'a', 'B'],
      matrix: [
        [0, 5, 5],
        [2, 0, 1],
        [1, 10, 0],
      ],
    });
    expect(parseCostMatrixJson(text, L)).toEqual(C);
  });
  it('reports malformed JSON, wrong shape, unknown labels, non-numbers, negatives', () => {
    expect(() => parseCostMatrixJson('{', L)).toThrow(/not valid JSON/);
    expect(() => parseCostMatrixJson('[]', L)).toThrow(/Expected a JSON object/);
    expect(() => parseCostMatrixJson('{"labels":[1,2,3],"matrix":[]}', L)).toThrow(
      /"labels" must be an array of strings/,
    );
    expect(() => parseCostMatrixJson(JSON.stringify({ labels: ['a', 'b', 'x'], matrix: C.matrix }), L)).toThrow(
      /Unknown label "x"/,
    );
    expect(() => parseCostMatrixJson(JSON.stringify({ labels: ['a', 'b', 'A'], matrix: C.matrix }), L)).toThrow(
      /names "a" twice/,
    );
    expect(() =>
      parseCostMatrixJson(
        JSON.stringify({
          labels: L,
          matrix: [
            [0, 1, 2],
            [1, 0],
            [1, 1, 0],
          ],
        }),
        L,
      ),
    ).toThrow(/Row 2 has 2 values/);
    expect(() =>
      parseCostMatrixJson(
        JSON.stringify({
          labels: L,
          matrix: [
            [0, '1', 2],
            [1, 0, 1],
            [1, 1, 0],
          ],
        }),
        L,
      ),
    ).toThrow(/Entry \[1\]\[2\] = "1" is not a number/);
    expect(() =>
      parseCostMatrixJson(
        JSON.stringify({
          labels: L,
          matrix: [
            [0, -1, 2],
            [1, 0, 1],
            [1, 1, 0],
          ],
        }),
        L,
      ),
    ).toThrow(/negative/);
    expect(() =>
      parseCostMatrixJson(
        JSON.stringify({
          labels: ['a', 'b'],
          matrix: [
            [0, 1],
            [1, 0],
          ],
        }),
        L,
      ),
    ).toThrow(/2 labels but the model has 3/);
  });
});

describe('CSV import/export', () => {
  it('round trips, including labels that need quoting', () => {
    const labels = ['T-shirt/top', 'Bag, small', 'say "hi"'];
    const c = { labels, matrix: C.matrix };
    const csv = costMatrixToCsv(c);
    expect(csv.split('\n')[0]).toBe('true\\decision,T-shirt/top,"Bag, small","say ""hi"""');
    expect(parseCostMatrixCsv(csv, labels)).toEqual(c);
  });
  it('accepts a file without the label column (rows in header order)', () => {
    expect(parseCostMatrixCsv('a,b,c\n0,1,2\n10,0,1\n5,5,0\n', L)).toEqual(C);
  });
  it('accepts a label column without a corner cell, rows in any order, semicolons, CRLF and a BOM', () => {
    expect(parseCostMatrixCsv('\ufeffb;a;c\r\nc;5;5;0\r\na;1;0;2\r\nb;0;10;1\r\n', L)).toEqual(C);
  });
  it('reports ragged rows, non-numbers, unknown labels and a wrong header, naming the line', () => {
    expect(() => parseCostMatrixCsv(',a,b,c\na,0,1,2\nb,10,0\nc,5,5,0', L)).toThrow(
      /Line 3: 3 cells; expected 4 \(ragged row\)/,
    );
    expect(() => parseCostMatrixCsv(',a,b,c\na,0,one,2\nb,10,0,1\nc,5,5,0', L)).toThrow(
      /Line 2, column "b": "one" is not a number/,
    );
    expect(() => parseCostMatrixCsv(',a,b,c\na,0,,2\nb,10,0,1\nc,5,5,0', L)).toThrow(/"" is not a number/);
    expect(() => parseCostMatrixCsv(',a,b,zebra\na,0,1,2\nb,10,0,1\nzebra,5,5,0', L)).toThrow(/Unknown label "zebra"/);
    expect(() => parseCostMatrixCsv(',a,b,c\na,0,1,2\nb,10,0,1\nq,5,5,0', L)).toThrow(
      /Unknown label "q" in the row labels/,
    );
    expect(() => parseCostMatrixCsv('a,b\n0,1\n1,0', L)).toThrow(/header has 2 cells/);
    expect(() => parseCostMatrixCsv(',a,b,c\na,0,1,2\nb,10,0,1', L)).toThrow(/found 2/);
    expect(() => parseCostMatrixCsv('', L)).toThrow(/empty/);
    expect(() => parseCostMatrixCsv(',a,b,c\na,0,1,2\nb,10,0,1\nc,5,5,-3', L)).toThrow(/negative/);
    expect(() => parseCostMatrixCsv(',"a,b,c\n', L)).toThrow(/never closed/);
  });
  it('the error carries every problem as a list', () => {
    let caught: unknown;
    try {
      parseCostMatrixCsv(',a,b,c\na,x,1,2\nb,10,y,1\nc,5,5,0', L);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(CostMatrixError);
    expect((caught as CostMatrixError).problems).toHaveLength(2);
  });
});
