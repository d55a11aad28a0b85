import { describe, expect, it } from 'vitest';
import { binIndex, calibration, calibrationFromConfidences } from './calibration';
import { mulberry32 } from '@/lib/random';
import { randomLabels, randomPosteriors } from './testing';

describe('binIndex', () => {
  it('uses (lower, upper] bins; 0 goes to the first', () => {
    expect(binIndex(0, 5)).toBe(0);
    expect(binIndex(0.2, 5)).toBe(0);
    expect(binIndex(0.2000001, 5)).toBe(1);
    expect(binIndex(0.6, 5)).toBe(2);
    expect(binIndex(1, 5)).toBe(4);
  });
});

describe('calibrationFromConfidences', () => {
  it('hand-computed reliability bins, ECE and MCE', () => {
    // M = 5. Bin 4 (0.8,1]: .95 ✓ .85 ✗ .90 ✓ → acc 2/3, conf .9, gap 7/30.
    //        Bin 2 (0.4,0.6]: .55 ✓ .45 ✗ .60 ✗ → acc 1/3, conf .5333, gap .2.
    const r = calibrationFromConfidences([0.95, 0.85, 0.9, 0.55, 0.45, 0.6], [1, 0, 1, 1, 0, 0], 5);
    expect(r.bins.map((b) => b.count)).toEqual([0, 0, 3, 0, 3]);
    expect(r.bins[4]?.accuracy).toBeCloseTo(2 / 3, 12);
    expect(r.bins[4]?.meanConfidence).toBeCloseTo(0.9, 12);
    expect(r.bins[2]?.accuracy).toBeCloseTo(1 / 3, 12);
    expect(r.bins[2]?.meanConfidence).toBeCloseTo(1.6 / 3, 12);
    expect(r.bins[0]).toMatchObject({
      lower: 0,
      upper: 0.2,
      count: 0,
      accuracy: null,
      meanConfidence: null,
      gap: null,
    });
    expect(r.ece).toBeCloseTo(0.5 * (7 / 30) + 0.5 * 0.2, 12);
    expect(r.mce).toBeCloseTo(7 / 30, 12);
    expect(r.accuracy).toBeCloseTo(0.5, 12);
    expect(r.meanConfidence).toBeCloseTo(4.3 / 6, 12);
  });

  it('confident and always right → ECE = MCE = 0', () => {
    const r = calibrationFromConfidences([1, 1, 1], [true, true, true], 10);
    expect(r.ece).toBe(0);
    expect(r.mce).toBe(0);
  });

  it('always 100 % confident and always wrong → ECE = 1', () => {
    expect(calibrationFromConfidences([1, 1], [0, 0]).ece).toBe(1);
  });

  it('a perfectly calibrated source has small ECE; an over-confident one has large ECE', () => {
    const rnd = mulberry32(42);
    const n = 20000;
    const conf = Float64Array.from({ length: n }, () => rnd());
    const good = Uint8Array.from(conf, (c) => (rnd() < c ? 1 : 0));
    const over = Uint8Array.from(conf, (c) => (rnd() < c * 0.7 ? 1 : 0));
    const g = calibrationFromConfidences(conf, good, 10);
    const o = calibrationFromConfidences(conf, over, 10);
    expect(g.ece as number).toBeLessThan(0.015);
    // E|c − 0.7c| over c ~ U(0,1) = 0.3 · 0.5 = 0.15
    expect(o.ece as number).toBeGreaterThan(0.13);
    expect(o.ece as number).toBeLessThan(0.17);
    expect(g.bins.reduce((s, b) => s + b.count, 0)).toBe(n);
  });

  it('empty input gives null, and bad inputs throw', () => {
    const r = calibrationFromConfidences([], [], 10);
    expect(r.ece).toBeNull();
    expect(r.bins).toHaveLength(10);
    expect(() => calibrationFromConfidences([1.2], [1])).toThrow(/not in \[0, 1\]/);
    expect(() => calibrationFromConfidences([0.5], [1], 0)).toThrow(/positive integer/);
  });
});

describe('calibration (from posteriors)', () => {
  it('uses the argmax class confidence', () => {
    // K = 2: (0.7,0.3) true 0 ✓ ; (0.2,0.8) true 0 ✗ → bins at .7 and .8 with M = 10
    const r = calibration([0.7, 0.3, 0.2, 0.8], [0, 0], 2, 10);
    expect(r.bins[6]).toMatchObject({ count: 1, accuracy: 1 });
    expect(r.bins[7]).toMatchObject({ count: 1, accuracy: 0 });
    expect(r.ece).toBeCloseTo(0.5 * 0.3 + 0.5 * 0.8, 6);
  });

  it('counts sum to N on random data and ECE ≤ MCE', () => {
    const k = 4;
    const r = calibration(randomPosteriors(500, k, 3), randomLabels(500, k, 4), k);
    expect(r.bins.reduce((s, b) => s + b.count, 0)).toBe(500);
    expect(r.ece as number).toBeLessThanOrEqual(r.mce as number);
  });
});
