/**
 * Misclassification cost: a K×K cost matrix C with rows = true class i and columns = decision j, C(i, j) ≥ 0
 * (usually C(i, i) = 0), the Bayes decision rule that minimises expected cost, and realised costs.
 *
 * Expected cost of decision j for an image with posterior p(·|x):  R(j|x) = Σᵢ p(i|x)·C(i, j).
 * The minimum-expected-cost (Bayes) decision is argminⱼ R(j|x) (Elkan 2001, "The Foundations of
 * Cost-Sensitive Learning", IJCAI, https://dl.acm.org/doi/10.5555/1642194.1642224; Duda, Hart & Stork,
 * Pattern Classification, §2.2). With the 0/1 cost R(j|x) = 1 − p(j|x), so the rule is the argmax.
 *
 * Import/export formats (labels are matched to the model's labels exactly, then case-insensitively, and the
 * rows/columns are reordered into the model's order):
 * - JSON: `{"labels": ["cat", "dog"], "matrix": [[0, 1], [5, 0]]}`
 * - CSV: a header row of labels (optionally preceded by a corner cell), then one row per true class,
 *   optionally starting with its label:
 *   ```
 *   true\decision,cat,dog        cat,dog
 *   cat,0,1               or     0,1
 *   dog,5,0                      5,0
 *   ```
 *   Without the label column the rows are taken in the header's order.
 */
import {
  argmaxRows,
  assertClassIndices,
  assertSameLength,
  rowCount,
  type ClassIndexArray,
  type ProbArray,
} from './common';
import { CsvError, parseCsv, toCsv, unneutraliseCell } from './csv';

/** K×K cost matrix; `matrix[i][j]` = cost of deciding j when the truth is i. Plain JSON-able data. */
export interface CostMatrix {
  /** Class names, length K, in the model's order. */
  labels: string[];
  /** K rows of K finite, non-negative numbers. */
  matrix: number[][];
}

/** One overridden entry of a sparse cost: `[trueClass, decision, cost]`, indices in [0, K), cost finite ≥ 0. */
export type CostOverride = readonly [number, number, number];

/**
 * Costs without a K×K array: the 0/1 rule (diagonal 0, every mistake 1) except the listed entries.
 * Memory and every computation below are O(K + overrides), so it works for any K (100,000 classes).
 * The last override of an entry wins.
 */
export interface SparseCostValues {
  overrides: CostOverride[];
}

/** What a cost setting stores: a dense K×K matrix (small K, editable) or the 0/1 rule with overrides. */
export type CostValues = number[][] | SparseCostValues;

/** Sparse costs for K = labels.length classes (see SparseCostValues). */
export interface SparseCost extends SparseCostValues {
  labels: string[];
}

/** Dense or sparse costs; every function below accepts both. */
export type Costs = CostMatrix | SparseCost;

/**
 * The most classes a dense K×K cost matrix may have: the cell editor, presets, CSV/JSON import and export and
 * class merges are limited to this; above it the 0/1 rule (with sparse overrides) applies.
 */
export const MAX_COST_MATRIX_CLASSES = 100;

/**
 * The largest cost accepted (1e12). Expected costs are sums of K products p·C; far larger entries (1e308)
 * would overflow to Infinity and every figure would read "—".
 */
export const MAX_COST = 1e12;

/** True for the sparse (0/1 rule + overrides) form. */
export function isSparseCost(c: Costs | CostValues): c is SparseCost {
  return !Array.isArray(c) && !Array.isArray((c as CostMatrix).matrix);
}

/** `{ labels, ... }` costs from stored values; the labels array is copied, the values are not. */
export function costsOf(labels: readonly string[], values: CostValues): Costs {
  return Array.isArray(values)
    ? { labels: [...labels], matrix: values }
    : { labels: [...labels], overrides: values.overrides };
}

/** The 0/1 rule for `labels` without any K×K array (O(K)). */
export function zeroOneRule(labels: readonly string[]): SparseCost {
  if (labels.length < 1) throw new CostMatrixError('A cost matrix needs at least one class.');
  return { labels: [...labels], overrides: [] };
}

