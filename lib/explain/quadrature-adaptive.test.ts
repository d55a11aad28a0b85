import { describe, expect, it } from 'vitest';
import { quadrature } from './quadrature';
import {
  nextAlphas,
  panelErrors,
  scoreVariation,
  trapezoidTotal,
  trapezoidWeights,
  type PathNode,
} from './quadrature-adaptive';

/** Nodes of a path whose score is S and slope f = S′, at the given α. */
const nodesOf = (alphas: readonly number[], S: (a: number) => number, f: (a: number) => number): PathNode[] =>
  alphas.map((alpha) => ({ alpha, score: S(alpha), slope: f(alpha) }));
const uniform = (n: number) => Array.from({ length: n + 1 }, (_, k) => k / n);

/** A ReLU kink at α = 0.3: S = 2·max(0, α − 0.3), f = 2 above the kink (the integrand IG sees on ReLU nets). */
const kinkS = (a: number) => 2 * Math.max(0, a - 0.3);
const kinkF = (a: number) => (a > 0.3 ? 2 : 0);

/** Refines like Integrated Gradients does: `batch` bisections per round until |error| ≤ tol or `points`. */
function refine(S: (a: number) => number, f: (a: number) => number, tol: number, points: number, batch: number) {
  let nodes = nodesOf(uniform(8), S, f);
  const delta = S(1) - S(0);
  while (Math.abs(trapezoidTotal(nodes) - delta) > tol && nodes.length < points) {
    const next = nextAlphas(nodes, Math.min(batch, points - nodes.length));
    if (next.length === 0) break;
    nodes = [...nodes, ...nodesOf(next, S, f)].sort((p, q) => p.alpha - q.alpha);
  }
  return { nodes, error: Math.abs(trapezoidTotal(nodes) - delta) };
}

describe('adaptive trapezoid', () => {
  it('panel errors are exact and add up to the completeness numerator (S = α³, two panels)', () => {
    const nodes = nodesOf(
      [0, 0.5, 1],
      (a) => a ** 3,
      (a) => 3 * a * a,
    );
    // [0, ½]: ½·(0 + ¾)/2 − ⅛ = 1/16; [½, 1]: ½·(¾ + 3)/2 − ⅞ = 1/16.
    expect(panelErrors(nodes)).toEqual([0.0625, 0.0625]);
    expect(trapezoidTotal(nodes)).toBeCloseTo(1.125, 15);
    const sum = panelErrors(nodes).reduce((a, b) => a + b, 0);
    expect(sum).toBeCloseTo(trapezoidTotal(nodes) - 1, 15);
  });

  it('weights: the ordinary trapezoid on even nodes, half the neighbouring panels otherwise; Σ w = 1', () => {
    expect(trapezoidWeights(uniform(4))).toEqual(quadrature(4, 'trapezoid').weights);
    expect(trapezoidWeights([0, 0.25, 0.5, 1])).toEqual([0.125, 0.25, 0.375, 0.25]);
    const w = trapezoidWeights([0, 0.1, 0.15, 0.6, 1]);
    expect(w.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 15);
    expect(Math.min(...w)).toBeGreaterThan(0);
  });

  it('bisects the panel that holds the kink, and only panels with an error', () => {
    const nodes = nodesOf(uniform(8), kinkS, kinkF);
    // Only [0.25, 0.375] is wrong: 0.125·(0 + 2)/2 − 2·0.075 = −0.025.
    const errors = panelErrors(nodes);
    expect(errors[2]).toBeCloseTo(-0.025, 15);
    expect(Math.max(...errors.filter((_, i) => i !== 2).map(Math.abs))).toBeLessThan(1e-15);
    expect(nextAlphas(nodes, 3)).toEqual([0.3125]);
    // A linear S needs nothing.
    expect(
      nextAlphas(
        nodesOf(
          uniform(8),
          (a) => 3 * a,
          () => 3,
        ),
        4,
      ),
    ).toEqual([]);
    // Largest errors first, returned ascending: S = α⁴ errs most on the right.
    const quartic = nodesOf(
      uniform(8),
      (a) => a ** 4,
      (a) => 4 * a ** 3,
    );
    expect(nextAlphas(quartic, 2)).toEqual([0.8125, 0.9375]);
  });

  it('reaches 1e-4 on the kink with 15 points, where the uniform trapezoid is off by 0.025 at 9 points and still 0.003 at 65', () => {
    const adaptive = refine(kinkS, kinkF, 1e-4, 65, 1);
    expect(adaptive.error).toBeLessThanOrEqual(1e-4);
    expect(adaptive.nodes.length).toBe(9 + 8); // each bisection halves the kink panel's error: 0.025 / 2⁸ < 1e-4
    const uniformError = (n: number) => Math.abs(trapezoidTotal(nodesOf(uniform(n), kinkS, kinkF)) - kinkS(1));
    expect(uniformError(8)).toBeCloseTo(0.025, 12);
    expect(uniformError(64)).toBeGreaterThan(1e-3);
  });

  it('stops at the point budget, batches several bisections per round', () => {
    // Two kinks (0.3 and 0.71): a round of two bisects both panels.
    const S = (a: number) => kinkS(a) - 3 * Math.max(0, a - 0.71);
    const f = (a: number) => kinkF(a) - (a > 0.71 ? 3 : 0);
    const first = nextAlphas(nodesOf(uniform(8), S, f), 2);
    expect(first).toEqual([0.3125, 0.6875]);
    const capped = refine(S, f, 0, 12, 2);
    expect(capped.nodes.length).toBe(12);
  });

  it('score variation: Σ |ΔS| over the nodes', () => {
    const nodes: PathNode[] = [
      { alpha: 0, score: 0, slope: 0 },
      { alpha: 0.5, score: 1, slope: 0 },
      { alpha: 1, score: 0.5, slope: 0 },
    ];
    expect(scoreVariation(nodes)).toBe(1.5);
  });

  it('refuses nodes that do not span [0, 1] in increasing order', () => {
    const p = (alpha: number): PathNode => ({ alpha, score: 0, slope: 0 });
    expect(() => panelErrors([p(0)])).toThrow(RangeError);
    expect(() => panelErrors([p(0), p(0.5)])).toThrow(/α = 1/);
    expect(() => panelErrors([p(0), p(0.5), p(0.5), p(1)])).toThrow(/sorted/);
    expect(() => trapezoidTotal([p(0.1), p(1)])).toThrow(/α = 0/);
  });
});
