/**
 * One class against the rest: a threshold rule, its cost curve under a cost matrix and deployment priors,
 * and the cost-optimal threshold.
 *
 * Rule at threshold t for the class X ("positive"): decide X when p(X|x) > t, otherwise the most probable
 * other class (ties to the lowest index). For a binary model (K = 2, X = 1) this is the usual
 * "p > t ⇒ positive"; at t = 0.5 it is the argmax.
 *
 * Cost at t: each image n decides either X (cost C(yₙ, X)) or its fallback fₙ (cost C(yₙ, fₙ)); the cost per
 * image is Σₙ wₙ·cost / Σₙ wₙ, with wₙ = 1 ("on this set's mix") or wₙ = π′(yₙ)/count(yₙ) ("at your
 * priors": each true class weighs as much as its deployment prior, whatever its share of the set). The
 * curve is piecewise constant between the distinct scores, so it is exact, in O(N log N).
 *
 * For a calibrated binary model the expected-cost minimiser is t* = C_FP / (C_FP + C_FN) (Elkan 2001,
 * https://dl.acm.org/doi/10.5555/1642194.1642224, Theorem 1), on posteriors corrected to the deployment
 * priors (lib/metrics/priors).
 */
import { assertClassIndices, MetricsError, rowCount, type ClassIndexArray, type ProbArray } from './common';
import { realisedCosts, type Costs } from './cost';

/** Per-image scores of one class and the decision taken when it is not chosen. */
export interface OneVsRest {
  positive: number;
  /** [N] p(X|xₙ). */
  scores: Float64Array;
  /** [N] 1 when yₙ = X. */
  isPositive: Uint8Array;
  /** [N] the most probable class other than X (X itself when K = 1). */
  fallback: Int32Array;
}

/** Scores of class `positive` against the rest, from [N×K] posteriors. */
export function oneVsRest(probs: ProbArray, labels: ClassIndexArray, k: number, positive: number): OneVsRest {
  const n = rowCount(probs, k, labels.length);
  assertClassIndices(labels, k, 'labels');
  if (!Number.isInteger(positive) || positive < 0 || positive >= k)
    throw new MetricsError(`The class ${positive} is not a class index in [0, ${k}).`);
  const scores = new Float64Array(n);
  const isPositive = new Uint8Array(n);
  const fallback = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    const base = r * k;
    scores[r] = probs[base + positive] as number;
    isPositive[r] = labels[r] === positive ? 1 : 0;
    let best = k === 1 ? positive : -1;
    let bestV = -Infinity;
    for (let j = 0; j < k; j++) {
      if (j === positive) continue;
      const v = probs[base + j] as number;
      if (v > bestV) {
        bestV = v;
        best = j;
      }
    }
    fallback[r] = best;
  }
  return { positive, scores, isPositive, fallback };
}

/** Decisions of the threshold rule: X when p(X|x) > t, else the fallback. Int32Array [N]. */
export function thresholdDecisions(ovr: OneVsRest, t: number): Int32Array {
  return Int32Array.from(ovr.fallback, (f, n) => ((ovr.scores[n] as number) > t ? ovr.positive : f));
}

/**
 * Per-image weights: 1/N each without priors; with priors π′ (length K, any scale), π′(y)/count(y), so each
 * true class carries its prior's share. Classes absent from the set carry nothing (their prior is dropped
 * and the rest renormalised). Float64Array [N] summing to 1 (all 0 when N = 0).
 */