/** The plain message for K above MAX_COST_MATRIX_CLASSES (shown above the editors and on refused files). */
export function costMatrixLimitMessage(k: number): string {
  return `This model has ${k.toLocaleString('en-US')} classes; the cost-matrix editor, presets, import and export handle up to ${MAX_COST_MATRIX_CLASSES}. Every mistake costs 1 (the 0/1 rule) for this model.`;
}

/**
 * Cost C(i, j) of deciding j when the truth is i; O(1) for dense, O(overrides) for sparse (last wins).
 * Indices are not checked here (callers check them once).
 */
export function costAt(c: Costs, i: number, j: number): number {
  if (!isSparseCost(c)) return (c.matrix[i] as number[])[j] as number;
  for (let o = c.overrides.length - 1; o >= 0; o--) {
    const e = c.overrides[o] as CostOverride;
    if (e[0] === i && e[1] === j) return e[2];
  }
  return i === j ? 0 : 1;
}

/**
 * The dense K×K form of `c` (a copy), for the editors and file export.
 * @throws CostMatrixError with costMatrixLimitMessage when K > `limit` (default MAX_COST_MATRIX_CLASSES)
 */
export function denseCostMatrix(c: Costs, limit = MAX_COST_MATRIX_CLASSES): CostMatrix {
  const k = c.labels.length;
  if (k > limit) throw new CostMatrixError(costMatrixLimitMessage(k));
  if (!isSparseCost(c)) return { labels: [...c.labels], matrix: c.matrix.map((r) => [...r]) };
  validateCostMatrix(c);
  const matrix = Array.from({ length: k }, (_, i) => Array.from({ length: k }, (_, j) => (i === j ? 0 : 1)));
  for (const [i, j, v] of c.overrides) (matrix[i] as number[])[j] = v;
  return { labels: [...c.labels], matrix };
}

/** A cost matrix that cannot be used, with a message meant for the user. */
export class CostMatrixError extends Error {
  constructor(
    message: string,
    /** Every problem found (the message joins them). */
    readonly problems: string[] = [message],
  ) {
    super(message);
    this.name = 'CostMatrixError';
  }
}

// ────────────────────────────────────────────── presets

/** 0/1 cost: every mistake costs 1, every correct decision 0. Mean realised cost = error rate. */
export function zeroOneCost(labels: readonly string[]): CostMatrix {
  const k = labels.length;
  if (k < 1) throw new CostMatrixError('A cost matrix needs at least one class.');
  return {
    labels: [...labels],
    matrix: Array.from({ length: k }, (_, i) => Array.from({ length: k }, (_, j) => (i === j ? 0 : 1))),
  };
}

/**
 * "Missing class X costs `factor` times a false alarm": C[X][j≠X] = factor, every other off-diagonal
 * entry 1, diagonal 0.
 * @param missedClass index of X in [0, K)
 * @param factor      finite, ≥ 0 (e.g. 10)
 */
export function missedClassCost(labels: readonly string[], missedClass: number, factor: number): CostMatrix {
  const c = zeroOneCost(labels);
  if (!Number.isInteger(missedClass) || missedClass < 0 || missedClass >= labels.length) {
    throw new CostMatrixError(`Class index ${missedClass} is not in [0, ${labels.length}).`);
  }
  if (!Number.isFinite(factor) || factor < 0)
    throw new CostMatrixError(`The cost factor must be a finite number ≥ 0 (got ${factor}).`);
  const row = c.matrix[missedClass] as number[];
  for (let j = 0; j < row.length; j++) if (j !== missedClass) row[j] = factor;
  return c;
}

// ────────────────────────────────────────────── validation

/**
 * Every problem with `c` as a list of user-readable sentences (empty = valid): labels present and unique,
 * square K×K (or valid sparse overrides), K equal to `expectedK` when given, entries finite, in [0, MAX_COST].
 */
