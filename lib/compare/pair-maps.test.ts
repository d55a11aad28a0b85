import { describe, expect, it } from 'vitest';
import { mulberry32 } from '@/lib/random';
import { pairMaps } from './pair-maps';

/** Samples f(u, v) (u, v ∈ [0, 1] image coordinates) at the pixel centres of a w×h map. */
function sample(w: number, h: number, f: (u: number, v: number) => number): Float32Array {
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) out[y * w + x] = f((x + 0.5) / w, (y + 0.5) / h);
  return out;
}

const blob = (cu: number, cv: number) => (u: number, v: number) => Math.exp(-((u - cu) ** 2 + (v - cv) ** 2) / 0.02);

describe('pairMaps', () => {
  it('two models of different input sizes (28×28 vs 32×32) that look at the same place agree', () => {
    const a = { values: sample(28, 28, blob(0.3, 0.6)), width: 28, height: 28, policy: 'stretch' as const };
    const b = { values: sample(32, 32, blob(0.3, 0.6)), width: 32, height: 32, policy: 'stretch' as const };
    const p = pairMaps(a, b, { width: 28, height: 28 });
    expect(p.grid).toEqual({ width: 28, height: 28 });
    expect(p.coveredCount).toBe(28 * 28);
    expect(p.spearman).toBeGreaterThan(0.99);
    expect(p.topOverlap).toBeGreaterThan(0.8);
    expect(p.differenceMaxAbs).toBeLessThan(0.1);
  });

  it('models that look at different places disagree, and the difference map says which looks where', () => {
    const a = { values: sample(28, 28, blob(0.2, 0.2)), width: 28, height: 28, policy: 'stretch' as const };
    const b = { values: sample(32, 32, blob(0.8, 0.8)), width: 32, height: 32, policy: 'stretch' as const };
    const p = pairMaps(a, b, { width: 28, height: 28 });
    expect(p.topOverlap).toBe(0);
    expect(p.spearman as number).toBeLessThan(0);
    const at = (u: number, v: number) => p.difference[Math.floor(v * 28) * 28 + Math.floor(u * 28)] as number;
    expect(at(0.2, 0.2)).toBeGreaterThan(0.9); // A relies on it more
    expect(at(0.8, 0.8)).toBeLessThan(-0.9); // B does
    expect(p.differenceMaxAbs).toBeLessThanOrEqual(2);
  });

  it('a negated map has ρ = −1 and no top-10 % overlap', () => {
    const rnd = mulberry32(5);
    const v = Float32Array.from({ length: 28 * 28 }, () => rnd() - 0.5);
    const p = pairMaps(
      { values: v, width: 28, height: 28, policy: 'stretch' },
      { values: v.map((x) => -x), width: 28, height: 28, policy: 'stretch' },
      { width: 28, height: 28 },
    );
    expect(p.spearman).toBeCloseTo(-1, 10);
    expect(p.topOverlap).toBe(0);
    expect(p.differenceMaxAbs).toBeCloseTo(2, 5);
  });

  it('statistics use only what both models saw (stretch vs centre-crop on a wide image)', () => {
    const image = { width: 40, height: 20 };
    const p = pairMaps(
      { values: sample(10, 10, (u) => u), width: 10, height: 10, policy: 'stretch' },
      { values: sample(10, 10, (u) => u), width: 10, height: 10, policy: 'center-crop' },
      image,
    );
    expect(p.coveredCount).toBe(20 * 20);
    // outside the crop the difference is 0 and not counted
    expect(p.difference[0]).toBe(0);
    // both increase left → right over the covered part: ranked alike
    expect(p.spearman as number).toBeGreaterThan(0.95);
  });

  it('a constant map has no rank correlation (null) but a finite difference map', () => {
    const p = pairMaps(
      { values: new Float32Array(16).fill(0), width: 4, height: 4, policy: 'stretch' },
      { values: sample(4, 4, (u, v) => u + v), width: 4, height: 4, policy: 'stretch' },
      { width: 4, height: 4 },
    );
    expect(p.spearman).toBeNull();
    expect(p.difference.length).toBe(4 * 4);
    expect(p.difference.every((d) => Number.isFinite(d))).toBe(true);
    expect(p.differenceMaxAbs).toBeCloseTo(1, 6);
  });
});
