/**
 * Shared plumbing for `lib/metrics`: array types, input checks and a few helpers used by every metric.
 *
 * Conventions for the whole folder (no tensors, no DOM; plain arrays only):
 * - `probs` is a row-major [N×K] matrix of posteriors p(k|x) ∈ [0, 1], rows summing to ≈ 1.
 * - `labels` and `preds` are length-N class indices in [0, K).
 * - "Empty" quantities (a rate over zero items) are `null`, never NaN.
 * - Inputs are never mutated; every function returns new arrays owned by the caller.
 */

/** Class indices, one per image. Uint8Array is what the bundled datasets ship; Int32Array is what we make. */
export type ClassIndexArray = Int32Array | Uint8Array | Uint16Array | readonly number[];

/** Posterior rows, row-major [N×K]. */
export type ProbArray = Float32Array | Float64Array | readonly number[];

/** A bad argument to a metric (shape mismatch, index out of range, non-finite value). */
export class MetricsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MetricsError';
  }
}

/** Throws unless `k` is a positive integer. */
export function assertClassCount(k: number, what = 'number of classes'): void {
  if (!Number.isInteger(k) || k < 1) throw new MetricsError(`The ${what} must be a positive integer (got ${k}).`);
}

/**
 * Checks that `probs` holds a whole number of rows of length `k` and returns N. When `n` is given the row
 * count must equal it. Values are not scanned (that would cost a pass over every evaluation).
 */
export function rowCount(probs: ProbArray, k: number, n?: number): number {
  assertClassCount(k);
  if (probs.length % k !== 0) {
    throw new MetricsError(`The probability array has ${probs.length} values, which is not a multiple of K = ${k}.`);
  }
  const rows = probs.length / k;
  if (n !== undefined && rows !== n) {
    throw new MetricsError(`The probability array has ${rows} rows but there are ${n} labels.`);
  }
  return rows;
}

/** Throws unless every entry of `idx` is an integer in [0, k). `what` names the array in the message. */
export function assertClassIndices(idx: ClassIndexArray, k: number, what: string): void {
  for (let i = 0; i < idx.length; i++) {
    const v = idx[i] as number;
    if (!Number.isInteger(v) || v < 0 || v >= k) {
      throw new MetricsError(`${what}[${i}] = ${v} is not a class index in [0, ${k}).`);
    }
  }
}

/** Throws unless the two arrays have the same length. */
export function assertSameLength(a: { length: number }, b: { length: number }, what: string): void {
  if (a.length !== b.length) throw new MetricsError(`${what}: lengths differ (${a.length} vs ${b.length}).`);
}

/**
 * Row-wise argmax of an [N×K] matrix. Ties go to the lowest index (the same rule tf.argMax uses), so results
 * are deterministic. Returns a new Int32Array [N].
 */
export function argmaxRows(probs: ProbArray, k: number): Int32Array {
  const n = rowCount(probs, k);
  const out = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    const base = r * k;
    let best = 0;
    let bestV = probs[base] as number;
    for (let j = 1; j < k; j++) {
      const v = probs[base + j] as number;
      if (v > bestV) {
        bestV = v;
        best = j;
      }
    }
    out[r] = best;
  }
  return out;
}

/** `probs[row, col]` of a row-major [N×K] matrix (no bounds check beyond the array's own). */
export function at(probs: ProbArray, k: number, row: number, col: number): number {
  return probs[row * k + col] as number;
}

/** a / b, or null when b is 0. */
export function ratio(a: number, b: number): number | null {
  return b === 0 ? null : a / b;
}

/** Mean of the non-null entries, or null when there are none. */
export function meanOfPresent(values: readonly (number | null)[]): number | null {
  let s = 0;
  let c = 0;
  for (const v of values) {
    if (v !== null) {
      s += v;
      c++;
    }
  }
  return c === 0 ? null : s / c;
}
