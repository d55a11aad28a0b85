import { describe, expect, it } from 'vitest';
import { costFacts, setFacts } from './decision';

/** 3 classes; rows one-hot-ish so argmax is obvious. */
function probsFor(preds: number[], k: number): Float32Array {
  const p = new Float32Array(preds.length * k).fill(0.1 / (k - 1));
  preds.forEach((d, r) => (p[r * k + d] = 0.9));
  return p;
}

describe('setFacts', () => {
  // truth:  0 0 0 1 1 2 2 2
  // preds:  0 0 1 1 0 0 2 2
  const labels = [0, 0, 0, 1, 1, 2, 2, 2];
  const probs = probsFor([0, 0, 1, 1, 0, 0, 2, 2], 3);

  it('precision is the diagonal over the column sum', () => {
    const f = setFacts(probs, labels, 3, 0);
    expect(f.predicted).toBe(4);
    expect(f.correct).toBe(2);
    expect(f.precision).toBeCloseTo(0.5, 12);
    expect(f.n).toBe(8);
  });
  it('confusions are the other true classes of the column, most frequent first', () => {
    const f = setFacts(probs, labels, 3, 0);
    expect(f.confusions).toEqual([
      { trueClass: 1, count: 1, share: 0.25 },
      { trueClass: 2, count: 1, share: 0.25 },
    ]);
    expect(setFacts(probs, labels, 3, 2).confusions).toEqual([]);
    expect(setFacts(probs, labels, 3, 2).precision).toBe(1);
  });
  it('a class never predicted has precision null', () => {
    const f = setFacts(probsFor([0, 0], 3), [0, 1], 3, 2);
    expect(f.precision).toBeNull();
    expect(f.predicted).toBe(0);
  });
});

describe('costFacts', () => {
  const labels = ['a', 'b'];
  const ZERO_ONE = [
    [0, 1],
    [1, 0],
  ];
  const MISSING_B_COSTS_10 = [
    [0, 1],
    [10, 0],
  ];
  it('0/1 costs: the expected cost of deciding j is 1 − p(j|x)', () => {
    const f = costFacts(new Float32Array([0.7, 0.3]), labels, ZERO_ONE, null, 0);
    expect(f.expectedCost).toBeCloseTo(0.3, 6);
    expect(f.bestDecision).toBe(0);
    expect(f.reweighted).toBe(false);
  });
  it('a costly miss moves the best decision away from the argmax', () => {
    // missing b costs 10: R(a) = 0.3·10 = 3, R(b) = 0.7·1 = 0.7
    const f = costFacts(new Float32Array([0.7, 0.3]), labels, MISSING_B_COSTS_10, null, 0);
    expect(f.expectedCost).toBeCloseTo(3, 6);
    expect(f.bestDecision).toBe(1);
    expect(f.bestCost).toBeCloseTo(0.7, 6);
  });
  it('priors re-weight the posterior (Saerens et al.): p′ ∝ p·π′/π with uniform π', () => {
    // p = (0.5, 0.5), π′ = (0.8, 0.2) → p′ = (0.8, 0.2); 0/1 cost of deciding b = 0.8
    const f = costFacts(new Float32Array([0.5, 0.5]), labels, ZERO_ONE, [0.8, 0.2], 1);
    expect(f.reweighted).toBe(true);
    expect(f.posterior[0]).toBeCloseTo(0.8, 6);
    expect(f.expectedCost).toBeCloseTo(0.8, 6);
    expect(f.bestDecision).toBe(0);
  });
});