export function costMatrixProblems(c: Costs, expectedK?: number): string[] {
  const problems: string[] = [];
  const k = c.labels.length;
  if (k === 0) problems.push('The cost matrix has no class labels.');
  if (expectedK !== undefined && k !== expectedK) {
    problems.push(`The cost matrix has ${k} classes but the model has ${expectedK}.`);
  }
  const seen = new Set<string>();
  for (const l of c.labels) {
    if (seen.has(l)) problems.push(`The label "${l}" appears more than once.`);
    seen.add(l);
  }
  if (isSparseCost(c)) return [...problems, ...overrideProblems(c)];
  if (c.matrix.length !== k)
    problems.push(`The matrix has ${c.matrix.length} rows but there are ${k} labels; it must be square (K×K).`);
  c.matrix.forEach((row, i) => {
    if (row.length !== k) {
      problems.push(`Row ${i + 1} (${c.labels[i] ?? '?'}) has ${row.length} values; expected ${k}.`);
      return;
    }
    row.forEach((v, j) => {
      const where = `Entry [${c.labels[i] ?? i}][${c.labels[j] ?? j}]`;
      if (typeof v !== 'number' || !Number.isFinite(v))
        problems.push(`${where} = ${String(v)} is not a finite number.`);
      else if (v < 0) problems.push(`${where} = ${v} is negative; costs must be ≥ 0.`);
      else if (v > MAX_COST) problems.push(`${where} = ${v} is too large; costs must be at most ${MAX_COST}.`);
    });
  });
  return problems;
}

/** Problems of sparse overrides: array of [i, j, v] with integer indices in [0, K) and finite v ≥ 0. */
function overrideProblems(c: SparseCost): string[] {
  const k = c.labels.length;
  const problems: string[] = [];
  if (!Array.isArray(c.overrides)) return ['The cost overrides must be a list of [true class, decision, cost].'];
  c.overrides.forEach((e, n) => {
    const ok = Array.isArray(e) && e.length === 3;
    const [i, j, v] = ok ? e : [NaN, NaN, NaN];
    const inRange = (x: number) => Number.isInteger(x) && x >= 0 && x < k;
    if (!ok || !inRange(i) || !inRange(j)) {
      problems.push(`Cost override ${n + 1} is not [true class, decision, cost] with classes in [0, ${k}).`);
    } else if (typeof v !== 'number' || !Number.isFinite(v)) {
      problems.push(`Entry [${c.labels[i]}][${c.labels[j]}] = ${String(v)} is not a finite number.`);
    } else if (v < 0) problems.push(`Entry [${c.labels[i]}][${c.labels[j]}] = ${v} is negative; costs must be ≥ 0.`);
    else if (v > MAX_COST)
      problems.push(`Entry [${c.labels[i]}][${c.labels[j]}] = ${v} is too large; costs must be at most ${MAX_COST}.`);
  });
  return problems;
}

/** Throws CostMatrixError listing every problem, unless `c` is valid. */
export function validateCostMatrix(c: Costs, expectedK?: number): void {
  const problems = costMatrixProblems(c, expectedK);
  if (problems.length > 0) throw new CostMatrixError(problems.join(' '), problems);
}

/**
 * Validated costs in a form fast to evaluate: a row-major Float64Array [K×K] for dense costs, or, for the
 * sparse form, the overrides as corrections to the 0/1 rule (last override of an entry wins).
 */
type Compiled =
  | { k: number; dense: Float64Array }
  | { k: number; dense: null; rows: Int32Array; cols: Int32Array; delta: Float64Array };

