/**
 * The guided path of Guided Integrated Gradients (Kapishnikov et al. 2021, https://arxiv.org/abs/2106.09788,
 * Algorithm 1; the same steps as PAIR saliency's reference `guided_ig_impl`), on plain arrays, with the
 * gradient supplied by the caller. Features are the n = h·w·c pixel values, in pixel space.
 *
 * Notation: x' baseline, x input, d = x − x', L = Σ|d| (L1 length of the path). At step t = 1…T:
 *   α = t/T, α_min = max(α − maxDist, 0), α_max = min(α + maxDist, 1), x_min/x_max = x' + α_min/α_max · d,
 *   the L1 distance to the input must shrink to L·(1 − α). g = ∇S at the current point z (one model call).
 *   Repeat: features lagging behind α_min jump to x_min; if |z − x|₁ ≈ target, stop; otherwise mark features
 *   already at x_max as done (|g| = ∞), select S = { i : |g_i| ≤ q } with q the `fraction` quantile
 *   (numpy's 'lower': the ⌊fraction·(n−1)⌋-th smallest) of |g|, and move S towards x_max — all the way
 *   when that does not overshoot the target (γ > 1), else by the fraction γ that reaches it exactly.
 *   Every move adds (z_new − z_old) · g to the attribution (g from the start of the step).
 * The path ends at x, so Σ attributions ≈ S(x) − S(x') (completeness) up to the step discretisation.
 */

const EPSILON = 1e-9;

/** The k-th smallest value (0-based) of `values` (not modified). Quickselect, O(n) on average. */
export function kthSmallest(values: ArrayLike<number>, k: number): number {
  const a = Float64Array.from(values);
  if (k < 0 || k >= a.length) throw new RangeError(`k = ${k} outside [0, ${a.length})`);
  let lo = 0;
  let hi = a.length - 1;
  while (lo < hi) {
    // Median of three as pivot.
    const mid = (lo + hi) >> 1;
    const x = a[lo] as number;
    const y = a[mid] as number;
    const z = a[hi] as number;
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while ((a[i] as number) < pivot) i++;
      while ((a[j] as number) > pivot) j--;
      if (i <= j) {
        const t = a[i] as number;
        a[i] = a[j] as number;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k] as number;
  }
  return a[k] as number;
}

/** numpy.quantile(values, q, method='lower'). */
export function quantileLower(values: ArrayLike<number>, q: number): number {
  return kthSmallest(values, Math.floor(q * (values.length - 1)));
}

export interface GuidedPathOptions {
  steps: number;
  fraction: number;
  maxDist: number;
  /** Called before each step (e.g. to throw an AbortError). */
  beforeStep?: (step: number) => void;
  /** Called after each step with the fraction of steps done. */
  afterStep?: (fraction: number) => Promise<void> | void;
}

/**
 * Attributions (length n, Float64Array) along the guided path from `baseline` to `input`. `gradient(z)`
 * returns ∇S at the point z (length n); it is called exactly `steps` times, never when input = baseline.
 */
export async function guidedPath(
  input: ArrayLike<number>,
  baseline: ArrayLike<number>,
  gradient: (z: Float64Array) => Promise<ArrayLike<number>>,
  opts: GuidedPathOptions,
): Promise<{ attributions: Float64Array; gradientCalls: number }> {
  const n = input.length;
  const z = Float64Array.from(baseline);
  const d = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    d[i] = (input[i] as number) - (baseline[i] as number);
    total += Math.abs(d[i] as number);
  }
  const attr = new Float64Array(n);
  if (total === 0) return { attributions: attr, gradientCalls: 0 };
  const xMax = new Float64Array(n);
  const xMin = new Float64Array(n);
  const absGrad = new Float64Array(n);
  const selected = new Uint8Array(n);
  let calls = 0;
  for (let step = 0; step < opts.steps; step++) {
    opts.beforeStep?.(step);
    const gActual = await gradient(z);
    calls += 1;
    const alpha = (step + 1) / opts.steps;
    const aMin = Math.max(alpha - opts.maxDist, 0);
    const aMax = Math.min(alpha + opts.maxDist, 1);
    for (let i = 0; i < n; i++) {
      xMin[i] = (baseline[i] as number) + (d[i] as number) * aMin;
      xMax[i] = (baseline[i] as number) + (d[i] as number) * aMax;
      absGrad[i] = Math.abs(gActual[i] as number);
    }
    const l1Target = total * (1 - alpha);
    // Each pass either reaches the target (γ ≤ 1) or moves the selected features to x_max, after which they
    // are excluded; so a step ends after at most n + 1 passes (in practice ≈ 1/fraction).
    for (let pass = 0; pass <= n; pass++) {
      const zOld = Float64Array.from(z);
      let l1 = 0;
      for (let i = 0; i < n; i++) {
        const di = d[i] as number;
        const a = di !== 0 ? ((z[i] as number) - (baseline[i] as number)) / di : aMax;
        if (a < aMin) z[i] = xMin[i] as number;
        l1 += Math.abs((z[i] as number) - (input[i] as number));
      }
      const accumulate = () => {
        for (let i = 0; i < n; i++)
          attr[i] = (attr[i] as number) + ((z[i] as number) - (zOld[i] as number)) * (gActual[i] as number);
      };
      if (Math.abs(l1Target - l1) <= EPSILON + EPSILON * Math.abs(l1)) {
        accumulate();
        break;
      }
      for (let i = 0; i < n; i++) if (z[i] === xMax[i]) absGrad[i] = Number.POSITIVE_INFINITY;
      const threshold = quantileLower(absGrad, opts.fraction);
      let l1Selected = 0;
      for (let i = 0; i < n; i++) {
        const s = (absGrad[i] as number) <= threshold && absGrad[i] !== Number.POSITIVE_INFINITY;
        selected[i] = s ? 1 : 0;
        if (s) l1Selected += Math.abs((z[i] as number) - (xMax[i] as number));
      }
      const gamma = l1Selected > 0 ? (l1 - l1Target) / l1Selected : Number.POSITIVE_INFINITY;
      if (gamma > 1) {
        for (let i = 0; i < n; i++) if (selected[i]) z[i] = xMax[i] as number;
      } else {
        for (let i = 0; i < n; i++)
          if (selected[i]) z[i] = (z[i] as number) + ((xMax[i] as number) - (z[i] as number)) * gamma;
      }
      accumulate();
      // γ ≤ 1: the target is reached. Nothing left to move (every feature at x_max): the step is done too.
      if (gamma <= 1 || l1Selected === 0) break;
    }
    await opts.afterStep?.((step + 1) / opts.steps);
  }
  return { attributions: attr, gradientCalls: calls };
}
