/**
 * Prior shift: adjusting a classifier's posteriors to class priors that differ from the training priors.
 *
 * If a model outputs p(i|x) calibrated under training priors π(i), and the deployment priors are π'(i), then
 * (assuming p(x|i) is unchanged) the adjusted posterior is
 *
 *     p'(i|x) = p(i|x)·π'(i)/π(i)  /  Σⱼ p(j|x)·π'(j)/π(j)
 *
 * Saerens, Latinne & Decaestecker (2002), "Adjusting the Outputs of a Classifier to New a Priori
 * Probabilities: A Simple Procedure", Neural Computation 14(1), https://doi.org/10.1162/089976602753284446 —
 * eq. 2.4 for the re-weighting and §2.2 for the EM estimate of unknown test priors (`estimatePriorsEM`).
 *
 * Priors may be given unnormalised (e.g. class counts); they are normalised to sum 1. The training priors
 * default to uniform (what a balanced training set such as MNIST / Fashion-MNIST gives) unless the model card
 * says otherwise.
 */
import { assertClassCount, MetricsError, rowCount, type ClassIndexArray, type ProbArray } from './common';

/** Uniform priors, length K, each 1/K. */
export function uniformPriors(k: number): Float64Array {
  assertClassCount(k);
  return new Float64Array(k).fill(1 / k);
}

/**
 * Class frequencies of `labels` (what the evaluation set itself implies), length K, summing to 1.
 * @param smoothing added to every count (Laplace); default 0. Throws when the total is 0.
 */
export function empiricalPriors(labels: ClassIndexArray, k: number, smoothing = 0): Float64Array {
  assertClassCount(k);
  const counts = new Float64Array(k).fill(smoothing);
  for (let i = 0; i < labels.length; i++) {
    const c = labels[i] as number;
    if (!Number.isInteger(c) || c < 0 || c >= k)
      throw new MetricsError(`labels[${i}] = ${c} is not a class index in [0, ${k}).`);
    counts[c] = (counts[c] as number) + 1;
  }
  return normalizePriors(counts, k, 'class counts');
}

/**
 * Checks length K, finite, ≥ 0, positive sum, and returns a new copy scaled to sum 1.
 * @param what names the priors in error messages
 */
export function normalizePriors(priors: ArrayLike<number>, k: number, what = 'priors'): Float64Array {
  assertClassCount(k);
  if (priors.length !== k)
    throw new MetricsError(`The ${what} have ${priors.length} entries; the model has ${k} classes.`);
  let s = 0;
  for (let i = 0; i < k; i++) {
    const v = priors[i] as number;
    if (!Number.isFinite(v) || v < 0)
      throw new MetricsError(`The ${what}: entry ${i} = ${v} must be a finite number ≥ 0.`);
    s += v;
  }
  if (s <= 0) throw new MetricsError(`The ${what} sum to 0; at least one class needs a positive prior.`);
  return Float64Array.from({ length: k }, (_, i) => (priors[i] as number) / s);
}

/** The per-class factors w(i) = π'(i)/π(i), with the zero-prior guards described at `reweightPosteriors`. */
export function priorRatios(trainPriors: ArrayLike<number>, newPriors: ArrayLike<number>, k: number): Float64Array {
  const pi = normalizePriors(trainPriors, k, 'training priors');
  const pi2 = normalizePriors(newPriors, k, 'new priors');
  return Float64Array.from({ length: k }, (_, i) => {
    const a = pi[i] as number;
    const b = pi2[i] as number;
    if (b === 0) return 0;
    if (a === 0) {
      throw new MetricsError(
        `Class ${i} has training prior 0 but new prior ${b}: a model that never saw the class cannot be re-weighted towards it.`,
      );
    }
    return b / a;
  });
}

/**
 * Re-weights posteriors to new class priors (Saerens et al. 2002, eq. 2.4).
 *
 * Guards: a class whose new prior is 0 gets posterior 0; a class whose training prior is 0 while its new
 * prior is positive is an error (the ratio would be infinite). If a row's re-weighted mass is 0 (all of the
 * model's probability was on classes whose new prior is 0), the row becomes the new priors themselves — the
 * best guess with no usable evidence.
 *
 * @param probs       [N×K] posteriors under `trainPriors`, row-major
 * @param newPriors   length K, ≥ 0 (normalised here)
 * @param trainPriors length K, ≥ 0 (normalised here); default uniform
 * @returns new Float32Array [N×K] whose rows sum to 1. π' = π returns the input (up to float rounding).
 */