function compile(c: Costs, expectedK?: number): Compiled {
  validateCostMatrix(c, expectedK);
  const k = c.labels.length;
  if (!isSparseCost(c)) {
    const dense = new Float64Array(k * k);
    c.matrix.forEach((row, i) => row.forEach((v, j) => (dense[i * k + j] = v)));
    return { k, dense };
  }
  const last = new Map<number, number>();
  for (const [i, j, v] of c.overrides) last.set(i * k + j, v);
  const m = last.size;
  const rows = new Int32Array(m);
  const cols = new Int32Array(m);
  const delta = new Float64Array(m);
  let n = 0;
  for (const [key, v] of last) {
    const i = Math.floor(key / k);
    const j = key - i * k;
    rows[n] = i;
    cols[n] = j;
    delta[n++] = v - (i === j ? 0 : 1);
  }
  return { k, dense: null, rows, cols, delta };
}

/** C(i, j) from compiled costs. */
function compiledAt(C: Compiled, i: number, j: number): number {
  if (C.dense) return C.dense[i * C.k + j] as number;
  let v = i === j ? 0 : 1;
  for (let n = 0; n < C.rows.length; n++) if (C.rows[n] === i && C.cols[n] === j) v += C.delta[n] as number;
  return v;
}

// ────────────────────────────────────────────── import / export

/** Maps file labels to model indices: exact match first, then case-insensitive (trimmed). */
function matchLabels(fileLabels: readonly string[], modelLabels: readonly string[], where: string): number[] {
  const problems: string[] = [];
  const lower = new Map<string, number>();
  modelLabels.forEach((l, i) => {
    const key = l.trim().toLowerCase();
    if (!lower.has(key)) lower.set(key, i);
  });
  const used = new Map<number, string>();
  const idx = fileLabels.map((l) => {
    let m = modelLabels.indexOf(l);
    if (m < 0) m = modelLabels.indexOf(unneutraliseCell(l));
    if (m < 0) m = lower.get(l.trim().toLowerCase()) ?? -1;
    if (m < 0) {
      problems.push(`Unknown label "${l}" in the ${where}; the model's labels are: ${modelLabels.join(', ')}.`);
      return -1;
    }
    const prev = used.get(m);
    if (prev !== undefined) problems.push(`The ${where} names "${modelLabels[m]}" twice ("${prev}" and "${l}").`);
    used.set(m, l);
    return m;
  });
  const missing = modelLabels.filter((_, i) => !used.has(i));
  if (missing.length > 0 && problems.length === 0)
    problems.push(`The ${where} is missing the label(s): ${missing.join(', ')}.`);
  if (problems.length > 0) throw new CostMatrixError(problems.join(' '), problems);
  return idx;
}

/** Reorders a matrix given in `fileLabels` order into the model's order. */
function reorder(
  fileLabels: readonly string[],
  rowLabels: readonly string[],
  values: number[][],
  modelLabels: readonly string[],
): CostMatrix {
  const colIdx = matchLabels(fileLabels, modelLabels, 'header');
  const rowIdx = matchLabels(rowLabels, modelLabels, 'row labels');
  const k = modelLabels.length;
  const matrix = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  values.forEach((row, r) =>
    row.forEach((v, c) => ((matrix[rowIdx[r] as number] as number[])[colIdx[c] as number] = v)),
  );
  const out = { labels: [...modelLabels], matrix };
  validateCostMatrix(out, k);
  return out;
}

/** Serialises as `{"labels": [...], "matrix": [[...]]}` (pretty-printed, one row per line). */
export function costMatrixToJson(costs: Costs): string {
  const c = denseCostMatrix(costs);
  validateCostMatrix(c);
  const rows = c.matrix.map((r) => `    ${JSON.stringify(r)}`).join(',\n');
  return `{\n  "labels": ${JSON.stringify(c.labels)},\n  "matrix": [\n${rows}\n  ]\n}\n`;
}

/**
 * Parses `{labels, matrix}` JSON and maps it onto `modelLabels` (any order; exact then case-insensitive
 * label match). Throws CostMatrixError with a user-readable message on malformed JSON, wrong shape,
 * unknown/missing/duplicate labels, ragged rows, non-numbers, negative or non-finite values.
 */