export function priorWeights(labels: ClassIndexArray, k: number, priors: ArrayLike<number> | null): Float64Array {
  assertClassIndices(labels, k, 'labels');
  const n = labels.length;
  if (n === 0) return new Float64Array(0);
  if (priors === null) return new Float64Array(n).fill(1 / n);
  if (priors.length !== k) throw new MetricsError(`The priors have ${priors.length} entries; expected ${k}.`);
  const count = new Float64Array(k);
  for (let i = 0; i < n; i++) count[labels[i] as number] = (count[labels[i] as number] as number) + 1;
  let mass = 0;
  for (let c = 0; c < k; c++) {
    const p = priors[c] as number;
    if (!Number.isFinite(p) || p < 0) throw new MetricsError(`Prior ${c} = ${p} must be a finite number ≥ 0.`);
    if ((count[c] as number) > 0) mass += p;
  }
  if (mass <= 0) throw new MetricsError('The priors give no weight to any class present in the set.');
  return Float64Array.from(labels, (y) => (priors[y] as number) / mass / (count[y] as number));
}

/** Σ wₙ·vₙ for weights summing to 1 (null when there are no images). */
export function weightedMean(values: ArrayLike<number>, weights: ArrayLike<number>): number | null {
  if (values.length === 0) return null;
  let s = 0;
  for (let i = 0; i < values.length; i++) s += (values[i] as number) * (weights[i] as number);
  return s;
}

/** The cost curve: on [lower[m], upper[m]) (the last segment includes 1) the cost per image is cost[m]. */
export interface CostCurve {
  lower: Float64Array;
  upper: Float64Array;
  cost: Float64Array;
  /** The cheapest segment's midpoint (the first cheapest when several tie) and its cost. */
  best: { threshold: number; cost: number; lower: number; upper: number };
}

/**
 * Exact cost per image of the threshold rule for every t in [0, 1].
 * @param weights [N] from `priorWeights` (sum 1)
 */
export function costCurve(
  ovr: OneVsRest,
  labels: ClassIndexArray,
  costs: Costs,
  weights: ArrayLike<number>,
): CostCurve {
  const n = ovr.scores.length;
  const cPos = realisedCosts(labels, new Int32Array(n).fill(ovr.positive), costs);
  const cNeg = realisedCosts(labels, ovr.fallback, costs);
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => (ovr.scores[a] as number) - (ovr.scores[b] as number),
  );
  // Start with every image positive (t below every score), then move images to their fallback in ascending
  // score order: after the group with score s, the decision is that of t ∈ [s, next score).
  let cost = 0;
  for (let i = 0; i < n; i++) cost += (cPos[i] as number) * (weights[i] as number);
  const lower: number[] = [];
  const upper: number[] = [];
  const values: number[] = [];
  const first = n > 0 ? (ovr.scores[order[0] as number] as number) : 1;
  if (first > 0) {
    lower.push(0);
    upper.push(Math.min(first, 1));
    values.push(cost);
  }
  let i = 0;
  while (i < n) {
    const s = ovr.scores[order[i] as number] as number;
    while (i < n && ovr.scores[order[i] as number] === s) {
      const m = order[i] as number;
      cost += ((cNeg[m] as number) - (cPos[m] as number)) * (weights[m] as number);
      i++;
    }
    const next = i < n ? (ovr.scores[order[i] as number] as number) : 1;
    if (s >= 1 && lower.length > 0) continue; // t cannot exceed 1
    lower.push(Math.max(0, s));
    upper.push(Math.min(1, next));
    values.push(cost);
  }
  let b = 0;
  for (let m = 1; m < values.length; m++) if ((values[m] as number) < (values[b] as number) - 1e-12) b = m;
  const lo = lower[b] ?? 0;
  const hi = upper[b] ?? 1;
  return {
    lower: Float64Array.from(lower),
    upper: Float64Array.from(upper),
    cost: Float64Array.from(values),
    best: { threshold: (lo + hi) / 2, cost: values[b] ?? 0, lower: lo, upper: hi },
  };
}

/** The curve's cost at threshold t ∈ [0, 1] (binary search over the segments). */
export function costAtThreshold(curve: CostCurve, t: number): number {
  let lo = 0;
  let hi = curve.lower.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((curve.lower[mid] as number) <= t) lo = mid;
    else hi = mid - 1;
  }
  return curve.cost[lo] ?? 0;
}
