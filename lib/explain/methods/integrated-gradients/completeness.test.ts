import { describe, expect, it } from 'vitest';
import { readCompleteness } from './completeness';

describe('readCompleteness', () => {
  it('no check without the three numbers', () => {
    expect(readCompleteness(undefined)).toBeNull();
    expect(readCompleteness({ completenessError: 0.1, sumAttributions: 1 })).toBeNull();
    expect(readCompleteness({ completenessError: Number.NaN, sumAttributions: 1, scoreDelta: 1 })).toBeNull();
  });

  it('a fair score difference: judged by the relative error', () => {
    const c = readCompleteness({
      completenessError: 0.41,
      sumAttributions: 1.157,
      scoreDelta: 0.822,
      scoreVariation: 0.9,
    });
    expect(c).toMatchObject({ nearZero: false, warn: true, relative: 0.41 });
    expect(c?.absolute).toBeCloseTo(0.335, 12);
    expect(c?.ofVariation).toBeCloseTo(0.335 / 0.9, 12);
  });

  it('ends that cancel (|Δ| < 5 % of the variation): judged by the share of the variation', () => {
    const ok = readCompleteness({
      completenessError: 0.92,
      sumAttributions: -0.031,
      scoreDelta: -0.016,
      scoreVariation: 0.84,
    });
    expect(ok).toMatchObject({ nearZero: true, warn: false });
    expect(ok?.ofVariation).toBeCloseTo(0.015 / 0.84, 12);
    const bad = readCompleteness({
      completenessError: 9,
      sumAttributions: 0.13,
      scoreDelta: -0.016,
      scoreVariation: 0.84,
    });
    expect(bad).toMatchObject({ nearZero: true, warn: true });
    // Exactly at the share: not near zero.
    expect(
      readCompleteness({ completenessError: 0, sumAttributions: 0.05, scoreDelta: 0.05, scoreVariation: 1 })?.nearZero,
    ).toBe(false);
  });

  it('a score that never moves (saturated, Δ = 0 and no variation): near zero, still, no warning', () => {
    const c = readCompleteness({
      completenessError: 247,
      sumAttributions: -2.47e-10,
      scoreDelta: 0,
      scoreVariation: 0,
    });
    expect(c).toMatchObject({ nearZero: true, still: true, warn: false, ofVariation: null });
  });

  it('without a variation (Guided IG): |Δ| < 0.01 is near zero, judged by the relative error', () => {
    expect(readCompleteness({ completenessError: 3, sumAttributions: 0.004, scoreDelta: 0.001 })).toMatchObject({
      nearZero: true,
      warn: true,
      ofVariation: null,
      variation: null,
    });
    expect(readCompleteness({ completenessError: 0.02, sumAttributions: 0.0204, scoreDelta: 0.02 })?.nearZero).toBe(
      false,
    );
  });
});
