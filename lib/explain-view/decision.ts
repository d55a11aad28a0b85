/**
 * What the evaluation set says about one decision of the model, for the panel next to the overlay:
 *
 * - precision of class j on the set: of the images the model predicts as j (argmax), the share whose true
 *   class is j — "when the model says j it is right N % of the time";
 * - what it confuses j with: column j of the confusion matrix (true classes i ≠ j of images predicted j),
 *   most frequent first;
 * - the expected cost of deciding j for THIS image under the user's cost matrix C (rows = truth, columns =
 *   decision) and priors: R(j|x) = Σᵢ p'(i|x)·C(i, j), where p' is the image's posterior re-weighted to the
 *   priors expected in use (Saerens, Latinne & Decaestecker 2002, https://doi.org/10.1162/089976602753284446;
 *   training priors taken as uniform, like lib/metrics/analysis.ts), or p itself when no priors are set;
 *   and the decision of least expected cost (Elkan 2001, https://dl.acm.org/doi/10.5555/1642194.1642224).
 *
 * Plain arrays in, plain numbers out (lib/metrics does the maths).
 */
import {
  argmaxDecisions,
  confusionMatrix,
  cell,
  colSums,
  costsOf,
  expectedCosts,
  reweightPosteriors,
  type ClassIndexArray,
  type CostValues,
} from '@/lib/metrics';

export interface Confusion {
  /** True class index. */
  trueClass: number;
  /** Images of that class the model predicted as the decision. */
  count: number;
  /** count / number predicted as the decision, in [0, 1]. */
  share: number;
}

export interface SetFacts {
  /** Images in the set. */
  n: number;
  /** Images the model predicts as the decision (column sum). */
  predicted: number;
  /** Of those, correct (diagonal). */
  correct: number;
  /** correct / predicted in [0, 1]; null when the decision is never predicted. */
  precision: number | null;
  /** Other true classes behind the decision, most frequent first (at most `maxConfusions`, count > 0). */
  confusions: Confusion[];
}

/**
 * Precision and confusions of `decision` on an evaluated set.
 * @param probs  [N×K] posteriors, row-major
 * @param labels [N] true classes in [0, K)
 */
export function setFacts(
  probs: Float32Array,
  labels: ClassIndexArray,
  k: number,
  decision: number,
  maxConfusions = 3,
): SetFacts {
  const cm = confusionMatrix(labels, argmaxDecisions(probs, k), k);
  const predicted = colSums(cm)[decision] ?? 0;
  const correct = cell(cm, decision, decision);
  const confusions: Confusion[] = [];
  for (let i = 0; i < k; i++) {
    if (i === decision) continue;
    const count = cell(cm, i, decision);
    if (count > 0) confusions.push({ trueClass: i, count, share: count / predicted });
  }
  confusions.sort((a, b) => b.count - a.count || a.trueClass - b.trueClass);
  return {
    n: cm.n,
    predicted,
    correct,
    precision: predicted > 0 ? correct / predicted : null,
    confusions: confusions.slice(0, maxConfusions),
  };
}

export interface CostFacts {
  /** The posterior used (re-weighted when priors are set), length K, sums to 1. */
  posterior: Float32Array;
  reweighted: boolean;
  /** R(decision|x). */
  expectedCost: number;
  /** argminⱼ R(j|x) (ties → lowest index) and its cost. */
  bestDecision: number;
  bestCost: number;
  /** R(j|x) for every j. */
  costs: Float64Array;
}

/**
 * Expected cost of deciding `decision` for one image.
 * @param posterior length K, p(i|x)
 * @param matrix    K×K costs (rows = true class, columns = decision) or the sparse 0/1 rule (any K, O(K))
 * @param priors    length K deployment priors (normalised here), or null = no re-weighting
 */
export function costFacts(
  posterior: Float32Array,
  labels: readonly string[],
  matrix: CostValues,
  priors: number[] | null,
  decision: number,
): CostFacts {
  const k = labels.length;
  const p = priors ? reweightPosteriors(posterior, k, priors) : Float32Array.from(posterior);
  const costs = expectedCosts(p, costsOf(labels, matrix));
  let best = 0;
  for (let j = 1; j < k; j++) if ((costs[j] as number) < (costs[best] as number)) best = j;
  return {
    posterior: p,
    reweighted: priors !== null,
    expectedCost: costs[decision] as number,
    bestDecision: best,
    bestCost: costs[best] as number,
    costs,
  };
}
