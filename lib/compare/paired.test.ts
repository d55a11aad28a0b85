import { describe, expect, it } from 'vitest';
import { analyse, type AnalysisSettings } from '@/lib/metrics/analysis';
import { mcnemar, zeroOneCost } from '@/lib/metrics';
import { classInB, compareAnalyses, formatP, mcnemarSentence, pText, sameClasses } from './paired';

const NAMES = ['cat', 'dog', 'fox'];
const zeroOne: AnalysisSettings = { matrix: zeroOneCost(NAMES).matrix, priors: null, merges: [] };

/** [N×3] posteriors: row n puts `conf[n]` on `pred[n]` and splits the rest evenly. */
function probsFor(pred: number[], conf: number[]): Float32Array {
  const out = new Float32Array(pred.length * 3);
  pred.forEach((p, n) => {
    for (let j = 0; j < 3; j++) out[n * 3 + j] = j === p ? (conf[n] as number) : (1 - (conf[n] as number)) / 2;
  });
  return out;
}

// labels:             0    1    2    0    1    2
// A predicts:         0    1    2    1    1    0   → right on 0, 1, 2, 4 (4/6)
// B predicts:         0    2    2    0    1    2   → right on 0, 2, 3, 4, 5 (5/6)
// regression (A✓ B✗): image 1;  fixes (A✗ B✓): images 3 and 5
const labels = Int32Array.from([0, 1, 2, 0, 1, 2]);
const A = analyse({
  probs: probsFor([0, 1, 2, 1, 1, 0], [0.9, 0.8, 0.7, 0.6, 0.9, 0.5]),
  labels,
  classNames: NAMES,
  settings: zeroOne,
});
const B = analyse({
  probs: probsFor([0, 2, 2, 0, 1, 2], [0.9, 0.7, 0.8, 0.6, 0.9, 0.95]),
  labels,
  classNames: NAMES,
  settings: zeroOne,
});

describe('compareAnalyses', () => {
  const c = compareAnalyses(A, B, 'argmax');

  it('pairs the decisions: accuracies, the McNemar table and its counts', () => {
    expect(c.delta.accuracy.a).toBeCloseTo(4 / 6, 12);
    expect(c.delta.accuracy.b).toBeCloseTo(5 / 6, 12);
    expect(c.delta.accuracy.delta).toBeCloseTo(1 / 6, 12);
    expect(c.paired.table).toEqual({ bothRight: 3, aRightBWrong: 1, aWrongBRight: 2, bothWrong: 0 });
    expect(c.paired.mcnemar.b).toBe(1);
    expect(c.paired.mcnemar.c).toBe(2);
    // exact two-sided binomial, 1 of 3 with p = ½: 2·(1 + 3)/8 = 1
    expect(c.paired.mcnemar.p).toBeCloseTo(1, 12);
  });

  it('lists regressions and fixes with lengths b and c, the most confident first', () => {
    expect(c.paired.regressions.map((r) => r.index)).toEqual([1]);
    expect(c.paired.regressions[0]).toMatchObject({ label: 1, predA: 1, predB: 2 });
    expect(c.paired.regressions[0]?.confidence).toBeCloseTo(0.7, 6);
    // B's confidence in the true class: image 5 → 0.95, image 3 → 0.6
    expect(c.paired.fixes.map((r) => r.index)).toEqual([5, 3]);
    expect(c.paired.regressions.length).toBe(c.paired.mcnemar.b);
    expect(c.paired.fixes.length).toBe(c.paired.mcnemar.c);
  });

  it('the confusion difference is B − A per cell and sums to 0', () => {
    const d = Array.from(c.confusionDelta);
    expect(d.reduce((s, x) => s + x, 0)).toBe(0);
    // true 1 → decided 1: A has 2 (images 1, 4), B has 1 (image 4)
    expect(d[1 * 3 + 1]).toBe(-1);
    // true 1 → decided 2: only B (image 1)
    expect(d[1 * 3 + 2]).toBe(1);
    // true 2 → decided 0: only A (image 5)
    expect(d[2 * 3 + 0]).toBe(-1);
  });

  it('with 0/1 costs the mean cost per image is the error rate', () => {
    expect(c.cost.a).toBeCloseTo(2 / 6, 12);
    expect(c.cost.b).toBeCloseTo(1 / 6, 12);
    expect(c.cost.delta).toBeCloseTo(-1 / 6, 12);
    expect(c.expectedCost.a).toBeGreaterThan(0);
  });

  it('uses the chosen decision rule: a costly miss of "fox" changes the cost-optimal decisions', () => {
    // missing a fox costs 20: both models now say "fox" whenever they give it any weight
    const costly: AnalysisSettings = {
      matrix: [
        [0, 1, 1],
        [1, 0, 1],
        [20, 20, 0],
      ],
      priors: null,
      merges: [],
    };
    const a2 = analyse({ probs: A.probs, labels, classNames: NAMES, settings: costly });
    const b2 = analyse({ probs: B.probs, labels, classNames: NAMES, settings: costly });
    const argmax = compareAnalyses(a2, b2, 'argmax');
    const optimal = compareAnalyses(a2, b2, 'costOptimal');
    expect(argmax.paired.table).toEqual(c.paired.table);
    expect(Array.from(optimal.a.decisions)).toEqual(Array.from(a2.costOptimal.decisions));
    expect(Array.from(optimal.a.decisions)).not.toEqual(Array.from(a2.argmax.decisions));
    expect(optimal.paired.regressions.length).toBe(optimal.paired.table.aRightBWrong);
  });

  it('refuses to pair evaluations of different images or classes', () => {
    const other = analyse({
      probs: B.probs,
      labels: Int32Array.from([0, 1, 2, 0, 1, 1]),
      classNames: NAMES,
      settings: zeroOne,
    });
    expect(() => compareAnalyses(A, other, 'argmax')).toThrow(/same images/);
    const renamed = analyse({ probs: B.probs, labels, classNames: ['cat', 'dog', 'wolf'], settings: zeroOne });
    expect(() => compareAnalyses(A, renamed, 'argmax')).toThrow(/different classes/);
  });
});