export function reweightPosteriors(
  probs: ProbArray,
  k: number,
  newPriors: ArrayLike<number>,
  trainPriors: ArrayLike<number> = uniformPriors(k),
): Float32Array {
  const n = rowCount(probs, k);
  const w = priorRatios(trainPriors, newPriors, k);
  const fallback = normalizePriors(newPriors, k);
  return reweightWith(probs, n, k, w, fallback);
}

function reweightWith(probs: ProbArray, n: number, k: number, w: Float64Array, fallback: Float64Array): Float32Array {
  const out = new Float32Array(n * k);
  const row = new Float64Array(k);
  for (let r = 0; r < n; r++) {
    let s = 0;
    for (let i = 0; i < k; i++) {
      const v = (probs[r * k + i] as number) * (w[i] as number);
      row[i] = v;
      s += v;
    }
    for (let i = 0; i < k; i++) out[r * k + i] = s > 0 ? (row[i] as number) / s : (fallback[i] as number);
  }
  return out;
}

export interface PriorEstimate {
  /** Estimated test priors, length K, summing to 1. */
  priors: Float64Array;
  /** Posteriors re-weighted to `priors`, [N×K]. */
  posteriors: Float32Array;
  iterations: number;
  /** True when the largest prior change fell below `tolerance` before `maxIterations`. */
  converged: boolean;
}

/**
 * Estimates unknown test-set priors from unlabelled posteriors with the EM procedure of Saerens et al.
 * (2002, §2.2): start from the training priors, then repeat π⁽ˢ⁺¹⁾(i) = mean over x of p⁽ˢ⁾(i|x), where
 * p⁽ˢ⁾ are the posteriors re-weighted from π to π⁽ˢ⁾. Classes with training prior 0 stay at 0.
 * Useful as "what priors does this evaluation set look like it has?" without using its labels.
 *
 * @param probs [N×K] posteriors under `trainPriors` (N ≥ 1)
 * @param options maxIterations (default 1000); tolerance on the largest prior change (default 1e-6)
 */
export function estimatePriorsEM(
  probs: ProbArray,
  k: number,
  trainPriors: ArrayLike<number> = uniformPriors(k),
  { maxIterations = 1000, tolerance = 1e-6 }: { maxIterations?: number; tolerance?: number } = {},
): PriorEstimate {
  const n = rowCount(probs, k);
  if (n === 0) throw new MetricsError('Cannot estimate priors from zero images.');
  const pi = normalizePriors(trainPriors, k, 'training priors');
  let est = Float64Array.from(pi);
  let converged = false;
  let it = 0;
  while (it < maxIterations) {
    it++;
    const w = Float64Array.from({ length: k }, (_, i) =>
      (pi[i] as number) === 0 ? 0 : (est[i] as number) / (pi[i] as number),
    );
    const post = reweightWith(probs, n, k, w, est);
    const next = new Float64Array(k);
    for (let r = 0; r < n; r++) for (let i = 0; i < k; i++) next[i] = (next[i] as number) + (post[r * k + i] as number);
    let delta = 0;
    for (let i = 0; i < k; i++) {
      next[i] = (next[i] as number) / n;
      delta = Math.max(delta, Math.abs((next[i] as number) - (est[i] as number)));
    }
    est = next;
    if (delta < tolerance) {
      converged = true;
      break;
    }
  }
  const w = Float64Array.from({ length: k }, (_, i) =>
    (pi[i] as number) === 0 ? 0 : (est[i] as number) / (pi[i] as number),
  );
  return { priors: est, posteriors: reweightWith(probs, n, k, w, est), iterations: it, converged };
}

/**
 * "Set class X to `share`, scale the others": priors where X has `share` ∈ [0, 1] and every other class
 * keeps its proportion to the others (from `base`, normalised; when the others all have 0 they share
 * 1 − share equally). Returns a new Float64Array [K] summing to 1.
 */
export function setPriorShare(base: ArrayLike<number>, k: number, cls: number, share: number): Float64Array {
  const b = normalizePriors(base, k, 'priors');
  if (!Number.isInteger(cls) || cls < 0 || cls >= k)
    throw new MetricsError(`The class ${cls} is not a class index in [0, ${k}).`);
  if (!(share >= 0 && share <= 1)) throw new MetricsError(`The share must be between 0 and 100 % (got ${share}).`);
  const rest = 1 - (b[cls] as number);
  const out = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    if (i === cls) out[i] = share;
    else out[i] = rest > 0 ? ((b[i] as number) / rest) * (1 - share) : (1 - share) / (k - 1);
  }
  if (k === 1) out[0] = 1;
  return out;
}
