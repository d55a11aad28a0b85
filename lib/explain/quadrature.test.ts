import { describe, expect, it } from 'vitest';
import {
  gaussLegendre,
  includesEndPoints,
  integrate,
  quadrature,
  quadraturePointCount,
  type QuadratureRule,
} from './quadrature';

const RULES: readonly QuadratureRule[] = ['gauss-legendre', 'trapezoid', 'left', 'right', 'midpoint'];

/** ∫₀¹ αᵈ dα = 1 / (d + 1). */
const monomial = (d: number) => (a: number) => a ** d;

describe('quadrature', () => {
  it('places the Riemann and trapezoid points as documented', () => {
    expect(quadrature(4, 'trapezoid')).toEqual({
      alphas: [0, 0.25, 0.5, 0.75, 1],
      weights: [0.125, 0.25, 0.25, 0.25, 0.125],
    });
    expect(quadrature(4, 'left').alphas).toEqual([0, 0.25, 0.5, 0.75]);
    expect(quadrature(4, 'right').alphas).toEqual([0.25, 0.5, 0.75, 1]);
    expect(quadrature(4, 'midpoint').alphas).toEqual([0.125, 0.375, 0.625, 0.875]);
  });

  it('every rule: weights positive and summing to 1, nodes ascending in [0, 1], point count as documented', () => {
    for (const rule of RULES)
      for (const steps of [1, 2, 7, 64]) {
        const q = quadrature(steps, rule);
        expect(q.alphas.length).toBe(quadraturePointCount(steps, rule));
        expect(q.weights.length).toBe(q.alphas.length);
        expect(q.weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
        expect(q.weights.filter((w) => !(w > 0))).toEqual([]);
        expect(q.alphas.filter((a, i) => !(a >= 0 && a <= 1) || (i > 0 && a <= (q.alphas[i - 1] as number)))).toEqual(
          [],
        );
        expect(q.alphas.includes(0) && q.alphas.includes(1)).toBe(includesEndPoints(rule) && steps >= 1);
      }
  });

  it('Gauss–Legendre with n points is exact for degree 2n − 1 and not for degree 2n', () => {
    for (const n of [1, 2, 3, 5, 8]) {
      const q = gaussLegendre(n);
      for (let d = 0; d <= 2 * n - 1; d++) expect(integrate(monomial(d), q)).toBeCloseTo(1 / (d + 1), 13);
      expect(Math.abs(integrate(monomial(2 * n), q) - 1 / (2 * n + 1))).toBeGreaterThan(1e-12);
    }
  });

  it('known nodes: 2 points at ½ ± 1/(2√3), 3 points at ½ and ½ ± √(3/5)/2 with weights 5/18, 8/18, 5/18', () => {
    const two = gaussLegendre(2);
    expect(two.alphas[0]).toBeCloseTo(0.5 - 1 / (2 * Math.sqrt(3)), 14);
    expect(two.alphas[1]).toBeCloseTo(0.5 + 1 / (2 * Math.sqrt(3)), 14);
    const three = gaussLegendre(3);
    expect(three.alphas[1]).toBeCloseTo(0.5, 14);
    expect(three.alphas[2]).toBeCloseTo(0.5 + Math.sqrt(3 / 5) / 2, 14);
    three.weights.forEach((w, i) => expect(w).toBeCloseTo([5, 8, 5][i]! / 18, 14));
  });

  it('a cubic: GL with 2 points is exact, the trapezoid and midpoint need many steps and are not', () => {
    const cubic = (a: number) => 4 * a ** 3 - 3 * a ** 2 + 2 * a + 1; // ∫₀¹ = 1 − 1 + 1 + 1 = 2
    expect(integrate(cubic, gaussLegendre(2))).toBeCloseTo(2, 14);
    expect(Math.abs(integrate(cubic, quadrature(8, 'trapezoid')) - 2)).toBeGreaterThan(1e-3);
    expect(Math.abs(integrate(cubic, quadrature(8, 'midpoint')) - 2)).toBeGreaterThan(1e-4);
    // Midpoint and trapezoid are exact for lines; left is not.
    const line = (a: number) => 3 * a + 1;
    expect(integrate(line, quadrature(3, 'midpoint'))).toBeCloseTo(2.5, 14);
    expect(integrate(line, quadrature(3, 'trapezoid'))).toBeCloseTo(2.5, 14);
    expect(Math.abs(integrate(line, quadrature(3, 'left')) - 2.5)).toBeGreaterThan(0.1);
  });

  it('large orders stay accurate (smooth integrand)', () => {
    expect(integrate(Math.exp, gaussLegendre(512))).toBeCloseTo(Math.E - 1, 12);
    expect(integrate(Math.exp, gaussLegendre(6))).toBeCloseTo(Math.E - 1, 12);
  });

  it('refuses bad orders in words', () => {
    expect(() => gaussLegendre(0)).toThrow(/integer number of points/);
    expect(() => gaussLegendre(2.5)).toThrow(/integer number of points/);
    expect(() => quadrature(0, 'midpoint')).toThrow(/steps must be an integer/);
  });
});
