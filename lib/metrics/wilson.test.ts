import { describe, expect, it } from 'vitest';
import { wilsonInterval } from './wilson';

describe('wilsonInterval', () => {
  it('known values (95 %): 0/10 → [0, 0.2775], 5/10 → [0.2366, 0.7634], 10/10 → [0.7225, 1]', () => {
    const a = wilsonInterval(0, 10)!;
    expect(a.lower).toBe(0);
    expect(a.upper).toBeCloseTo(0.2775, 4);
    const b = wilsonInterval(5, 10)!;
    expect(b.lower).toBeCloseTo(0.2366, 4);
    expect(b.upper).toBeCloseTo(0.7634, 4);
    const c = wilsonInterval(10, 10)!;
    expect(c.lower).toBeCloseTo(0.7225, 4);
    expect(c.upper).toBe(1);
  });

  it('contains p̂, stays in [0, 1] and narrows as n grows', () => {
    let width = Infinity;
    for (const n of [5, 20, 80, 320]) {
      const k = Math.round(0.3 * n);
      const w = wilsonInterval(k, n)!;
      expect(w.lower).toBeLessThanOrEqual(k / n);
      expect(w.upper).toBeGreaterThanOrEqual(k / n);
      expect(w.upper - w.lower).toBeLessThan(width);
      width = w.upper - w.lower;
    }
  });

  it('null over nothing; clear message for impossible counts', () => {
    expect(wilsonInterval(0, 0)).toBeNull();
    expect(() => wilsonInterval(3, 2)).toThrow(/0 ≤ successes ≤ n/);
    expect(() => wilsonInterval(0.5, 2)).toThrow(/whole numbers/);
  });
});
