/**
 * Small pure helpers behind the Evaluate view's controls: cost-matrix files, editing a matrix cell, priors
 * and merge groups. All inputs are left untouched; every function returns new arrays.
 */
import { CostMatrixError, MAX_COST, parseCostMatrixCsv, parseCostMatrixJson, type CostMatrix } from '@/lib/metrics';

/**
 * Reads a cost-matrix file (JSON `{labels, matrix}` or CSV with a label header; see lib/metrics/cost) and
 * maps it onto `modelLabels`. The format is taken from the extension (.json / .csv / .tsv / .txt), else
 * sniffed from the first non-blank character (`{` = JSON).
 * @throws CostMatrixError with a message that names the file and every problem
 */
export function parseCostFile(fileName: string, text: string, modelLabels: readonly string[]): CostMatrix {
  const ext = fileName.toLowerCase().split('.').pop() ?? '';
  const isJson = ext === 'json' || (!['csv', 'tsv', 'txt'].includes(ext) && text.trimStart().startsWith('{'));
  try {
    return isJson ? parseCostMatrixJson(text, modelLabels) : parseCostMatrixCsv(text, modelLabels);
  } catch (e) {
    if (e instanceof CostMatrixError) throw new CostMatrixError(`“${fileName}”: ${e.message}`, e.problems);
    throw e;
  }
}

/**
 * Parses what the user typed into a cost or prior cell: a finite number ≥ 0 (decimal comma accepted).
 * @returns the number, or an error message
 */
export function parseNonNegative(text: string): { value: number } | { error: string } {
  const t = text.trim().replace(',', '.');
  if (t === '') return { error: 'Enter a number.' };
  const v = Number(t);
  if (!Number.isFinite(v)) return { error: `“${text}” is not a number.` };
  if (v < 0) return { error: 'Must be 0 or more.' };
  if (v > MAX_COST) return { error: `Must be at most ${MAX_COST} (larger values overflow the sums).` };
  return { value: v };
}

/** A copy of `matrix` with [i][j] set to `value`. */
export function setCell(matrix: readonly (readonly number[])[], i: number, j: number, value: number): number[][] {
  return matrix.map((row, r) => row.map((v, c) => (r === i && c === j ? value : v)));
}

/** Class frequencies of `labels` over k classes, as fractions summing to 1 (all 0 when there are none). */
export function labelFrequencies(labels: ArrayLike<number>, k: number): number[] {
  const c = new Array<number>(k).fill(0);
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i] as number;
    if (l >= 0 && l < k) c[l] = (c[l] as number) + 1;
  }
  const n = labels.length;
  return c.map((v) => (n === 0 ? 0 : v / n));
}

/** Priors as fractions summing to 1 (for display); null when the sum is not positive. */
export function normalisedPriors(priors: readonly number[]): number[] | null {
  const s = priors.reduce((a, b) => a + b, 0);
  return s > 0 ? priors.map((v) => v / s) : null;
}

/**
 * Adds a merge group. Classes already in a group are taken out of it first (a class can only be in one
 * group); groups left with fewer than two classes disappear. A new group of fewer than two classes is
 * ignored.
 */
export function addMergeGroup(merges: readonly (readonly number[])[], group: readonly number[]): number[][] {
  const g = [...new Set(group)].sort((a, b) => a - b);
  if (g.length < 2) return merges.map((m) => [...m]);
  const rest = merges.map((m) => m.filter((c) => !g.includes(c))).filter((m) => m.length >= 2);
  return [...rest, g];
}

/** Removes the group at `index`. */
export function removeMergeGroup(merges: readonly (readonly number[])[], index: number): number[][] {
  return merges.filter((_, i) => i !== index).map((m) => [...m]);
}
