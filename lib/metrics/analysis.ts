/**
 * One call that turns a model's posteriors on a labelled set, plus the user's cost settings, into everything
 * the Evaluate (and Compare) views draw: confusion matrices, per-class metrics, realised and expected cost
 * under two decision rules, and calibration.
 *
 * Pipeline (order matters):
 * 1. Validate: probs is N×K with K = classNames.length, labels are N indices in [0, K), the cost matrix is
 *    K×K, finite and ≥ 0 (CostMatrixError lists every problem), priors / merges are well-formed (MetricsError).
 * 1b. Temperature (only when `temperature` is given and ≠ 1): p ∝ p^(1/T) (temperature.ts).
 * 2. Prior shift (only when `settings.priors` is not null): p'(i|x) ∝ p(i|x)·π'(i)/π(i) with π = `trainPriors`
 *    (default uniform) — Saerens, Latinne & Decaestecker (2002), https://doi.org/10.1162/089976602753284446.
 *    This happens BEFORE merging, on the original K classes, because priors are per original class.
 * 3. Merge (only when `settings.merges` is non-empty): posterior columns of a group are summed, labels mapped,
 *    the cost matrix mapped with `mergeCostMatrix` (rows weighted by the deployment priors when given, else by
 *    the evaluation set's own class frequencies).
 * 4. Two decision rules on the (re-weighted, merged) posteriors:
 *    - argmax: d(x) = argmaxⱼ p(j|x)
 *    - cost-optimal (Bayes): d(x) = argminⱼ Σᵢ p(i|x)·C(i, j) (Elkan 2001,
 *      https://dl.acm.org/doi/10.5555/1642194.1642224). With 0/1 costs both rules agree.
 *    For each: confusion matrix, per-class precision/recall/F1/support, accuracy, balanced accuracy, macro-F1,
 *    realised cost C[yₙ][dₙ] (per image, per true class, total, mean), and the expected cost of the decision
 *    taken, R(dₙ|xₙ) = Σᵢ p(i|xₙ)·C(i, dₙ), per image and its mean.
 *    With an operating point, a third rule: the class X when p(X|x) > t, else the best other class.
 * 5. Top-label calibration (Guo et al. 2017, https://arxiv.org/abs/1706.04599) of the final posteriors.
 *
 * Everything is plain arrays; inputs are never mutated. 2,000 × 10 runs in a few milliseconds, so callers
 * simply memoise on (probs, labels, settings) identity.
 */
import { assertClassIndices, MetricsError, rowCount, type ClassIndexArray } from './common';
import { calibration, type CalibrationResult } from './calibration';
import { confusionMatrix, summarize, type ClassMetrics, type ConfusionMatrix } from './confusion';
import {
  argmaxDecisions,
  costMatrixProblems,
  CostMatrixError,
  costSummary,
  expectedCostOfDecisions,
  costsOf,
  denseCostMatrix,
  isSparseCost,
  minExpectedCostDecisions,
  type Costs,
  type CostSummary,
  type CostValues,
} from './cost';
import { classMapping, mapClasses, mergeCostMatrix, mergeProbs, type ClassMapping } from './merge';
import { empiricalPriors, normalizePriors, reweightPosteriors, uniformPriors } from './priors';
import { applyTemperature, assertTemperature } from './temperature';
import { oneVsRest, thresholdDecisions } from './threshold';

/**
 * The user's cost settings for one label set (structurally identical to `CostSettings` in lib/store/types.ts;
 * repeated here so lib/metrics does not depend on the store).
 */
export interface AnalysisSettings {
  /** Costs over the ORIGINAL classes: K×K (rows = true class, columns = decision) or the sparse 0/1 rule. */
  matrix: CostValues;
  /** Class frequencies expected in use, length K (any positive scale); null = no re-weighting. */
  priors: number[] | null;
  /** Groups of original class indices to merge, e.g. [[0, 6]]; [] = none. */
  merges: number[][];
  /**
   * One-vs-rest operating point: decide the ORIGINAL class `positive` (its merged group, when merged) when
   * its posterior is above `threshold` ∈ [0, 1], else the most probable other class. Absent/null = none.
   */
  operatingPoint?: OperatingPoint | null;
}

