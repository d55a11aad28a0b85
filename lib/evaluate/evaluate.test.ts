import { describe, expect, it } from 'vitest';
import { analyse } from '@/lib/metrics/analysis';
import { parseCsv } from '@/lib/metrics/csv';
import { costMatrixToCsv } from '@/lib/metrics/cost';
import { analysisJson, confusionCsv, expectedCostByClass, num, perClassCsv, predictionsCsv } from './export';
import {
  addMergeGroup,
  labelFrequencies,
  parseCostFile,
  parseNonNegative,
  removeMergeGroup,
  setCell,
} from './settings';

const P = Float32Array.from([0.9, 0.1, 0.6, 0.4, 0.3, 0.7, 0.2, 0.8]);
const Y = Int32Array.from([0, 1, 1, 0]);
const NAMES = ['a, the first', 'b'];
/** Missing class b (deciding a when the truth is b) costs 5. */
const SETTINGS = {
  matrix: [
    [0, 1],
    [5, 0],
  ],
  priors: null,
  merges: [],
};
const A = analyse({ probs: P, labels: Y, classNames: NAMES, settings: SETTINGS });

describe('exports', () => {
  it('per-class CSV: quoted names, hand-computed numbers, overall row', () => {
    const rows = parseCsv(perClassCsv(A, 'argmax')).map((r) => r.cells);
    expect(rows[0]?.[0]).toBe('class');
    // argmax: decisions [0,0,1,1]; class a: support 2, predicted 2, tp 1 → P = R = F1 = 0.5; cost: img3 1
    expect(rows[1]).toEqual(['a, the first', '2', '2', '1', '1', '1', '0.5', '0.5', '0.5', '1', '0.5', '0.35']);
    // class b: img1 → a costs 5; expected costs img1 2.0 (R(a) = 5·0.4), img2 0.3 → mean 1.15
    expect(rows[2]?.slice(9)).toEqual(['5', '2.5', '1.15']);
    expect(rows[3]).toEqual(['(overall)', '4', '', '', '', '', '', '', '', '6', '1.5', '0.75']);
  });

  it('confusion CSV for both rules', () => {
    expect(confusionCsv(A, 'argmax')).toBe('true\\predicted,"a, the first",b\n"a, the first",1,1\nb,1,1\n');
    expect(confusionCsv(A, 'costOptimal')).toBe('true\\predicted,"a, the first",b\n"a, the first",1,1\nb,0,2\n');
  });

  it('predictions CSV: one row per image with both decisions and posteriors', () => {
    const rows = parseCsv(predictionsCsv(A, ['x.png', 'y.png', 'z.png', 'w.png'])).map((r) => r.cells);
    expect(rows).toHaveLength(5);
    expect(rows[2]).toEqual(['1', 'y.png', 'b', 'a, the first', 'b', '5', '0', '2', '0.6', '0.6', '0.4']);
  });

  it('JSON has both rules and calibration; expected cost per class', () => {
    const j = JSON.parse(
      analysisJson(A, {
        model: 'm',
        dataset: 'd',
        settings: SETTINGS,
      }),
    );
    expect(j.n).toBe(4);
    expect(j.argmax.confusion).toEqual([
      [1, 1],
      [1, 1],
    ]);
    expect(j.costOptimal.totalCost).toBe(1);
    expect(j.costOptimal.perClass[1].recall).toBe(1);
    expect(j.calibration.bins).toHaveLength(15);
    expect(expectedCostByClass(A.costOptimal, A.labels, 2).map((v) => Number(num(v)))).toEqual([0.35, 0.45]);
  });
});

describe('settings helpers', () => {
  it('parses cost files by extension or content, and names the file in errors', () => {
    const csv = costMatrixToCsv({
      labels: ['b', 'a'],
      matrix: [
        [0, 2],
        [3, 0],
      ],
    });
    expect(parseCostFile('c.csv', csv, ['a', 'b']).matrix).toEqual([
      [0, 3],
      [2, 0],
    ]);
    expect(parseCostFile('c', '{"labels":["a","b"],"matrix":[[0,1],[4,0]]}', ['a', 'b']).matrix).toEqual([
      [0, 1],
      [4, 0],
    ]);
    expect(() => parseCostFile('bad.json', '{"labels":["a"],"matrix":[[0]]}', ['a', 'b'])).toThrow(
      /“bad\.json”: The file has 1 labels but the model has 2/,
    );
    expect(() => parseCostFile('bad.csv', 'a,b\n0,x\n1,0\n', ['a', 'b'])).toThrow(/“bad\.csv”: .*"x" is not a number/);
  });

  it('parses typed numbers', () => {
    expect(parseNonNegative(' 2,5 ')).toEqual({ value: 2.5 });
    expect(parseNonNegative('-1')).toEqual({ error: 'Must be 0 or more.' });
    expect(parseNonNegative('abc')).toHaveProperty('error');
    expect(parseNonNegative('')).toHaveProperty('error');
  });

  it('edits cells without mutating', () => {
    const m = [
      [0, 1],
      [1, 0],
    ];
    expect(setCell(m, 1, 0, 9)).toEqual([
      [0, 1],
      [9, 0],
    ]);
    expect(m).toEqual([
      [0, 1],
      [1, 0],
    ]);
  });

  it('label frequencies', () => {
    expect(labelFrequencies([0, 0, 2, 1], 3)).toEqual([0.5, 0.25, 0.25]);
    expect(labelFrequencies([], 2)).toEqual([0, 0]);
  });

  it('merge groups: a class moves to the newest group, singletons vanish', () => {
    expect(addMergeGroup([], [6, 0])).toEqual([[0, 6]]);
    expect(addMergeGroup([[0, 6]], [6, 2])).toEqual([[2, 6]]);
    expect(addMergeGroup([[0, 6, 4]], [6, 2])).toEqual([
      [0, 4],
      [2, 6],
    ]);
    expect(addMergeGroup([[0, 6]], [3])).toEqual([[0, 6]]);
    expect(
      removeMergeGroup(
        [
          [0, 6],
          [2, 4],
        ],
        0,
      ),
    ).toEqual([[2, 4]]);
  });
});

describe('explainClass', () => {
  // two images, three classes; classes 0 and 2 merged into merged class 0
  const probs = [0.2, 0.3, 0.5, 0.6, 0.3, 0.1];
  const members = [[0, 2], [1]];
  it('picks the most probable member of a merged decision, or the true label', async () => {
    const { explainClass } = await import('./explain-target');
    expect(explainClass(probs, 3, [1, 0], members, 0, 0, 'predicted')).toBe(2);
    expect(explainClass(probs, 3, [1, 0], members, 1, 0, 'predicted')).toBe(0);
    expect(explainClass(probs, 3, [1, 0], members, 0, 1, 'predicted')).toBe(1);
    expect(explainClass(probs, 3, [1, 0], members, 0, 0, 'true')).toBe(1);
  });
});
