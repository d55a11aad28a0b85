import { formatOutput, type OutputKind } from './output-kind';

/** Indices and values of the k largest entries of `values`, largest first (ties: lower index first). */
export function topK(values: ArrayLike<number>, k: number): { index: number; value: number }[] {
  const idx = Array.from({ length: values.length }, (_, i) => i);
  idx.sort((a, b) => (values[b] ?? 0) - (values[a] ?? 0) || a - b);
  return idx.slice(0, Math.max(0, k)).map((index) => ({ index, value: values[index] ?? 0 }));
}

/** One row of the prediction list. */
export interface PredictionRow {
  index: number;
  label: string;
  value: number;
  /** "87.5 %", or a value with its unit ("34.2 years"). */
  text: string;
  /** Bar length in [0, 1] (the probability), or null for values (regression: no bar). */
  bar: number | null;
}

/**
 * The rows the prediction list shows for `probs` (a Prediction's probabilities, [numClasses]):
 * probabilities (softmax, logits, binary [1 − p, p], multi-label each on its own, not normalised) as the k
 * largest; regression values in output order (the first k), with the unit, no bar.
 */
export function predictionRows(kind: OutputKind, probs: ArrayLike<number>, k: number, labels?: readonly string[], unit?: string): PredictionRow[] {
  const picked =
    kind === 'regression'
      ? Array.from({ length: Math.min(Math.max(0, k), probs.length) }, (_, index) => ({ index, value: probs[index] ?? 0 }))
      : topK(probs, k);
  return picked.map(({ index, value }) => ({
    index,
    value,
    label: labels?.[index] ?? `class ${index}`,
    text: formatOutput(kind, value, unit),
    bar: kind === 'regression' ? null : Math.min(1, Math.max(0, value)),
  }));
}

/** A line under the list that says how to read it, or null (softmax / logits need none). */
export function predictionNote(kind: OutputKind, numClasses: number): string | null {
  if (kind === 'multi-label') return 'Independent probabilities (multi-label): each label on its own; they need not sum to 100 %.';
  if (kind === 'regression') return numClasses === 1 ? 'The value the model predicts (regression).' : 'The values the model predicts (regression).';
  if (kind === 'sigmoid-binary') return 'One sigmoid output p: the second class is 1 − p.';
  return null;
}