/** A threshold on one class's posterior (see AnalysisSettings.operatingPoint). */
export interface OperatingPoint {
  positive: number;
  threshold: number;
}

export interface AnalysisInput {
  /** [N×K] posteriors from the model, row-major (EvaluationResult.probs). Not mutated. */
  probs: Float32Array;
  /** [N] true labels in [0, K). */
  labels: ClassIndexArray;
  /** K class names, index = class. */
  classNames: readonly string[];
  settings: AnalysisSettings;
  /** Priors the model was trained with, length K (any positive scale); default uniform. */
  trainPriors?: readonly number[];
  /** Temperature applied to the posteriors before everything else (temperature.ts); default 1 (none). */
  temperature?: number;
}

/** Everything about one decision rule applied to the analysed posteriors. */
export interface RuleResult {
  /** [N] decided class per image (merged indices). */
  decisions: Int32Array;
  /** Rows = true class, columns = decision; sums to N. */
  confusion: ConfusionMatrix;
  perClass: ClassMetrics[];
  summary: { accuracy: number | null; balancedAccuracy: number | null; macroF1: number | null };
  /** Realised cost C[yₙ][dₙ]: per image, per true class, total and mean. */
  cost: CostSummary;
  /** [N] R(dₙ|xₙ) = Σᵢ p(i|xₙ)·C(i, dₙ): the cost the model expects to pay for its own decision. */
  expectedCostPerImage: Float64Array;
  /** Mean of expectedCostPerImage (0 when N = 0). */
  meanExpectedCost: number;
}

export interface Analysis {
  /** Number of classes after merges. */
  k: number;
  /** Class names after merges (a merged group is its names joined with " + "). */
  classNames: string[];
  /** [N×k] posteriors after prior re-weighting and merges. */
  probs: Float32Array;
  /** [N] labels after merges. */
  labels: Int32Array;
  /** Costs after merges (sparse 0/1 rule + overrides when no dense matrix was set). */
  cost: Costs;
  /** Old → new class mapping (identity when there are no merges). */
  mapping: ClassMapping;
  /** Normalised deployment priors used for re-weighting (original K), or null when none. */
  priors: Float64Array | null;
  argmax: RuleResult;
  costOptimal: RuleResult;
  /** The operating-point rule (threshold on one class), or null when no operating point is set. */
  threshold: RuleResult | null;
  /** The operating point in merged indices (positive = its merged class), or null. */
  operatingPoint: OperatingPoint | null;
  calibration: CalibrationResult;
}

/**
 * The most classes Evaluate analyses (200): its confusion matrices are dense K×K counts drawn as a K×K grid
 * (40,000 cells at the limit); a 100,000-class model would need 40 GB of counts and 10¹⁰ cells.
 */
export const MAX_EVALUATE_CLASSES = 200;

/** Checks shapes and the cost matrix against K; throws CostMatrixError / MetricsError with readable text. */
function validate(input: AnalysisInput): { n: number; k: number } {
  const k = input.classNames.length;
  if (k < 1) throw new MetricsError('The model has no class names.');
  const n = rowCount(input.probs, k, input.labels.length);
  assertClassIndices(input.labels, k, 'labels');
  if (k > MAX_EVALUATE_CLASSES)
    throw new MetricsError(
      `This model has ${k.toLocaleString('en-US')} classes; Evaluate's confusion matrices and per-class tables handle up to ${MAX_EVALUATE_CLASSES.toLocaleString('en-US')}. Explain still works for this model.`,
    );
  const m = input.settings.matrix;
  if (Array.isArray(m) && (m.length !== k || m.some((r) => r.length !== k))) {
    const widths = [...new Set(m.map((r) => r.length))].join('/');
    throw new CostMatrixError(
      `The cost matrix is ${m.length}×${widths || 0} but the model has ${k} classes; it must be ${k}×${k} (rows = true class, columns = decision).`,
    );
  }
  const problems = costMatrixProblems(costsOf(input.classNames, m), k);
  if (problems.length > 0)
    throw new CostMatrixError(`The cost matrix does not fit this model: ${problems.join(' ')}`, problems);
  if (input.settings.priors !== null) normalizePriors(input.settings.priors, k, 'class priors');
  if (input.trainPriors) normalizePriors(input.trainPriors, k, 'training priors');
  if (input.temperature !== undefined) assertTemperature(input.temperature);
  const op = input.settings.operatingPoint;
  if (op) {
    if (!Number.isInteger(op.positive) || op.positive < 0 || op.positive >= k)
      throw new MetricsError(`The operating point's class ${op.positive} is not a class index in [0, ${k}).`);
    if (!(op.threshold >= 0 && op.threshold <= 1))
      throw new MetricsError(`The threshold must be between 0 and 1 (got ${op.threshold}).`);
  }
  return { n, k };
}

