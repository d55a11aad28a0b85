/**
 * ROC and precision–recall curves of one score against a yes/no truth, with their areas.
 *
 * The decision at threshold t is "positive when score > t" (strict, so that for a binary model the argmax
 * — ties to class 0 — is the threshold 0.5). Sweeping t from 1 down to 0 passes the distinct scores one by
 * one; tied scores enter together, so a tie is one diagonal step of the ROC curve.
 * - ROC: TPR = TP/P against FPR = FP/Nₙ (Fawcett 2006, "An introduction to ROC analysis",
 *   https://doi.org/10.1016/j.patrec.2005.10.010). Its area by the trapezoid rule equals the Mann–Whitney
 *   probability P(score₊ > score₋) + ½·P(score₊ = score₋) (Hanley & McNeil 1982,
 *   https://doi.org/10.1148/radiology.143.1.7063747), computed independently by `mannWhitneyAuc`.
 * - PR: precision = TP/(TP+FP) against recall = TPR. Precision depends on how common positives are; with
 *   `prevalence` π it is π·TPR / (π·TPR + (1−π)·FPR) (the precision at deployment priors). Its area is the
 *   average precision AP = Σ (Rₘ − Rₘ₋₁)·Pₘ (scikit-learn's definition, no interpolation).
 */
import { assertSameLength, MetricsError } from './common';

/** One point of the sweep: decisions "positive when score > threshold" hold for every t in [threshold, upper). */
export interface CurvePoint {
  /**
   * Positive when score > threshold: a distinct score, the largest score (or 1) for the first point (nothing
   * positive), and below every score for the last (everything positive).
   */
  threshold: number;
  tp: number;
  fp: number;
  /** True-positive rate (recall) in [0, 1]. */
  tpr: number;
  /** False-positive rate in [0, 1]. */
  fpr: number;
  /** Precision at the chosen prevalence; null when nothing is decided positive. */
  precision: number | null;
}

export interface BinaryCurves {
  /** From (0, 0) (nothing positive) to (1, 1) (everything positive), FPR and TPR never decreasing. */
  points: CurvePoint[];
  positives: number;
  negatives: number;
  /** Area under the ROC curve in [0, 1]; null without positives or without negatives. */
  rocAuc: number | null;
  /** Average precision in [0, 1]; null without positives or without negatives. */
  averagePrecision: number | null;
  /** The prevalence the precisions use (the set's own share of positives unless one was given). */
  prevalence: number;
}

function checkInputs(scores: ArrayLike<number>, positive: ArrayLike<number | boolean>): void {
  assertSameLength(scores, positive, 'scores and truth');
  for (let i = 0; i < scores.length; i++) {
    if (!Number.isFinite(scores[i] as number)) throw new MetricsError(`Score ${i} = ${scores[i]} is not finite.`);
  }
}

/**
 * ROC and PR curves with their areas.
 * @param scores     [N] finite scores (e.g. p(X|x)), higher = more likely positive
 * @param positive   [N] truthy = positive
 * @param prevalence share of positives to compute precision at, in (0, 1); default the set's own
 */
export function binaryCurves(
  scores: ArrayLike<number>,
  positive: ArrayLike<number | boolean>,
  prevalence?: number,
): BinaryCurves {
  checkInputs(scores, positive);
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (scores[b] as number) - (scores[a] as number));
  let P = 0;
  for (let i = 0; i < n; i++) if (positive[i]) P++;
  const N = n - P;
  if (prevalence !== undefined && !(prevalence > 0 && prevalence < 1))
    throw new MetricsError(`The prevalence must be in (0, 1) (got ${prevalence}).`);
  const pi = prevalence ?? (n === 0 ? 0 : P / n);
  const point = (threshold: number, tp: number, fp: number): CurvePoint => {
    const tpr = P === 0 ? 0 : tp / P;
    const fpr = N === 0 ? 0 : fp / N;
    const num = pi * tpr;
    const den = num + (1 - pi) * fpr;
    return { threshold, tp, fp, tpr, fpr, precision: tp + fp === 0 ? null : den === 0 ? null : num / den };
  };
  const points: CurvePoint[] = [point(Math.max(1, n > 0 ? (scores[order[0] as number] as number) : 1), 0, 0)];
  let tp = 0;
  let fp = 0;
  let i = 0;
  while (i < n) {
    const s = scores[order[i] as number] as number;
    while (i < n && (scores[order[i] as number] as number) === s) {
      if (positive[order[i] as number]) tp++;
      else fp++;
      i++;
    }
    // Everything with score ≥ s is positive: the decision "score > t" for t just below s.
    const next = i < n ? (scores[order[i] as number] as number) : s > 0 ? 0 : s - 1;
    points.push(point(next, tp, fp));
  }
  let rocAuc: number | null = null;
  let averagePrecision: number | null = null;
  if (P > 0 && N > 0) {
    rocAuc = 0;
    averagePrecision = 0;
    for (let m = 1; m < points.length; m++) {
      const a = points[m - 1] as CurvePoint;
      const b = points[m] as CurvePoint;
      rocAuc += ((b.fpr - a.fpr) * (a.tpr + b.tpr)) / 2;
      averagePrecision += (b.tpr - a.tpr) * (b.precision ?? 0);
    }
  }
  return { points, positives: P, negatives: N, rocAuc, averagePrecision, prevalence: pi };
}

/**
 * AUC as the Mann–Whitney U statistic: (R₊ − n₊(n₊+1)/2) / (n₊·n₋), R₊ the sum of the positives' ranks
 * (ties get their mean rank). Null without positives or negatives.
 */
export function mannWhitneyAuc(scores: ArrayLike<number>, positive: ArrayLike<number | boolean>): number | null {
  checkInputs(scores, positive);
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (scores[a] as number) - (scores[b] as number));
  let rankSum = 0;
  let P = 0;
  let i = 0;
  while (i < n) {
    let j = i;
    while (j < n && scores[order[j] as number] === scores[order[i] as number]) j++;
    const meanRank = (i + 1 + j) / 2; // ranks i+1 … j
    for (let m = i; m < j; m++) {
      if (positive[order[m] as number]) {
        rankSum += meanRank;
        P++;
      }
    }
    i = j;
  }
  const N = n - P;
  if (P === 0 || N === 0) return null;
  return (rankSum - (P * (P + 1)) / 2) / (P * N);
}

/**
 * At most `max` points of a curve for drawing (the first and last always kept, evenly spaced in between).
 * The areas are computed on the full curve; this only thins what is drawn.
 */
export function thinPoints<T>(points: readonly T[], max = 200): T[] {
  if (points.length <= max) return [...points];
  const out: T[] = [];
  const step = (points.length - 1) / (max - 1);
  for (let m = 0; m < max; m++) out.push(points[Math.round(m * step)] as T);
  return out;
}