export function parseCostMatrixJson(text: string, modelLabels: readonly string[]): CostMatrix {
  if (modelLabels.length > MAX_COST_MATRIX_CLASSES)
    throw new CostMatrixError(costMatrixLimitMessage(modelLabels.length));
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new CostMatrixError(`The file is not valid JSON (${(e as Error).message}).`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new CostMatrixError('Expected a JSON object {"labels": [...], "matrix": [[...], ...]}.');
  }
  const { labels, matrix } = data as { labels?: unknown; matrix?: unknown };
  if (!Array.isArray(labels) || !labels.every((l) => typeof l === 'string')) {
    throw new CostMatrixError('"labels" must be an array of strings.');
  }
  if (!Array.isArray(matrix) || !matrix.every((r) => Array.isArray(r))) {
    throw new CostMatrixError('"matrix" must be an array of rows (arrays of numbers).');
  }
  const k = labels.length;
  const problems: string[] = [];
  if (k !== modelLabels.length) problems.push(`The file has ${k} labels but the model has ${modelLabels.length}.`);
  if (matrix.length !== k) problems.push(`"matrix" has ${matrix.length} rows; expected ${k} (one per label).`);
  (matrix as unknown[][]).forEach((row, i) => {
    if (row.length !== k) problems.push(`Row ${i + 1} has ${row.length} values; expected ${k}.`);
    row.forEach((v, j) => {
      if (typeof v !== 'number') problems.push(`Entry [${i + 1}][${j + 1}] = ${JSON.stringify(v)} is not a number.`);
    });
  });
  if (problems.length > 0) throw new CostMatrixError(problems.join(' '), problems);
  return reorder(labels as string[], labels as string[], matrix as number[][], modelLabels);
}

/** Serialises as CSV with a corner cell `true\decision`, a header row of labels and a label column. */
export function costMatrixToCsv(costs: Costs): string {
  const c = denseCostMatrix(costs);
  validateCostMatrix(c);
  return toCsv([
    ['true\\decision', ...c.labels],
    ...c.matrix.map((r, i) => [c.labels[i] as string, ...r.map((v) => String(v))]),
  ]);
}

/**
 * Parses a cost-matrix CSV (with or without the label column; see the module comment) and maps it onto
 * `modelLabels`. Errors name the line and column: ragged rows, non-numbers, unknown/missing/duplicate
 * labels, negative or non-finite values.
 */
export function parseCostMatrixCsv(text: string, modelLabels: readonly string[]): CostMatrix {
  if (modelLabels.length > MAX_COST_MATRIX_CLASSES)
    throw new CostMatrixError(costMatrixLimitMessage(modelLabels.length));
  let records;
  try {
    records = parseCsv(text);
  } catch (e) {
    if (e instanceof CsvError) throw new CostMatrixError(e.message);
    throw e;
  }
  const k = modelLabels.length;
  const header = records[0];
  if (!header) throw new CostMatrixError('The CSV file is empty.');
  const body = records.slice(1);
  let hasLabelColumn: boolean;
  let colLabels: string[];
  if (header.cells.length === k + 1) {
    hasLabelColumn = true;
    colLabels = header.cells.slice(1);
  } else if (header.cells.length === k) {
    // Either no label column, or a label column whose corner cell was left out of the header.
    hasLabelColumn = body.length > 0 && body.every((r) => r.cells.length === k + 1);
    colLabels = header.cells;
  } else {
    throw new CostMatrixError(
      `Line ${header.line}: the header has ${header.cells.length} cells; expected the model's ${k} class labels, optionally preceded by one corner cell.`,
    );
  }
  const width = hasLabelColumn ? k + 1 : k;
  const problems: string[] = [];
  if (body.length !== k)
    problems.push(`Expected ${k} rows after the header (one per true class) but found ${body.length}.`);
  const rowLabels: string[] = [];
  const values: number[][] = [];
  body.forEach((r, idx) => {
    if (r.cells.length !== width) {
      problems.push(`Line ${r.line}: ${r.cells.length} cells; expected ${width} (ragged row).`);
      return;
    }
    rowLabels.push(hasLabelColumn ? (r.cells[0] as string) : (colLabels[idx] ?? ''));
    const nums = (hasLabelColumn ? r.cells.slice(1) : r.cells).map((s, j) => {
      const v = s === '' ? NaN : Number(s);
      if (Number.isNaN(v)) problems.push(`Line ${r.line}, column "${colLabels[j] ?? j + 1}": "${s}" is not a number.`);
      return v;
    });
    values.push(nums);
  });
  if (problems.length > 0) throw new CostMatrixError(problems.join(' '), problems);
  return reorder(colLabels, rowLabels, values, modelLabels);
}