function rule(decisions: Int32Array, labels: Int32Array, probs: Float32Array, k: number, cost: Costs): RuleResult {
  const s = summarize(confusionMatrix(labels, decisions, k));
  const expectedCostPerImage = expectedCostOfDecisions(probs, decisions, cost);
  let sum = 0;
  for (let i = 0; i < expectedCostPerImage.length; i++) sum += expectedCostPerImage[i] as number;
  return {
    decisions,
    confusion: s.confusion,
    perClass: s.perClass,
    summary: { accuracy: s.accuracy, balancedAccuracy: s.balancedAccuracy, macroF1: s.macroF1 },
    cost: costSummary(labels, decisions, cost),
    expectedCostPerImage,
    meanExpectedCost: expectedCostPerImage.length === 0 ? 0 : sum / expectedCostPerImage.length,
  };
}

/**
 * Runs the whole pipeline described in the module comment.
 * @throws CostMatrixError when the cost matrix does not fit K or has bad entries;
 *         MetricsError on shape mismatches, bad labels, bad priors or bad merge groups.
 */
export function analyse(input: AnalysisInput): Analysis {
  const { n, k } = validate(input);
  const { settings } = input;
  const names = [...input.classNames];
  const train = input.trainPriors ?? uniformPriors(k);

  const scaled =
    input.temperature === undefined || input.temperature === 1
      ? input.probs
      : applyTemperature(input.probs, k, input.temperature);
  const priors = settings.priors === null ? null : normalizePriors(settings.priors, k, 'class priors');
  const shifted = priors === null ? scaled : reweightPosteriors(scaled, k, priors, train);

  const mapping = classMapping(k, settings.merges, names);
  const merging = mapping.newK !== k;
  const probs = merging ? mergeProbs(shifted, mapping) : shifted;
  const labels = merging ? mapClasses(input.labels, mapping) : Int32Array.from(input.labels);
  const original = costsOf(names, settings.matrix);
  const rowWeights = priors ?? (n > 0 ? empiricalPriors(input.labels, k) : undefined);
  const cost: Costs = merging
    ? mergeCostMatrix(denseCostMatrix(original), mapping, rowWeights)
    : isSparseCost(original)
      ? { labels: names, overrides: [...original.overrides] }
      : denseCostMatrix(original, Infinity);

  const kk = mapping.newK;
  const op = settings.operatingPoint
    ? {
        positive: mapping.map[settings.operatingPoint.positive] as number,
        threshold: settings.operatingPoint.threshold,
      }
    : null;
  const threshold = op
    ? rule(thresholdDecisions(oneVsRest(probs, labels, kk, op.positive), op.threshold), labels, probs, kk, cost)
    : null;
  return {
    k: kk,
    classNames: mapping.labels,
    probs,
    labels,
    cost,
    mapping,
    priors,
    argmax: rule(argmaxDecisions(probs, kk), labels, probs, kk, cost),
    costOptimal: rule(minExpectedCostDecisions(probs, cost), labels, probs, kk, cost),
    threshold,
    operatingPoint: op,
    calibration: calibration(probs, labels, kk),
  };
}
