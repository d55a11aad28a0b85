/**
 * Confusion matrix and per-class metrics (precision, recall, F1, support), accuracy, balanced accuracy,
 * macro-F1, and the images behind one cell of the matrix.
 *
 * Definitions follow scikit-learn's `classification_report` / `balanced_accuracy_score`
 * (https://scikit-learn.org/stable/modules/model_evaluation.html#classification-metrics), except that a
 * rate over zero items is `null` (shown as "—"), never 0 or NaN:
 * - precision_k = TP / (TP + FP)            null when class k is never predicted
 * - recall_k    = TP / (TP + FN)            null when class k has no examples (support 0)
 * - F1_k        = 2·TP / (2·TP + FP + FN)   null when class k is neither present nor predicted. This equals
 *   the harmonic mean of precision and recall whenever both exist, and is 0 when exactly one side is empty
 *   (e.g. a present class that is never predicted).
 * - balanced accuracy = mean recall over classes with support > 0 (Brodersen et al. 2010,
 *   https://doi.org/10.1109/ICPR.2010.764).
 * - macro-F1 = mean of the non-null F1 values (= sklearn's macro average over labels present in the truth
 *   or the predictions).
 */
import {
  argmaxRows,
  assertClassCount,
  assertClassIndices,
  assertSameLength,
  MetricsError,
  meanOfPresent,
  ratio,
  rowCount,
  type ClassIndexArray,
  type ProbArray,
} from './common';

/** K×K counts, row-major: `counts[t·K + p]` = number of images with true class t predicted as p. */
export interface ConfusionMatrix {
  k: number;
  /** Total number of images (= sum of counts). */
  n: number;
  /** length K·K, rows = true class, columns = predicted class. */
  counts: Int32Array;
}

export interface ClassMetrics {
  /** Class index in [0, K). */
  index: number;
  /** Number of images whose true class is this one (row sum). */
  support: number;
  /** Number of images predicted as this class (column sum). */
  predicted: number;
  tp: number;
  fp: number;
  fn: number;
  /** In [0, 1]; null when the class is never predicted. */
  precision: number | null;
  /** In [0, 1]; null when the class has no examples. */
  recall: number | null;
  /** In [0, 1]; null when the class is neither present nor predicted. */
  f1: number | null;
}

export interface ClassificationSummary {
  confusion: ConfusionMatrix;
  /** One entry per class, index order. */
  perClass: ClassMetrics[];
  /** trace / N in [0, 1]; null when N = 0. */
  accuracy: number | null;
  /** Mean recall over classes with support > 0; null when N = 0. */
  balancedAccuracy: number | null;
  /** Mean of non-null per-class F1; null when N = 0. */
  macroF1: number | null;
}

/**
 * Counts (true, predicted) pairs.
 * @param labels [N] true classes in [0, k)
 * @param preds  [N] predicted classes in [0, k)
 * @param k      number of classes
 */
export function confusionMatrix(labels: ClassIndexArray, preds: ClassIndexArray, k: number): ConfusionMatrix {
  assertClassCount(k);
  assertSameLength(labels, preds, 'labels and predictions');
  assertClassIndices(labels, k, 'labels');
  assertClassIndices(preds, k, 'predictions');
  const counts = new Int32Array(k * k);
  for (let i = 0; i < labels.length; i++) {
    const idx = (labels[i] as number) * k + (preds[i] as number);
    counts[idx] = (counts[idx] as number) + 1;
  }
  return { k, n: labels.length, counts };
}

/** Builds a ConfusionMatrix from a nested K×K array of counts (rows = true). Useful for tests and imports. */
export function confusionFromRows(rows: readonly (readonly number[])[]): ConfusionMatrix {
  const k = rows.length;
  assertClassCount(k, 'number of rows');
  const counts = new Int32Array(k * k);
  let n = 0;
  rows.forEach((row, t) => {
    if (row.length !== k) throw new MetricsError(`Row ${t} has ${row.length} entries; expected ${k}.`);
    row.forEach((v, p) => {
      if (!Number.isInteger(v) || v < 0)
        throw new MetricsError(`Count [${t}][${p}] = ${v} is not a non-negative integer.`);
      counts[t * k + p] = v;
      n += v;
    });
  });
  return { k, n, counts };
}

/** counts[t][p] */
export function cell(cm: ConfusionMatrix, trueClass: number, predClass: number): number {
  return cm.counts[trueClass * cm.k + predClass] as number;
}

