/**
 * Quadrature rules on [0, 1] for path integrals (Integrated Gradients): ∫₀¹ f(α) dα ≈ Σ_k w_k f(α_k).
 * Plain maths, no tfjs.
 *
 * - Riemann left / right / midpoint: n points, weight 1/n each; left and right are exact for constants,
 *   midpoint for polynomials of degree ≤ 1; error O(1/n) (left, right) and O(1/n²) (midpoint) for smooth f.
 * - Trapezoid: n + 1 points (both ends, weighted 1/(2n)); exact for degree ≤ 1; error O(1/n²).
 * - Gauss–Legendre: n interior points (roots of the Legendre polynomial P_n mapped to [0, 1]); exact for
 *   polynomials of degree ≤ 2n − 1; error O(f^(2n)) for smooth f (Golub & Welsch 1969; Abramowitz &
 *   Stegun 25.4.29). It never evaluates the end points, so a caller needing f(0) and f(1) evaluates them
 *   separately.
 *
 * `steps` means intervals for the Riemann rules and the trapezoid, points for Gauss–Legendre: the number of
 * gradient evaluations is `quadraturePointCount(steps, rule)`.
 */

/** The integration rules IG offers. */
export type QuadratureRule = 'gauss-legendre' | 'trapezoid' | 'left' | 'right' | 'midpoint';

/** Nodes α_k ∈ [0, 1] (ascending) and weights w_k > 0 with Σ w_k = 1. Same length. */
export interface Quadrature {
  alphas: number[];
  weights: number[];
}

/** The largest Gauss–Legendre order computed (Newton on P_n stays accurate to ~1e-15 well beyond this). */
export const MAX_GAUSS_LEGENDRE_POINTS = 1024;

/** Number of function evaluations of `rule` with `steps` (trapezoid: steps + 1; the others: steps). */
export function quadraturePointCount(steps: number, rule: QuadratureRule): number {
  return rule === 'trapezoid' ? steps + 1 : steps;
}

/** Whether the rule's nodes include both end points α = 0 and α = 1 (only the trapezoid does). */
export function includesEndPoints(rule: QuadratureRule): boolean {
  return rule === 'trapezoid';
}

/**
 * Gauss–Legendre nodes and weights on [0, 1] for n points (1 ≤ n ≤ MAX_GAUSS_LEGENDRE_POINTS): Newton's
 * method on P_n from the Chebyshev-like guess cos(π(i − ¼)/(n + ½)), weights 2 / ((1 − x²) P_n'(x)²)
 * halved for the map x ↦ (x + 1)/2. Throws a RangeError for other n.
 */
export function gaussLegendre(n: number): Quadrature {
  if (!Number.isInteger(n) || n < 1 || n > MAX_GAUSS_LEGENDRE_POINTS) {
    throw new RangeError(
      `Gauss–Legendre needs an integer number of points in [1, ${MAX_GAUSS_LEGENDRE_POINTS}], got ${n}`,
    );
  }
  const alphas = new Array<number>(n);
  const weights = new Array<number>(n);
  const m = Math.floor((n + 1) / 2);
  for (let i = 1; i <= m; i++) {
    let x = Math.cos((Math.PI * (i - 0.25)) / (n + 0.5));
    let dp = 0;
    for (let iter = 0; iter < 100; iter++) {
      // Three-term recurrence: P_0 = 1, P_1 = x, (k+1) P_{k+1} = (2k+1) x P_k − k P_{k−1}.
      let p0 = 1;
      let p1 = x;
      for (let k = 1; k < n; k++) {
        const p2 = ((2 * k + 1) * x * p1 - k * p0) / (k + 1);
        p0 = p1;
        p1 = p2;
      }
      // P_n'(x) = n (x P_n − P_{n−1}) / (x² − 1)
      dp = (n * (x * p1 - p0)) / (x * x - 1);
      const dx = p1 / dp;
      x -= dx;
      if (Math.abs(dx) < 1e-16) break;
    }
    const w = 2 / ((1 - x * x) * dp * dp);
    // x is the i-th largest root; map [-1, 1] → [0, 1] and place it symmetrically.
    alphas[n - i] = (1 + x) / 2;
    alphas[i - 1] = (1 - x) / 2;
    weights[n - i] = w / 2;
    weights[i - 1] = w / 2;
  }
  return { alphas, weights };
}

/** Nodes and weights of `rule` with `steps` (≥ 1): see the module comment for what `steps` counts. */
export function quadrature(steps: number, rule: QuadratureRule): Quadrature {
  if (!Number.isInteger(steps) || steps < 1) throw new RangeError(`steps must be an integer ≥ 1, got ${steps}`);
  if (rule === 'gauss-legendre') return gaussLegendre(steps);
  const alphas: number[] = [];
  const weights: number[] = [];
  if (rule === 'trapezoid') {
    for (let k = 0; k <= steps; k++) {
      alphas.push(k / steps);
      weights.push(k === 0 || k === steps ? 0.5 / steps : 1 / steps);
    }
    return { alphas, weights };
  }
  for (let k = 0; k < steps; k++) {
    alphas.push(rule === 'left' ? k / steps : rule === 'right' ? (k + 1) / steps : (k + 0.5) / steps);
    weights.push(1 / steps);
  }
  return { alphas, weights };
}

/** Σ w_k f(α_k): the rule applied to a plain function (tests and the bench's known answers). */
export function integrate(f: (alpha: number) => number, q: Quadrature): number {
  let s = 0;
  for (let k = 0; k < q.alphas.length; k++) s += (q.weights[k] as number) * f(q.alphas[k] as number);
  return s;
}
