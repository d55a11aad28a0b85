/**
 * What the Evaluate view's operating-point panel draws for one class against the rest: ROC and PR curves
 * (with AUC and average precision), the cost curve at the deployment priors (or the set's mix), the
 * cost-optimal threshold, and the costs of the argmax, of t = 0.5 and of the chosen threshold.
 * Plain arrays from an Analysis; O(N·K + N log N).
 */
import {
  binaryCurves,
  costAtThreshold,
  costCurve,
  oneVsRest,
  priorWeights,
  weightedMean,
  type Analysis,
  type BinaryCurves,
  type CostCurve,
} from '@/lib/metrics';

export interface OperatingPointReport {
  /** Merged class index of X. */
  positive: number;
  curves: BinaryCurves;
  cost: CostCurve;
  /** True when the costs are weighted to the deployment priors ("at your priors"). */
  atPriors: boolean;
  /** Cost per image of the argmax rule and of t = 0.5, on the same weighting. */
  argmaxCost: number;
  halfCost: number;
}

/** Deployment priors after merges (group priors added), or null when none are set. */
export function mergedPriors(a: Analysis): number[] | null {
  if (!a.priors) return null;
  const out = new Array<number>(a.k).fill(0);
  a.priors.forEach((p, i) => (out[a.mapping.map[i] as number] = (out[a.mapping.map[i] as number] as number) + p));
  return out;
}

/**
 * The report for merged class `positive`.
 * @throws MetricsError for a class index out of range
 */
export function operatingPointReport(a: Analysis, positive: number): OperatingPointReport {
  const priors = mergedPriors(a);
  const ovr = oneVsRest(a.probs, a.labels, a.k, positive);
  const weights = priorWeights(a.labels, a.k, priors);
  const cost = costCurve(ovr, a.labels, a.cost, weights);
  const prevalence = priors ? (priors[positive] as number) / priors.reduce((s, v) => s + v, 0) : undefined;
  const curves = binaryCurves(
    ovr.scores,
    ovr.isPositive,
    prevalence && prevalence > 0 && prevalence < 1 ? prevalence : undefined,
  );
  return {
    positive,
    curves,
    cost,
    atPriors: priors !== null,
    argmaxCost: weightedMean(a.argmax.cost.perImage, weights) ?? 0,
    halfCost: costAtThreshold(cost, 0.5),
  };
}
