import { describe, expect, it } from 'vitest';
import { argmaxRows } from './common';
import { confusionMatrix, summarize } from './confusion';
import { classMapping, mapClasses, mergeConfusion, mergeCostMatrix, mergeProbs } from './merge';
import { FASHION, randomLabels, randomPosteriors } from './testing';

describe('classMapping', () => {
  it('merges T-shirt and Shirt into the first slot and renames', () => {
    const m = classMapping(10, [[6, 0]], FASHION);
    expect(m.newK).toBe(9);
    expect(Array.from(m.map)).toEqual([0, 1, 2, 3, 4, 5, 0, 6, 7, 8]);
    expect(m.members[0]).toEqual([0, 6]);
    expect(m.labels[0]).toBe('T-shirt/top + Shirt');
    expect(m.labels.slice(6)).toEqual(['Sneaker', 'Bag', 'Ankle boot']);
  });

  it('several groups, singletons kept in order', () => {
    const m = classMapping(
      5,
      [
        [1, 3],
        [2, 4],
      ],
      ['a', 'b', 'c', 'd', 'e'],
    );
    expect(Array.from(m.map)).toEqual([0, 1, 2, 1, 2]);
    expect(m.labels).toEqual(['a', 'b + d', 'c + e']);
  });

  it('rejects empty, out-of-range and overlapping groups', () => {
    expect(() => classMapping(3, [[]])).toThrow(/group 1 is empty/);
    expect(() => classMapping(3, [[0, 3]])).toThrow(/3 is not a class index/);
    expect(() =>
      classMapping(
        3,
        [
          [0, 1],
          [1, 2],
        ],
        ['a', 'b', 'c'],
      ),
    ).toThrow(/Class b is in merge groups 1 and 2/);
  });
});

describe('merging data', () => {
  const labels = [0, 0, 1, 2, 2, 1];
  const preds = [1, 0, 0, 2, 1, 2];
  const m = classMapping(3, [[0, 1]], ['a', 'b', 'c']);

  it('maps labels and sums posterior columns', () => {
    expect(Array.from(mapClasses(labels, m))).toEqual([0, 0, 0, 1, 1, 0]);
    const p = mergeProbs([0.2, 0.3, 0.5, 0.7, 0.1, 0.2], m);
    expect(p[0]).toBeCloseTo(0.5, 6);
    expect(p[1]).toBeCloseTo(0.5, 6);
    expect(p[2]).toBeCloseTo(0.8, 6);
    expect(p[3]).toBeCloseTo(0.2, 6);
  });

  it('merged confusion = original with the rows and the columns added (hand-computed)', () => {
    // original rows = true: a:[1,1,0] b:[1,0,1] c:[0,1,1]
    const cm = confusionMatrix(labels, preds, 3);
    expect(Array.from(cm.counts)).toEqual([1, 1, 0, 1, 0, 1, 0, 1, 1]);
    // merged: {a,b}: [1+1+1+0, 0+1] = [3,1] ; c: [0+1, 1] = [1,1]
    expect(Array.from(mergeConfusion(cm, m).counts)).toEqual([3, 1, 1, 1]);
    // merging removes the a↔b confusions: accuracy goes from 2/6 to 4/6
    expect(summarize(mergeConfusion(cm, m)).accuracy).toBeCloseTo(4 / 6, 12);
  });

  it('invariant: merging the matrix equals the matrix of the merged labels and predictions', () => {
    const k = 10;
    const y = randomLabels(300, k, 5);
    const probs = randomPosteriors(300, k, 6);
    const pr = argmaxRows(probs, k);
    const mm = classMapping(
      k,
      [
        [0, 6],
        [2, 4],
      ],
      FASHION,
    );
    const merged = mergeConfusion(confusionMatrix(y, pr, k), mm);
    const direct = confusionMatrix(mapClasses(y, mm), mapClasses(pr, mm), mm.newK);
    expect(Array.from(merged.counts)).toEqual(Array.from(direct.counts));
    expect(merged.counts.reduce((a, b) => a + b, 0)).toBe(300);
    // merged posteriors still sum to 1 per row
    const mp = mergeProbs(probs, mm);
    for (let r = 0; r < 300; r++) {
      let s = 0;
      for (let j = 0; j < mm.newK; j++) s += mp[r * mm.newK + j] as number;
      expect(s).toBeCloseTo(1, 5);
    }
  });
});

describe('mergeCostMatrix', () => {
  const C = {
    labels: ['a', 'b', 'c'],
    matrix: [
      [0, 1, 2],
      [10, 0, 1],
      [5, 5, 0],
    ],
  };

  it('rows: prior-weighted mean; columns: mean; inside a group: dropped (hand-computed)', () => {
    const m = classMapping(3, [[0, 1]], C.labels);
    // no priors: weights ½,½ → C'(ab,c) = (2+1)/2 ; C'(c,ab) = (5+5)/2
    expect(mergeCostMatrix(C, m)).toEqual({
      labels: ['a + b', 'c'],
      matrix: [
        [0, 1.5],
        [5, 0],
      ],
    });
    // priors (1,3,·): weights ¼,¾ → C'(ab,c) = ¼·2 + ¾·1 = 1.25
    expect(mergeCostMatrix(C, m, [1, 3, 1]).matrix).toEqual([
      [0, 1.25],
      [5, 0],
    ]);
    // merging b and c: C'(a,bc) = mean(1,2) = 1.5 ; C'(bc,a) = ½·10 + ½·5 = 7.5
    const m2 = classMapping(3, [[1, 2]], C.labels);
    expect(mergeCostMatrix(C, m2).matrix).toEqual([
      [0, 1.5],
      [7.5, 0],
    ]);
  });

  it('0/1 cost stays 0/1 after a merge', () => {
    const z = {
      labels: ['a', 'b', 'c', 'd'],
      matrix: [0, 1, 2, 3].map((i) => [0, 1, 2, 3].map((j) => (i === j ? 0 : 1))),
    };
    const m = classMapping(4, [[0, 2]]);
    expect(mergeCostMatrix(z, m, [1, 2, 3, 4]).matrix).toEqual([
      [0, 1, 1],
      [1, 0, 1],
      [1, 1, 0],
    ]);
  });

  it('rejects a matrix of the wrong size', () => {
    expect(() => mergeCostMatrix(C, classMapping(4, [[0, 1]]))).toThrow(/3 classes but the model has 4/);
  });
});
