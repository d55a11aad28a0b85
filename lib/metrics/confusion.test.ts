import { describe, expect, it } from 'vitest';
import { mulberry32 } from '@/lib/random';
import { argmaxRows } from './common';
import {
  accuracy,
  cell,
  cellIndices,
  colNormalized,
  confusionFromRows,
  confusionMatrix,
  evaluateProbs,
  perClassMetrics,
  rowNormalized,
  summarize,
} from './confusion';

// Hand-computed example, K = 3, N = 10.
//   pairs (true,pred): (0,0) (0,1) (0,0) (1,1) (1,2) (2,2) (2,2) (2,0) (2,2) (0,1)
//   matrix rows = true: [2,2,0] [0,1,1] [1,0,3]; column sums [3,3,4]; trace 6.
const labels = Int32Array.from([0, 0, 0, 1, 1, 2, 2, 2, 2, 0]);
const preds = Int32Array.from([0, 1, 0, 1, 2, 2, 2, 0, 2, 1]);

describe('confusionMatrix', () => {
  it('counts rows = true, columns = predicted', () => {
    const cm = confusionMatrix(labels, preds, 3);
    expect(Array.from(cm.counts)).toEqual([2, 2, 0, 0, 1, 1, 1, 0, 3]);
    expect(cm.n).toBe(10);
    expect(cell(cm, 2, 0)).toBe(1);
  });

  it('hand-computed per-class metrics, accuracy, balanced accuracy, macro-F1', () => {
    const s = summarize(confusionMatrix(labels, preds, 3));
    expect(s.perClass.map((m) => m.precision)).toEqual([2 / 3, 1 / 3, 3 / 4]);
    expect(s.perClass.map((m) => m.recall)).toEqual([0.5, 0.5, 0.75]);
    expect(s.perClass[0]?.f1).toBeCloseTo(4 / 7, 12); // 2·2/(4+1+2)
    expect(s.perClass[1]?.f1).toBeCloseTo(2 / 5, 12); // 2·1/(2+2+1)
    expect(s.perClass[2]?.f1).toBeCloseTo(3 / 4, 12);
    expect(s.perClass.map((m) => m.support)).toEqual([4, 2, 4]);
    expect(s.accuracy).toBeCloseTo(0.6, 12);
    expect(s.balancedAccuracy).toBeCloseTo((0.5 + 0.5 + 0.75) / 3, 12);
    expect(s.macroF1).toBeCloseTo((4 / 7 + 2 / 5 + 3 / 4) / 3, 12);
  });

  it('F1 equals the harmonic mean of precision and recall when both exist', () => {
    for (const m of perClassMetrics(confusionMatrix(labels, preds, 3))) {
      const p = m.precision as number;
      const r = m.recall as number;
      expect(m.f1).toBeCloseTo((2 * p * r) / (p + r), 12);
    }
  });

  it('row- and column-normalised versions', () => {
    const cm = confusionMatrix(labels, preds, 3);
    const rn = rowNormalized(cm);
    expect(rn[0]).toEqual([0.5, 0.5, 0]);
    expect(rn[2]).toEqual([0.25, 0, 0.75]);
    const cn = colNormalized(cm);
    expect(cn[0]?.[0]).toBeCloseTo(2 / 3, 12);
    expect(cn[2]?.[0]).toBeCloseTo(1 / 3, 12);
    expect(cn[1]?.[2]).toBeCloseTo(1 / 4, 12);
    // diagonals are recall and precision
    const pc = perClassMetrics(cm);
    pc.forEach((m, c) => {
      expect(rn[c]?.[c]).toBe(m.recall);
      expect(cn[c]?.[c]).toBe(m.precision);
    });
  });

  it('a class with no examples gives null recall (not NaN); never predicted gives null precision', () => {
    // K = 4: class 3 never appears as truth but is predicted once; class 2 appears but is never predicted.
    const cm = confusionMatrix([0, 0, 1, 2], [0, 3, 1, 1], 4);
    const pc = perClassMetrics(cm);
    expect(pc[3]?.recall).toBeNull();
    expect(pc[3]?.precision).toBe(0);
    expect(pc[3]?.f1).toBe(0);
    expect(pc[2]?.precision).toBeNull();
    expect(pc[2]?.recall).toBe(0);
    expect(pc[2]?.f1).toBe(0);
    expect(rowNormalized(cm)[3]).toEqual([null, null, null, null]);
    expect(colNormalized(cm).map((r) => r[2])).toEqual([null, null, null, null]);
    const s = summarize(cm);
    // balanced accuracy averages recall over classes 0..2 only: (1/2 + 1 + 0) / 3
    expect(s.balancedAccuracy).toBeCloseTo(0.5, 12);
    for (const m of pc) for (const v of [m.precision, m.recall, m.f1]) expect(Number.isNaN(v)).toBe(false);
  });

  it('a class absent from truth and predictions gives null F1 and is left out of macro-F1', () => {
    const s = summarize(confusionMatrix([0, 1, 1], [0, 1, 0], 3));
    expect(s.perClass[2]).toMatchObject({ precision: null, recall: null, f1: null, support: 0 });
    // F1_0 = 2/(2+1) ; F1_1 = 2/(2+0+1)
    expect(s.macroF1).toBeCloseTo((2 / 3 + 2 / 3) / 2, 12);
  });

  it('empty input gives null summary numbers', () => {
    const s = summarize(confusionMatrix([], [], 2));
    expect(s.accuracy).toBeNull();
    expect(s.balancedAccuracy).toBeNull();
    expect(s.macroF1).toBeNull();
  });

  it('rejects out-of-range indices and mismatched lengths', () => {
    expect(() => confusionMatrix([0, 3], [0, 1], 3)).toThrow(/labels\[1\] = 3/);
    expect(() => confusionMatrix([0], [0, 1], 3)).toThrow(/lengths differ/);
    expect(() => confusionMatrix([0], [-1], 3)).toThrow(/predictions\[0\]/);
    expect(() => confusionFromRows([[1, 2], [3]])).toThrow(/Row 1/);
  });

  it('invariants on random data: sum = N, trace/N = accuracy, row sums = support', () => {
    const rnd = mulberry32(7);
    for (let trial = 0; trial < 20; trial++) {
      const k = 2 + Math.floor(rnd() * 8);
      const n = Math.floor(rnd() * 200);
      const l = Int32Array.from({ length: n }, () => Math.floor(rnd() * k));
      const p = Int32Array.from({ length: n }, () => Math.floor(rnd() * k));
      const cm = confusionMatrix(l, p, k);
      expect(cm.counts.reduce((a, b) => a + b, 0)).toBe(n);
      let correct = 0;
      for (let i = 0; i < n; i++) if (l[i] === p[i]) correct++;
      expect(accuracy(cm)).toBe(n === 0 ? null : correct / n);
      const pc = perClassMetrics(cm);
      for (let c = 0; c < k; c++) expect(pc[c]?.support).toBe(l.filter((v) => v === c).length);
      for (const row of rowNormalized(cm)) {
        if (row[0] !== null) expect(row.reduce((a: number, b) => a + (b as number), 0)).toBeCloseTo(1, 12);
      }
    }
  });
});

