/**
 * The adaptive trapezoid of Integrated Gradients' path integral (plain maths, no tfjs).
 *
 * Along the straight path x(α) = x' + α(x − x'), α ∈ [0, 1], every gradient evaluation gives two scalars for
 * free: the score S(α) and its slope f(α) = ∇S(x(α)) · (x − x') (the sum of that point's IG integrand over
 * the pixels). By the fundamental theorem of calculus ∫_a^b f = S(b) − S(a) on every interval (S is
 * continuous and piecewise differentiable for the networks here), so each trapezoid panel has an *exact*
 * local error
 *   e_i = (b − a)(f(a) + f(b))/2 − (S(b) − S(a)),
 * and Σ_i e_i is exactly the completeness error's numerator Σ IG − (S(1) − S(0)). Bisecting the panels with
 * the largest |e_i| first is ordinary adaptive quadrature with an error estimate that is not an estimate:
 * ReLU networks put their kinks where they like along the path, and uniform refinement spends most points
 * where the integrand is already linear.
 */

/** One evaluated point of the path: α ∈ [0, 1], the score S(α) and its slope f(α) = ∇S · (x − x′). */
export interface PathNode {
  alpha: number;
  score: number;
  slope: number;
}

/** Panels narrower than this are not bisected further (2⁻²⁰: far below any useful resolution). */
export const MIN_PANEL_WIDTH = 2 ** -20;

/** `nodes` sorted by α; throws a RangeError unless they start at 0, end at 1 and strictly increase. */
function checked(nodes: readonly PathNode[]): readonly PathNode[] {
  if (nodes.length < 2) throw new RangeError(`the adaptive trapezoid needs ≥ 2 nodes, got ${nodes.length}`);
  const first = nodes[0] as PathNode;
  const last = nodes[nodes.length - 1] as PathNode;
  if (first.alpha !== 0 || last.alpha !== 1) throw new RangeError('the nodes must start at α = 0 and end at α = 1');
  for (let i = 1; i < nodes.length; i++) {
    if ((nodes[i] as PathNode).alpha <= (nodes[i - 1] as PathNode).alpha) {
      throw new RangeError('the nodes must be sorted by α without repeats');
    }
  }
  return nodes;
}

/** The local error e_i of each panel [α_i, α_{i+1}] (length nodes.length − 1); see the module comment. */
export function panelErrors(nodes: readonly PathNode[]): number[] {
  const n = checked(nodes);
  const out: number[] = [];
  for (let i = 0; i + 1 < n.length; i++) {
    const a = n[i] as PathNode;
    const b = n[i + 1] as PathNode;
    out.push(((b.alpha - a.alpha) * (a.slope + b.slope)) / 2 - (b.score - a.score));
  }
  return out;
}

/**
 * Trapezoid weights of sorted nodes α_0 = 0 < … < α_m = 1: w_j = (α_{j+1} − α_{j−1})/2 inside, half the
 * neighbouring panel at the ends. Σ w_j = 1; uniform nodes give the ordinary trapezoid's weights.
 */
export function trapezoidWeights(alphas: readonly number[]): number[] {
  const m = alphas.length - 1;
  return alphas.map((_, j) => {
    const left = j > 0 ? (alphas[j] as number) - (alphas[j - 1] as number) : 0;
    const right = j < m ? (alphas[j + 1] as number) - (alphas[j] as number) : 0;
    return (left + right) / 2;
  });
}

/** Σ_j w_j f(α_j): the trapezoid's estimate of ∫₀¹ f = the sum of all attributions. */
export function trapezoidTotal(nodes: readonly PathNode[]): number {
  const w = trapezoidWeights(checked(nodes).map((p) => p.alpha));
  return nodes.reduce((s, p, j) => s + (w[j] as number) * p.slope, 0);
}

/**
 * The midpoints of the (at most `count`) panels with the largest |e_i| that are wider than MIN_PANEL_WIDTH
 * and whose error is above rounding (|e_i| > 1e-12 · (1 + |S(a)| + |S(b)|)), ascending. Empty when no panel
 * can or needs to be bisected.
 */
export function nextAlphas(nodes: readonly PathNode[], count: number): number[] {
  const errors = panelErrors(nodes);
  const panels = errors
    .map((e, i) => ({ e: Math.abs(e), i }))
    .filter(({ e, i }) => {
      const a = nodes[i] as PathNode;
      const b = nodes[i + 1] as PathNode;
      return e > 1e-12 * (1 + Math.abs(a.score) + Math.abs(b.score)) && b.alpha - a.alpha > MIN_PANEL_WIDTH;
    })
    .sort((p, q) => q.e - p.e || p.i - q.i)
    .slice(0, Math.max(0, count));
  return panels
    .map(({ i }) => ((nodes[i] as PathNode).alpha + (nodes[i + 1] as PathNode).alpha) / 2)
    .sort((a, b) => a - b);
}

/** How far the score travels along the path: Σ |S(α_{i+1}) − S(α_i)| over the nodes (≥ |S(1) − S(0)|). */
export function scoreVariation(nodes: readonly PathNode[]): number {
  const n = checked(nodes);
  let v = 0;
  for (let i = 1; i < n.length; i++) v += Math.abs((n[i] as PathNode).score - (n[i - 1] as PathNode).score);
  return v;
}
