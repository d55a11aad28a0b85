/**
 * Temperature scaling (Guo, Pleiss, Sun & Weinberger 2017, "On Calibration of Modern Neural Networks",
 * https://arxiv.org/abs/1706.04599, §4.2): one number T > 0 divides the logits, p_T(k|x) ∝ exp(zₖ/T). From
 * posteriors p (any logits z = log p + const give the same result) this is p_T(k|x) ∝ p(k|x)^(1/T). T > 1
 * softens over-confident outputs, T < 1 sharpens; the order of the classes, hence the argmax, never changes.
 *
 * T is fitted by minimising the mean negative log-likelihood −log p_T(y|x) over labelled images. The NLL is
 * convex in β = 1/T (a log-sum-exp minus a linear term), so a golden-section search over log β finds its
 * minimum. To show that the fit generalises, `temperatureReport` fits on one half of the set (every other
 * image of each class) and measures NLL, ECE and MCE on the other half, before and after.
 */
import { assertClassIndices, MetricsError, rowCount, type ClassIndexArray, type ProbArray } from './common';
import { calibration } from './calibration';

/** Probabilities below this count as this in logs (so a 0 on the true class costs −log 1e-12 ≈ 27.6). */
const FLOOR = 1e-12;
/** The search range of T. */
export const MIN_TEMPERATURE = 0.02;
export const MAX_TEMPERATURE = 50;

/** Throws unless T is a finite number in [MIN_TEMPERATURE, MAX_TEMPERATURE]. */
export function assertTemperature(t: number): void {
  if (!(Number.isFinite(t) && t >= MIN_TEMPERATURE && t <= MAX_TEMPERATURE))
    throw new MetricsError(
      `The temperature must be a number from ${MIN_TEMPERATURE} to ${MAX_TEMPERATURE} (got ${t}).`,
    );
}

/**
 * p^(1/T) renormalised per row (computed in log space). A 0 stays 0.
 * @param probs [N×K] posteriors
 * @returns new Float32Array [N×K]; T = 1 returns a copy
 */
export function applyTemperature(probs: ProbArray, k: number, t: number): Float32Array {
  assertTemperature(t);
  const n = rowCount(probs, k);
  const out = new Float32Array(n * k);
  const row = new Float64Array(k);
  for (let r = 0; r < n; r++) {
    let max = -Infinity;
    for (let j = 0; j < k; j++) {
      const p = probs[r * k + j] as number;
      const v = p > 0 ? Math.log(p) / t : -Infinity;
      row[j] = v;
      if (v > max) max = v;
    }
    if (max === -Infinity) {
      for (let j = 0; j < k; j++) out[r * k + j] = probs[r * k + j] as number;
      continue;
    }
    let s = 0;
    for (let j = 0; j < k; j++) {
      const e = Math.exp((row[j] as number) - max);
      row[j] = e;
      s += e;
    }
    for (let j = 0; j < k; j++) out[r * k + j] = (row[j] as number) / s;
  }
  return out;
}

/** Mean −log p(yₙ|xₙ) over `rows` (default all), with p floored at 1e-12. Null over no rows. */
export function meanNll(probs: ProbArray, labels: ClassIndexArray, k: number, rows?: ArrayLike<number>): number | null {
  rowCount(probs, k, labels.length);
  const m = rows ? rows.length : labels.length;
  if (m === 0) return null;
  let s = 0;
  for (let i = 0; i < m; i++) {
    const r = rows ? (rows[i] as number) : i;
    s -= Math.log(Math.max(FLOOR, probs[r * k + (labels[r] as number)] as number));
  }
  return s / m;
}

/** NLL at temperature t over `rows`, without building the scaled matrix. */
function nllAt(probs: ProbArray, labels: ClassIndexArray, k: number, rows: ArrayLike<number>, t: number): number {
  let s = 0;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i] as number;
    let max = -Infinity;
    for (let j = 0; j < k; j++) {
      const p = probs[r * k + j] as number;
      if (p > 0) max = Math.max(max, Math.log(p) / t);
    }
    let z = 0;
    for (let j = 0; j < k; j++) {
      const p = probs[r * k + j] as number;
      if (p > 0) z += Math.exp(Math.log(p) / t - max);
    }
    const py = probs[r * k + (labels[r] as number)] as number;
    const logPy = py > 0 ? Math.log(py) / t - max - Math.log(z) : Math.log(FLOOR);
    s -= Math.max(Math.log(FLOOR), logPy);
  }
  return s / rows.length;
}

