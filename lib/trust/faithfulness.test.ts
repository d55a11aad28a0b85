import { describe, expect, it } from 'vitest';
import {
  beatsRandom,
  blurImage,
  curveAuc,
  meanCurve,
  perturbInto,
  pixelOrder,
  randomOrder,
  sampleIndices,
  stepCounts,
} from './faithfulness';

describe('faithfulness maths', () => {
  it('orders pixels by descending value, ties by index, non-finite last', () => {
    expect([...pixelOrder(Float32Array.from([0.1, 3, NaN, 3, -2]))]).toEqual([1, 3, 0, 4, 2]);
  });

  it('a random order is a seeded permutation', () => {
    const a = randomOrder(50, 3);
    expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect([...randomOrder(50, 3)]).toEqual([...a]);
    expect([...randomOrder(50, 4)]).not.toEqual([...a]);
  });

  it('set samples are distinct, sorted, seeded and not one class of a periodic set', () => {
    const idx = sampleIndices(2000, 20);
    expect(idx).toHaveLength(20);
    expect(new Set(idx).size).toBe(20);
    expect(idx).toEqual([...idx].sort((a, b) => a - b));
    expect(sampleIndices(2000, 20)).toEqual(idx);
    expect(new Set(idx.map((i) => i % 10)).size).toBeGreaterThan(3);
    expect(sampleIndices(5, 9)).toEqual([0, 1, 2, 3, 4]);
  });

  it('step counts go from 0 to n evenly', () => {
    expect([...stepCounts(10, 4)]).toEqual([0, 3, 5, 8, 10]);
    expect(() => stepCounts(10, 0)).toThrow(RangeError);
  });

  it('AUC by the trapezoid rule over [0, 1]', () => {
    expect(curveAuc([1, 1, 1])).toBe(1);
    expect(curveAuc([1, 0])).toBe(0.5);
    expect(curveAuc([0, 1, 0])).toBe(0.5);
    expect(curveAuc([0.7])).toBe(0.7);
    expect(curveAuc([])).toBeNaN();
  });

  it('deletion copies the baseline into the first pixels of the order; insertion the image', () => {
    const image = Float32Array.from([1, 2, 3, 4, 5, 6]); // 3 pixels × 2 channels
    const base = new Float32Array(6);
    const out = new Float32Array(6);
    const order = Uint32Array.from([2, 0, 1]);
    perturbInto(out, image, base, 2, order, 1, 'deletion');
    expect([...out]).toEqual([1, 2, 3, 4, 0, 0]);
    perturbInto(out, image, base, 2, order, 2, 'insertion');
    expect([...out]).toEqual([1, 2, 0, 0, 5, 6]);
    perturbInto(out, image, base, 2, order, 3, 'deletion');
    expect([...out]).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('blur keeps a constant image and the mean of a spike, and spreads it', () => {
    const flat = blurImage({ width: 5, height: 4, channels: 2, data: new Float32Array(40).fill(0.3) }, 1);
    for (const v of flat.data) expect(v).toBeCloseTo(0.3, 6);
    const spike = new Float32Array(81);
    spike[40] = 1;
    const b = blurImage({ width: 9, height: 9, channels: 1, data: spike }, 1).data;
    expect(b.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 5);
    expect(b[40]).toBeLessThan(0.5);
    expect(b[41]).toBeGreaterThan(0);
    expect(spike[40]).toBe(1); // input untouched
  });

  it('mean curve and the verdict against the random floor', () => {
    const m = meanCurve([Float32Array.from([1, 0]), Float32Array.from([1, 1])]);
    expect([...m.probs]).toEqual([1, 0.5]);
    expect(m.auc).toBeCloseTo(0.75);
    expect(() => meanCurve([])).toThrow(RangeError);
    const c = (auc: number) => ({ probs: new Float32Array(0), auc });
    expect(
      beatsRandom({ deletion: c(0.1), insertion: c(0.9), randomDeletion: c(0.5), randomInsertion: c(0.5) }),
    ).toEqual({ deletion: true, insertion: true });
    expect(
      beatsRandom({ deletion: c(0.6), insertion: c(0.4), randomDeletion: c(0.5), randomInsertion: c(0.5) }),
    ).toEqual({ deletion: false, insertion: false });
  });
});