describe('evaluateProbs and cellIndices', () => {
  // 4 images, K = 2
  const probs = Float32Array.from([0.9, 0.1, 0.3, 0.7, 0.2, 0.8, 0.6, 0.4]);
  const y = Uint8Array.from([0, 0, 0, 1]);

  it('uses argmax predictions', () => {
    expect(Array.from(argmaxRows(probs, 2))).toEqual([0, 1, 1, 0]);
    const s = evaluateProbs(probs, y, 2);
    expect(Array.from(s.confusion.counts)).toEqual([1, 2, 1, 0]);
    expect(s.accuracy).toBe(0.25);
  });

  it('lists a cell sorted by confidence in the predicted class, descending', () => {
    const pr = argmaxRows(probs, 2);
    expect(Array.from(cellIndices(y, pr, probs, 2, 0, 1))).toEqual([2, 1]); // 0.8 then 0.7
    expect(Array.from(cellIndices(y, pr, probs, 2, 1, 0))).toEqual([3]);
    expect(Array.from(cellIndices(y, pr, probs, 2, 1, 1))).toEqual([]);
  });

  it('argmax ties go to the lowest index', () => {
    expect(Array.from(argmaxRows([0.5, 0.5, 0.2, 0.4, 0.4], 5).slice(0, 1))).toEqual([0]);
    expect(Array.from(argmaxRows([0.2, 0.4, 0.4], 3))).toEqual([1]);
  });

  it('rejects a probability array of the wrong shape', () => {
    expect(() => evaluateProbs(new Float32Array(7), y, 2)).toThrow(/not a multiple/);
    expect(() => evaluateProbs(new Float32Array(6), y, 2)).toThrow(/3 rows but there are 4 labels/);
  });
});