/**
 * The temperature minimising the mean NLL over `rows` (default all), in [MIN_TEMPERATURE, MAX_TEMPERATURE].
 * @throws MetricsError when there are no rows
 */
export function fitTemperature(probs: ProbArray, labels: ClassIndexArray, k: number, rows?: ArrayLike<number>): number {
  rowCount(probs, k, labels.length);
  assertClassIndices(labels, k, 'labels');
  const idx = rows ?? Int32Array.from({ length: labels.length }, (_, i) => i);
  if (idx.length === 0) throw new MetricsError('A temperature cannot be fitted on zero images.');
  const f = (logT: number) => nllAt(probs, labels, k, idx, Math.exp(logT));
  let a = Math.log(MIN_TEMPERATURE);
  let b = Math.log(MAX_TEMPERATURE);
  const g = (Math.sqrt(5) - 1) / 2;
  let c = b - g * (b - a);
  let d = a + g * (b - a);
  let fc = f(c);
  let fd = f(d);
  for (let it = 0; it < 60; it++) {
    if (fc <= fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - g * (b - a);
      fc = f(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + g * (b - a);
      fd = f(d);
    }
  }
  return Math.exp((a + b) / 2);
}

/** Every other image of each class: `fit` gets the 1st, 3rd, … of a class, `heldOut` the 2nd, 4th, … */
export function splitHalves(labels: ClassIndexArray, k: number): { fit: Int32Array; heldOut: Int32Array } {
  assertClassIndices(labels, k, 'labels');
  const seen = new Uint32Array(k);
  const fit: number[] = [];
  const heldOut: number[] = [];
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i] as number;
    ((seen[y] as number) % 2 === 0 ? fit : heldOut).push(i);
    seen[y] = (seen[y] as number) + 1;
  }
  return { fit: Int32Array.from(fit), heldOut: Int32Array.from(heldOut) };
}

/** NLL, ECE and MCE of some posteriors on some rows. */
export interface CalibrationScores {
  nll: number | null;
  ece: number | null;
  mce: number | null;
}

export interface TemperatureReport {
  /** T fitted on the fit half. */
  temperature: number;
  fitCount: number;
  heldOutCount: number;
  /** On the held-out half, with the model's posteriors as they are (T = 1) and scaled by T. */
  before: CalibrationScores;
  after: CalibrationScores;
}

function scores(probs: ProbArray, labels: ClassIndexArray, k: number, rows: Int32Array): CalibrationScores {
  const sub = new Float32Array(rows.length * k);
  const y = new Int32Array(rows.length);
  rows.forEach((r, i) => {
    for (let j = 0; j < k; j++) sub[i * k + j] = probs[r * k + j] as number;
    y[i] = labels[r] as number;
  });
  const cal = calibration(sub, y, k);
  return { nll: meanNll(sub, y, k), ece: cal.ece, mce: cal.mce };
}

/**
 * Fits T on one half of the set and measures NLL / ECE / MCE on the other half before and after.
 * @throws MetricsError when a half is empty (fewer than 2 images of every class)
 */
export function temperatureReport(probs: ProbArray, labels: ClassIndexArray, k: number): TemperatureReport {
  const { fit, heldOut } = splitHalves(labels, k);
  if (heldOut.length === 0) throw new MetricsError('Temperature scaling needs at least two images of one class.');
  const temperature = fitTemperature(probs, labels, k, fit);
  const scaled = applyTemperature(probs, k, temperature);
  return {
    temperature,
    fitCount: fit.length,
    heldOutCount: heldOut.length,
    before: scores(probs, labels, k, heldOut),
    after: scores(scaled, labels, k, heldOut),
  };
}
