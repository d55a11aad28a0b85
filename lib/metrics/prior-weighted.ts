/**
 * Metrics at deployment priors ("at your priors") instead of on the evaluation set's own class mix.
 *
 * Each image n of true class yₙ gets the weight wₙ = π′(yₙ)/count(yₙ) (`priorWeights`), so each class
 * counts as much as it will in use: a set with 200 images per class, evaluated at "defaults are 2 %",
 * weighs the 200 defaults as 2 % of all cases. With wₙ the confusion matrix becomes W(i, j) = Σ wₙ over
 * the images in cell (i, j), and
 *   accuracy = Σᵢ W(i, i)   (= Σᵢ π′(i)·recallᵢ)     precisionⱼ = W(j, j) / Σᵢ W(i, j)
 *   realised cost per image = Σ wₙ·C(yₙ, dₙ)         expected cost per image = Σ wₙ·R(dₙ|xₙ).
 * Recall (a rate within one true class) and balanced accuracy do not depend on the mix. With π′ equal to
 * the set's own class frequencies every weight is 1/N and every figure equals the plain one.
 */
import { assertClassIndices, assertSameLength, ratio, type ClassIndexArray } from './common';
import { priorWeights, weightedMean } from './threshold';

export interface WeightedMetrics {
  /** Σᵢ W(i, i); null without images. */
  accuracy: number | null;
  /** Per decided class j: W(j, j) / Σᵢ W(i, j); null when j is never decided (or only with weight 0). */
  precision: (number | null)[];
  /** Σ wₙ·C(yₙ, dₙ); null without images. */
  realisedCost: number | null;
  /** Σ wₙ·R(dₙ|xₙ); null without images. */
  expectedCost: number | null;
}

/**
 * Prevalence-weighted accuracy, precision and costs of one set of decisions.
 * @param labels        [N] true classes in [0, k)
 * @param decisions     [N] decided classes in [0, k)
 * @param realised      [N] C(yₙ, dₙ)
 * @param expected      [N] R(dₙ|xₙ)
 * @param priors        length k (any scale), or null for the set's own mix (every weight 1/N)
 */
export function weightedMetrics(
  labels: ClassIndexArray,
  decisions: ClassIndexArray,
  k: number,
  realised: ArrayLike<number>,
  expected: ArrayLike<number>,
  priors: ArrayLike<number> | null,
): WeightedMetrics {
  assertSameLength(labels, decisions, 'labels and decisions');
  assertSameLength(labels, realised, 'labels and realised costs');
  assertSameLength(labels, expected, 'labels and expected costs');
  assertClassIndices(decisions, k, 'decisions');
  const w = priorWeights(labels, k, priors);
  const diag = new Float64Array(k);
  const col = new Float64Array(k);
  let acc = 0;
  for (let n = 0; n < labels.length; n++) {
    const d = decisions[n] as number;
    const wn = w[n] as number;
    col[d] = (col[d] as number) + wn;
    if (labels[n] === d) {
      diag[d] = (diag[d] as number) + wn;
      acc += wn;
    }
  }
  const none = labels.length === 0;
  return {
    accuracy: none ? null : acc,
    precision: Array.from({ length: k }, (_, j) =>
      (col[j] as number) > 0 ? ratio(diag[j] as number, col[j] as number) : null,
    ),
    realisedCost: weightedMean(realised, w),
    expectedCost: weightedMean(expected, w),
  };
}
