import { describe, expect, it } from 'vitest';
import { mapStats } from './stats';

describe('mapStats', () => {
  it('counts, extremes, sum and nonzero of a known map', () => {
    expect(mapStats([0, -2, 3, 0.5])).toEqual({ count: 4, min: -2, max: 3, sum: 1.5, nonzero: 3, finite: true });
  });
  it('flags non-finite values and ignores them in min/max', () => {
    const s = mapStats(new Float32Array([1, Number.NaN, 4, Infinity]));
    expect(s.finite).toBe(false);
    expect([s.min, s.max, s.nonzero]).toEqual([1, 4, 2]);
  });
  it('an empty or all-NaN map gives zeros, not infinities', () => {
    expect(mapStats([])).toEqual({ count: 0, min: 0, max: 0, sum: 0, nonzero: 0, finite: true });
    expect(mapStats([Number.NaN]).max).toBe(0);
  });
});
