/**
 * Top-label calibration: reliability diagram, expected and maximum calibration error.
 *
 * Guo, Pleiss, Sun & Weinberger (2017), "On Calibration of Modern Neural Networks", ICML,
 * https://arxiv.org/abs/1706.04599 (§2, eqs. 2–5). For each image the confidence is the probability of the
 * predicted (argmax) class, ĉ = maxₖ p(k|x). Confidences are put in M equal-width bins
 * I_m = ((m−1)/M, m/M] (a confidence of exactly 0 goes to the first bin). Per bin:
 *   acc(B_m)  = fraction of images in the bin that are correct
 *   conf(B_m) = mean confidence in the bin
 * ECE = Σ_m |B_m|/N · |acc(B_m) − conf(B_m)|      MCE = max over non-empty bins of |acc(B_m) − conf(B_m)|.
 */
import {
  argmaxRows,
  assertSameLength,
  assertClassIndices,
  MetricsError,
  rowCount,
  type ClassIndexArray,
  type ProbArray,
} from './common';

export interface ReliabilityBin {
  /** Bin edges: (lower, upper]; the first bin also includes 0. */
  lower: number;
  upper: number;
  count: number;
  /** Mean confidence of the images in the bin; null when empty. */
  meanConfidence: number | null;
  /** Fraction correct in the bin; null when empty. */
  accuracy: number | null;
  /** |accuracy − meanConfidence|; null when empty. */
  gap: number | null;
}

export interface CalibrationResult {
  bins: ReliabilityBin[];
  /** Expected calibration error in [0, 1]; null when N = 0. */
  ece: number | null;
  /** Maximum calibration error in [0, 1]; null when N = 0. */
  mce: number | null;
  /** Overall accuracy and mean confidence (their difference is the over/under-confidence). */
  accuracy: number | null;
  meanConfidence: number | null;
  n: number;
}

/** Bin index of a confidence c ∈ [0, 1] among M bins ((m−1)/M, m/M]. */
export function binIndex(c: number, m: number): number {
  return Math.min(m - 1, Math.max(0, Math.ceil(c * m) - 1));
}

/**
 * Reliability diagram and ECE/MCE from posteriors and labels.
 * @param probs  [N×K] posteriors, row-major
 * @param labels [N] true classes
 * @param numBins M ≥ 1 (default 15, as in Guo et al.)
 */
export function calibration(probs: ProbArray, labels: ClassIndexArray, k: number, numBins = 15): CalibrationResult {
  const n = rowCount(probs, k, labels.length);
  assertClassIndices(labels, k, 'labels');
  const preds = argmaxRows(probs, k);
  const conf = Float64Array.from({ length: n }, (_, i) => probs[i * k + (preds[i] as number)] as number);
  const correct = Uint8Array.from({ length: n }, (_, i) => (preds[i] === labels[i] ? 1 : 0));
  return calibrationFromConfidences(conf, correct, numBins);
}

/**
 * The same from per-image confidences and correctness (for callers that already have them, or for a
 * decision rule other than argmax).
 * @param confidences [N] in [0, 1]
 * @param correct     [N] 1 = correct, 0 = wrong
 */
export function calibrationFromConfidences(
  confidences: ArrayLike<number>,
  correct: ArrayLike<number | boolean>,
  numBins = 15,
): CalibrationResult {
  if (!Number.isInteger(numBins) || numBins < 1)
    throw new MetricsError(`The number of bins must be a positive integer (got ${numBins}).`);
  assertSameLength(confidences, correct, 'confidences and correctness');
  const n = confidences.length;
  const count = new Float64Array(numBins);
  const sumConf = new Float64Array(numBins);
  const sumCorrect = new Float64Array(numBins);
  let totalConf = 0;
  let totalCorrect = 0;
  for (let i = 0; i < n; i++) {
    const c = confidences[i] as number;
    if (!(c >= 0 && c <= 1)) throw new MetricsError(`Confidence ${i} = ${c} is not in [0, 1].`);
    const ok = correct[i] ? 1 : 0;
    const b = binIndex(c, numBins);
    count[b] = (count[b] as number) + 1;
    sumConf[b] = (sumConf[b] as number) + c;
    sumCorrect[b] = (sumCorrect[b] as number) + ok;
    totalConf += c;
    totalCorrect += ok;
  }
  let ece = 0;
  let mce = 0;
  const bins: ReliabilityBin[] = [];
  for (let b = 0; b < numBins; b++) {
    const cnt = count[b] as number;
    const meanConfidence = cnt === 0 ? null : (sumConf[b] as number) / cnt;
    const accuracy = cnt === 0 ? null : (sumCorrect[b] as number) / cnt;
    const gap = cnt === 0 ? null : Math.abs((accuracy as number) - (meanConfidence as number));
    if (gap !== null) {
      ece += (cnt / n) * gap;
      mce = Math.max(mce, gap);
    }
    bins.push({ lower: b / numBins, upper: (b + 1) / numBins, count: cnt, meanConfidence, accuracy, gap });
  }
  return {
    bins,
    ece: n === 0 ? null : ece,
    mce: n === 0 ? null : mce,
    accuracy: n === 0 ? null : totalCorrect / n,
    meanConfidence: n === 0 ? null : totalConf / n,
    n,
  };
}
