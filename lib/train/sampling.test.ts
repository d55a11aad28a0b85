import { describe, expect, it } from 'vitest';
import { mulberry32 } from '@/lib/random';
import {
  epochOrder,
  headTuneProblem,
  DEFAULT_HEAD_TUNE,
  inverseFrequencyWeights,
  scoreLogits,
  stratifiedSplit,
} from '.';

const labels = Int32Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 2]);

describe('stratifiedSplit', () => {
  it('holds out a share of every class, keeps one for training, is disjoint, covering and seeded', () => {
    const s = stratifiedSplit(labels, 3, 0.2, 4);
    expect([...s.train, ...s.heldOut].sort((a, b) => a - b)).toEqual([...labels.keys()]);
    expect(new Set([...s.train, ...s.heldOut]).size).toBe(labels.length);
    const held = s.heldOut.map((i) => labels[i]);
    expect(held.filter((c) => c === 0)).toHaveLength(2); // round(10 × 0.2)
    expect(held.filter((c) => c === 1)).toHaveLength(1); // at least one of two
    expect(held.filter((c) => c === 2)).toHaveLength(0); // never the only image
    expect(stratifiedSplit(labels, 3, 0.2, 4)).toEqual(s);
    expect(stratifiedSplit(labels, 3, 0, 4).heldOut).toEqual([]);
    expect(() => stratifiedSplit(labels, 3, 1, 0)).toThrow(/outside/);
    expect(() => stratifiedSplit([0, 5], 3, 0.2, 0)).toThrow(/outside/);
  });
});

describe('class weights and epoch orders', () => {
  it('inverse-frequency weights give every present class the same weighted count; absent classes 0', () => {
    const w = inverseFrequencyWeights(labels, 4);
    expect(w[0]! * 10).toBeCloseTo(13 / 3, 5);
    expect(w[1]! * 2).toBeCloseTo(13 / 3, 5);
    expect(w[2]! * 1).toBeCloseTo(13 / 3, 5);
    expect(w[3]).toBe(0);
  });

  it('a plain epoch is a permutation of the pool; oversampling draws every class as often as the largest', () => {
    const pool = [...labels.keys()];
    const rand = mulberry32(1);
    expect([...epochOrder(pool, labels, 3, false, rand)].sort((a, b) => a - b)).toEqual(pool);
    const over = epochOrder(pool, labels, 3, true, rand);
    expect(over).toHaveLength(30);
    const counts = [0, 1, 2].map((c) => over.filter((i) => labels[i] === c).length);
    expect(counts).toEqual([10, 10, 10]);
    // each class-1 image appears 5 times (cycled, not drawn at random)
    expect(over.filter((i) => i === 10)).toHaveLength(5);
    expect(over.filter((i) => i === 11)).toHaveLength(5);
  });
});

describe('scoreLogits and options', () => {
  it('computes cross entropy, accuracy and per-class recall by hand', () => {
    const logits = [2, 0, 0, 2, 1, 0]; // rows: class 0, class 1, class 0
    const r = scoreLogits(logits, [0, 1, 1], 2);
    const nll = (a: number, b: number) => Math.log(Math.exp(a) + Math.exp(b)) - a;
    expect(r.loss).toBeCloseTo((nll(2, 0) + nll(2, 0) + nll(0, 1)) / 3, 6);
    expect(r.accuracy).toBeCloseTo(2 / 3, 6);
    expect(r.recall).toEqual([1, 0.5]);
    expect(scoreLogits([0, 1], [1], 3).recall).toEqual([null, 1, null]);
  });

  it('explains bad options in words', () => {
    expect(headTuneProblem(DEFAULT_HEAD_TUNE)).toBeNull();
    expect(headTuneProblem({ ...DEFAULT_HEAD_TUNE, epochs: 0 })).toMatch(/Epochs/);
    expect(headTuneProblem({ ...DEFAULT_HEAD_TUNE, learningRate: 0 })).toMatch(/learning rate/);
    expect(headTuneProblem({ ...DEFAULT_HEAD_TUNE, heldOutFraction: 0.9 })).toMatch(/held-out/);
    expect(headTuneProblem({ ...DEFAULT_HEAD_TUNE, batchSize: 1.5 })).toMatch(/batch/);
  });
});