// ────────────────────────────────────────────── expected cost and decisions

/**
 * Expected cost of every decision for one posterior: R(j) = Σᵢ p(i)·C(i, j).
 * @param posterior length K, p(i|x)
 * @returns Float64Array [K], ≥ 0
 */
export function expectedCosts(posterior: ProbArray, c: Costs): Float64Array {
  return expectedCostRows(posterior, compile(c, posterior.length)).subarray(0, c.labels.length);
}

/** R [N×K]; dense O(N·K²), sparse O(N·(K + overrides)): R(j) = Σp − p(j) + Σ_overrides p(i)·Δ(i, j). */
function expectedCostRows(probs: ProbArray, C: Compiled): Float64Array {
  const { k } = C;
  const n = rowCount(probs, k);
  const out = new Float64Array(n * k);
  for (let r = 0; r < n; r++) {
    const base = r * k;
    if (C.dense) {
      const D = C.dense;
      for (let i = 0; i < k; i++) {
        const p = probs[base + i] as number;
        if (p === 0) continue;
        for (let j = 0; j < k; j++) out[base + j] = (out[base + j] as number) + p * (D[i * k + j] as number);
      }
      continue;
    }
    let total = 0;
    for (let i = 0; i < k; i++) total += probs[base + i] as number;
    for (let j = 0; j < k; j++) out[base + j] = total - (probs[base + j] as number);
    for (let o = 0; o < C.rows.length; o++) {
      const j = C.cols[o] as number;
      out[base + j] =
        (out[base + j] as number) + (probs[base + (C.rows[o] as number)] as number) * (C.delta[o] as number);
    }
  }
  return out;
}

/**
 * Expected cost of every decision for every image.
 * @param probs [N×K] posteriors, row-major
 * @returns Float64Array [N×K], R(j|x_n) at [n·K + j]
 */
export function expectedCostMatrix(probs: ProbArray, c: Costs): Float64Array {
  return expectedCostRows(probs, compile(c));
}

/** Decisions by argmax of the posterior (ties → lowest index). Int32Array [N]. */
export function argmaxDecisions(probs: ProbArray, k: number): Int32Array {
  return argmaxRows(probs, k);
}

/**
 * Bayes decisions: argminⱼ Σᵢ p(i|x)·C(i, j) for each image (ties → lowest index).
 * @param probs [N×K] posteriors
 * @returns Int32Array [N] of class indices
 */
export function minExpectedCostDecisions(probs: ProbArray, c: Costs): Int32Array {
  const k = c.labels.length;
  const R = expectedCostMatrix(probs, c);
  const n = R.length / k;
  const out = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    let best = 0;
    let bestV = R[r * k] as number;
    for (let j = 1; j < k; j++) {
      const v = R[r * k + j] as number;
      if (v < bestV) {
        bestV = v;
        best = j;
      }
    }
    out[r] = best;
  }
  return out;
}

/**
 * Expected cost R(d_n|x_n) of the decision actually taken for each image.
 * @param probs     [N×K] posteriors
 * @param decisions [N] class indices
 * @returns Float64Array [N]
 */
export function expectedCostOfDecisions(probs: ProbArray, decisions: ClassIndexArray, c: Costs): Float64Array {
  const k = c.labels.length;
  const R = expectedCostMatrix(probs, c);
  const n = R.length / k;
  assertSameLength({ length: n }, decisions, 'probability rows and decisions');
  assertClassIndices(decisions, k, 'decisions');
  return Float64Array.from({ length: n }, (_, r) => R[r * k + (decisions[r] as number)] as number);
}

