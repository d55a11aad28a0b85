/**
 * The accuracy-per-checkpoint chart as plain numbers: series (one per source of accuracies), the y range,
 * and SVG path geometry. The x axis is the checkpoint's position (0 … n−1), not its epoch: checkpoints are
 * spaced unevenly (0, 1, 2, 4, 8, 20) and the slider moves through them one by one.
 */
import { argmaxRows } from '@/lib/metrics';
import type { Checkpoint } from './checkpoints';

export interface SeriesPoint {
  /** Checkpoint position, 0 … n−1. */
  index: number;
  /** Fraction in [0, 1]. */
  value: number;
}

export interface AccuracySeries {
  id: string;
  label: string;
  points: SeriesPoint[];
}

export type ScoreKey = 'evalSet' | 'test' | 'validation';

/** One series per score in checkpoints.json (only those that some checkpoint has), in `keys` order. */
export function fileSeries(
  checkpoints: readonly Checkpoint[],
  labels: Record<ScoreKey, string>,
  keys: readonly ScoreKey[],
): AccuracySeries[] {
  return keys
    .map((key) => ({
      id: key,
      label: labels[key],
      points: checkpoints.flatMap((cp, index) => {
        const s = cp[key];
        return s ? [{ index, value: s.accuracy }] : [];
      }),
    }))
    .filter((s) => s.points.length > 0);
}

/**
 * Accuracy of posteriors `probs` [n × k] (row-major) against `labels` [n]: the fraction of rows whose
 * argmax (ties to the lowest index) is the label. Labels outside [0, k) count as wrong. 0 for n = 0.
 */
export function accuracyOf(probs: Float32Array, labels: Int32Array, k: number): number {
  const n = labels.length;
  if (n === 0) return 0;
  if (probs.length !== n * k) throw new Error(`accuracyOf: ${probs.length} posteriors for ${n} labels × ${k} classes`);
  const pred = argmaxRows(probs, k);
  let right = 0;
  for (let i = 0; i < n; i++) if (pred[i] === labels[i]) right++;
  return right / n;
}

/**
 * A y range that holds every value with some room: [lo, hi] on a 0.05 grid, at least 0.1 wide, inside
 * [0, 1]. [0, 1] when there are no values.
 */
export function yRange(series: readonly AccuracySeries[]): [number, number] {
  const values = series.flatMap((s) => s.points.map((p) => p.value)).filter(Number.isFinite);
  if (values.length === 0) return [0, 1];
  let lo = Math.max(0, Math.floor(Math.min(...values) / 0.05 - 1e-9) * 0.05);
  let hi = Math.min(1, Math.ceil(Math.max(...values) / 0.05 + 1e-9) * 0.05);
  if (hi - lo < 0.1) {
    if (hi + 0.05 <= 1) hi += 0.05;
    if (hi - lo < 0.1) lo = Math.max(0, hi - 0.1);
  }
  return [Number(lo.toFixed(4)), Number(hi.toFixed(4))];
}

export interface ChartBox {
  width: number;
  height: number;
  /** Left/bottom room for the axis labels; right/top room is `pad / 3`. */
  pad: number;
}

/** The x of checkpoint position `index` of `count` in the box (a lone checkpoint sits in the middle). */
export function xAt(index: number, count: number, box: ChartBox): number {
  const left = box.pad;
  const right = box.width - box.pad / 3;
  return count <= 1 ? (left + right) / 2 : left + (index / (count - 1)) * (right - left);
}

/** The y of `value` in the box for the range [lo, hi] (clamped into the box). */
export function yAt(value: number, [lo, hi]: [number, number], box: ChartBox): number {
  const top = box.pad / 3;
  const bottom = box.height - box.pad;
  const t = hi > lo ? (value - lo) / (hi - lo) : 0.5;
  return bottom - Math.min(1, Math.max(0, t)) * (bottom - top);
}

/** SVG path data ("M x,y L x,y …", one decimal) of one series. Empty for no points. */
export function seriesPath(
  points: readonly SeriesPoint[],
  count: number,
  range: [number, number],
  box: ChartBox,
): string {
  return points
    .map(
      (p, i) => `${i === 0 ? 'M' : 'L'}${xAt(p.index, count, box).toFixed(1)},${yAt(p.value, range, box).toFixed(1)}`,
    )
    .join(' ');
}
