import { describe, expect, it } from 'vitest';
import { normalisedAbs, sanityVerdict, spearmanAbs, ssimAbs } from './similarity';
import { mulberry32 } from '@/lib/random';

describe('map similarity', () => {
  it('a constant map has no order: ρ = 0', () => {
    expect(spearmanAbs([1, 1, 1], [1, 2, 3])).toBe(0);
  });

  it('Spearman on absolute values: any monotone change of |map| keeps ρ = 1; a sign flip too', () => {
    const a = [0.1, -0.5, 2, 0.3];
    expect(
      spearmanAbs(
        a,
        a.map((v) => Math.abs(v) ** 3),
      ),
    ).toBeCloseTo(1, 12);
    expect(
      spearmanAbs(
        a,
        a.map((v) => -v),
      ),
    ).toBeCloseTo(1, 12);
    // Hand-computed: |a| ranks [1, 3, 4, 2] vs [4, 3, 2, 1] → ρ = 1 − 6·Σd²/(n(n²−1)) = 1 − 6·14/60 = −0.4
    expect(spearmanAbs(a, [4, 3, 2, 1])).toBeCloseTo(-0.4, 12);
  });

  it('SSIM: 1 for the same (or a rescaled) map, low for unrelated noise, symmetric', () => {
    const rand = mulberry32(3);
    const a = Float32Array.from({ length: 100 }, () => rand());
    const b = Float32Array.from({ length: 100 }, () => rand());
    expect(ssimAbs(a, a, 10, 10)).toBeCloseTo(1, 10);
    expect(
      ssimAbs(
        a,
        a.map((v) => -3 * v),
        10,
        10,
      ),
    ).toBeCloseTo(1, 5);
    expect(ssimAbs(a, b, 10, 10)).toBeLessThan(0.3);
    expect(ssimAbs(a, b, 10, 10)).toBeCloseTo(ssimAbs(b, a, 10, 10), 12);
    expect(() => ssimAbs(a, b, 9, 10)).toThrow(RangeError);
  });

  it('normalisedAbs keeps an all-zero map at zeros', () => {
    expect([...normalisedAbs([0, 0])]).toEqual([0, 0]);
    expect([...normalisedAbs([-2, 1])]).toEqual([1, 0.5]);
  });

  it('verdict from the lowest similarity reached', () => {
    expect(
      sanityVerdict([
        { spearman: 0.9, ssim: 0.9 },
        { spearman: 0.2, ssim: 0.1 },
      ]),
    ).toBe('passes');
    expect(sanityVerdict([{ spearman: 0.95, ssim: 0.9 }])).toBe('fails');
    expect(sanityVerdict([{ spearman: 0.7, ssim: 0.9 }])).toBe('partly');
    expect(() => sanityVerdict([])).toThrow(RangeError);
  });
});