/**
 * Realised cost per image: C[label_n][decision_n].
 * @returns Float64Array [N]
 */
export function realisedCosts(labels: ClassIndexArray, decisions: ClassIndexArray, c: Costs): Float64Array {
  const k = c.labels.length;
  const C = compile(c);
  assertSameLength(labels, decisions, 'labels and decisions');
  assertClassIndices(labels, k, 'labels');
  assertClassIndices(decisions, k, 'decisions');
  if (C.dense || C.rows.length === 0)
    return Float64Array.from({ length: labels.length }, (_, n) =>
      compiledAt(C, labels[n] as number, decisions[n] as number),
    );
  const byEntry = new Map<number, number>();
  for (let o = 0; o < C.rows.length; o++)
    byEntry.set((C.rows[o] as number) * k + (C.cols[o] as number), C.delta[o] as number);
  return Float64Array.from({ length: labels.length }, (_, n) => {
    const i = labels[n] as number;
    const j = decisions[n] as number;
    return (i === j ? 0 : 1) + (byEntry.get(i * k + j) ?? 0);
  });
}

export interface CostSummary {
  /** Realised cost per image, [N]. */
  perImage: Float64Array;
  /** Σ over images. */
  total: number;
  /** total / N; null when N = 0. */
  mean: number | null;
  /** Per true class: number of images, total cost, mean cost (null when the class has no images). */
  perClass: { index: number; count: number; total: number; mean: number | null }[];
}

/** Realised cost per image, per true class (mean & total) and overall. */
export function costSummary(labels: ClassIndexArray, decisions: ClassIndexArray, c: Costs): CostSummary {
  const perImage = realisedCosts(labels, decisions, c);
  const k = c.labels.length;
  const perClass = Array.from({ length: k }, (_, index) => ({
    index,
    count: 0,
    total: 0,
    mean: null as number | null,
  }));
  let total = 0;
  for (let n = 0; n < perImage.length; n++) {
    const pc = perClass[labels[n] as number] as (typeof perClass)[number];
    pc.count++;
    pc.total += perImage[n] as number;
    total += perImage[n] as number;
  }
  for (const pc of perClass) pc.mean = pc.count === 0 ? null : pc.total / pc.count;
  return { perImage, total, mean: perImage.length === 0 ? null : total / perImage.length, perClass };
}

export interface CostlyMistake {
  /** Image index. */
  index: number;
  trueClass: number;
  decision: number;
  /** C[trueClass][decision]. */
  cost: number;
  /** p(decision|x) when `probs` was given, else null. */
  confidence: number | null;
}

/**
 * Mistakes (decision ≠ true class) ranked by realised cost, descending; ties by confidence in the wrong
 * decision (descending, when `probs` is given), then by index.
 * @param probs optional [N×K] posteriors for the tie-break and the `confidence` field
 * @param limit maximum number returned (default: all)
 */
export function costliestMistakes(
  labels: ClassIndexArray,
  decisions: ClassIndexArray,
  c: Costs,
  probs?: ProbArray,
  limit = Infinity,
): CostlyMistake[] {
  const costs = realisedCosts(labels, decisions, c);
  const k = c.labels.length;
  if (probs) rowCount(probs, k, labels.length);
  const out: CostlyMistake[] = [];
  for (let n = 0; n < labels.length; n++) {
    const t = labels[n] as number;
    const d = decisions[n] as number;
    if (t === d) continue;
    out.push({
      index: n,
      trueClass: t,
      decision: d,
      cost: costs[n] as number,
      confidence: probs ? (probs[n * k + d] as number) : null,
    });
  }
  out.sort((a, b) => b.cost - a.cost || (b.confidence ?? 0) - (a.confidence ?? 0) || a.index - b.index);
  return out.slice(0, limit);
}