describe('class pairing', () => {
  it('same lists → same index; otherwise by name; unknown → null', () => {
    expect(sameClasses(NAMES, ['cat', 'dog', 'fox'])).toBe(true);
    expect(sameClasses(NAMES, ['cat', 'dog'])).toBe(false);
    expect(classInB(NAMES, NAMES, 2)).toBe(2);
    expect(classInB(NAMES, ['Fox ', 'cat'], 2)).toBe(0);
    expect(classInB(NAMES, ['cat'], 1)).toBeNull();
    expect(classInB(NAMES, NAMES, 3)).toBeNull();
  });
  it('placeholder names ("class 1") pair with nothing: unlabelled models are not compared class by class', () => {
    const unnamed = ['class 0', 'class 1', 'class 2'];
    expect(sameClasses(unnamed, [...unnamed])).toBe(false);
    expect(classInB(unnamed, unnamed, 1)).toBeNull();
    expect(classInB(['cat', 'class 1'], ['class 1', 'cat'], 0)).toBe(1);
    expect(classInB(['cat', 'class 1'], ['class 1', 'cat'], 1)).toBeNull();
  });
});

describe('McNemar in words', () => {
  it('says "unlikely to be chance" below α and "may well be chance" above', () => {
    const strong = mcnemarSentence(mcnemar(10, 40));
    expect(strong).toMatch(/B \(the candidate\) is right more often/);
    expect(strong).toMatch(/A alone is right on 10 and B alone on 40/);
    // χ² = (30 − 1)²/50 = 16.82 → p ≈ 4·10⁻⁵
    expect(strong).toMatch(/unlikely to be chance \(p < 0\.0001/);
    const weak = mcnemarSentence(mcnemar(10, 2));
    expect(weak).toMatch(/A \(the reference\) is right more often/);
    // exact p = 158/4096 ≈ 0.039 < 0.05
    expect(weak).toMatch(/unlikely to be chance \(p = 0\.039, McNemar exact binomial test\)/);
    expect(mcnemarSentence(mcnemar(5, 7))).toMatch(/may well be chance/);
    expect(mcnemarSentence(mcnemar(0, 0))).toMatch(/no difference to test/);
  });

  it('formats p-values', () => {
    expect(formatP(0.5)).toBe('0.50');
    expect(formatP(0.0386)).toBe('0.039');
    expect(formatP(1e-9)).toBe('< 0.0001');
    expect(formatP(Number.NaN)).toBe('—');
    expect(pText(1e-9)).toBe('p < 0.0001');
    expect(pText(0.5)).toBe('p = 0.50');
    expect(mcnemarSentence(mcnemar(1096, 77))).toMatch(/unlikely to be chance \(p < 0\.0001, McNemar χ² test/);
  });
});