/** Row sums (support per true class), length K. */
export function rowSums(cm: ConfusionMatrix): number[] {
  const out = new Array<number>(cm.k).fill(0);
  for (let t = 0; t < cm.k; t++) for (let p = 0; p < cm.k; p++) out[t] = (out[t] as number) + cell(cm, t, p);
  return out;
}

/** Column sums (number predicted per class), length K. */
export function colSums(cm: ConfusionMatrix): number[] {
  const out = new Array<number>(cm.k).fill(0);
  for (let t = 0; t < cm.k; t++) for (let p = 0; p < cm.k; p++) out[p] = (out[p] as number) + cell(cm, t, p);
  return out;
}

/**
 * Row-normalised matrix: entry [t][p] = counts[t][p] / support_t, so the diagonal is per-class recall and
 * each non-empty row sums to 1. A row with support 0 is all `null`.
 * @returns K×K nested array, values in [0, 1] or null
 */
export function rowNormalized(cm: ConfusionMatrix): (number | null)[][] {
  const rs = rowSums(cm);
  return Array.from({ length: cm.k }, (_, t) =>
    Array.from({ length: cm.k }, (_, p) => ratio(cell(cm, t, p), rs[t] as number)),
  );
}

/**
 * Column-normalised matrix: entry [t][p] = counts[t][p] / predicted_p, so the diagonal is per-class
 * precision and each non-empty column sums to 1. A column never predicted is all `null`.
 * @returns K×K nested array (rows = true), values in [0, 1] or null
 */
export function colNormalized(cm: ConfusionMatrix): (number | null)[][] {
  const cs = colSums(cm);
  return Array.from({ length: cm.k }, (_, t) =>
    Array.from({ length: cm.k }, (_, p) => ratio(cell(cm, t, p), cs[p] as number)),
  );
}

/** Per-class precision, recall, F1, support (see the module comment for the null rules). */
export function perClassMetrics(cm: ConfusionMatrix): ClassMetrics[] {
  const rs = rowSums(cm);
  const cs = colSums(cm);
  return Array.from({ length: cm.k }, (_, c) => {
    const tp = cell(cm, c, c);
    const support = rs[c] as number;
    const predicted = cs[c] as number;
    const fp = predicted - tp;
    const fn = support - tp;
    return {
      index: c,
      support,
      predicted,
      tp,
      fp,
      fn,
      precision: ratio(tp, predicted),
      recall: ratio(tp, support),
      f1: ratio(2 * tp, 2 * tp + fp + fn),
    };
  });
}

/** Accuracy = trace / N; null when N = 0. */
export function accuracy(cm: ConfusionMatrix): number | null {
  let tr = 0;
  for (let c = 0; c < cm.k; c++) tr += cell(cm, c, c);
  return ratio(tr, cm.n);
}

/** Everything the Evaluate view's table needs, from a confusion matrix. */
export function summarize(cm: ConfusionMatrix): ClassificationSummary {
  const perClass = perClassMetrics(cm);
  return {
    confusion: cm,
    perClass,
    accuracy: accuracy(cm),
    balancedAccuracy: meanOfPresent(perClass.map((m) => (m.support > 0 ? m.recall : null))),
    macroF1: meanOfPresent(perClass.map((m) => m.f1)),
  };
}

/**
 * Convenience: predictions by argmax of `probs`, then `summarize`.
 * @param probs  [N×K] posteriors, row-major
 * @param labels [N] true classes
 */
export function evaluateProbs(probs: ProbArray, labels: ClassIndexArray, k: number): ClassificationSummary {
  rowCount(probs, k, labels.length);
  return summarize(confusionMatrix(labels, argmaxRows(probs, k), k));
}

/**
 * Indices of the images in one confusion cell (true = `trueClass`, predicted = `predClass`), sorted by the
 * model's confidence in the predicted class, probs[i][predClass], descending (most confident first; ties by
 * ascending index). For an off-diagonal cell this lists the most confidently wrong images first.
 * @param probs  [N×K] posteriors (only used for sorting)
 * @returns new Int32Array of image indices
 */
export function cellIndices(
  labels: ClassIndexArray,
  preds: ClassIndexArray,
  probs: ProbArray,
  k: number,
  trueClass: number,
  predClass: number,
): Int32Array {
  assertSameLength(labels, preds, 'labels and predictions');
  rowCount(probs, k, labels.length);
  assertClassIndices([trueClass, predClass], k, 'cell');
  const hits: number[] = [];
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] === trueClass && preds[i] === predClass) hits.push(i);
  }
  hits.sort((a, b) => (probs[b * k + predClass] as number) - (probs[a * k + predClass] as number) || a - b);
  return Int32Array.from(hits);
}
