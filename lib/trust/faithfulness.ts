/**
 * Faithfulness of a map, pure maths (no tfjs): the deletion and insertion games of Petsiuk, Das & Saenko,
 * "RISE: Randomized Input Sampling for Explanation of Black-box Models" (BMVC 2018,
 * https://arxiv.org/abs/1806.07421), §4.1.
 *
 * - Deletion: remove pixels (set them to the deletion baseline, black by default) from the most important to
 *   the least, in the map's order; the target's probability should fall fast, so a faithful map has a LOW
 *   area under the curve.
 * - Insertion: start from a blurred copy of the image and put the original pixels back in the map's order;
 *   the probability should rise fast, so a faithful map has a HIGH area.
 * - A random order is the floor: a map is only informative where it beats it (deletion below, insertion above).
 *
 * Spaces: a map is H×W (row-major, one value per pixel, the `Attribution.values` of lib/explain); images are
 * HWC `ImageInput`s with p ∈ [0, 1]; removing a pixel changes all of its channels.
 */
import type { ImageInput } from '@/lib/models/adapter-types';
import { mulberry32 } from '@/lib/random';

export type PerturbationMode = 'deletion' | 'insertion';

/**
 * Pixel indices (0 … n−1) from the most to the least important: descending map value, ties by index (so the
 * order is deterministic). Signed maps are ordered by their signed value (evidence for the class first).
 * Non-finite values count as the least important.
 */
export function pixelOrder(map: Float32Array): Uint32Array {
  const idx = Array.from({ length: map.length }, (_, i) => i);
  const v = (i: number) => {
    const x = map[i] as number;
    return Number.isFinite(x) ? x : -Infinity;
  };
  idx.sort((a, b) => v(b) - v(a) || a - b);
  return Uint32Array.from(idx);
}

/** A uniformly random permutation of 0 … n−1 (Fisher–Yates with a seeded mulberry32). */
export function randomOrder(n: number, seed: number): Uint32Array {
  const rand = mulberry32(seed);
  const out = Uint32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const t = out[i] as number;
    out[i] = out[j] as number;
    out[j] = t;
  }
  return out;
}

/**
 * How many pixels are changed at each of the `steps + 1` points of a curve: round(i·n / steps) for
 * i = 0 … steps (0 first, all n last). `steps` ≥ 1 integer.
 */
export function stepCounts(n: number, steps: number): Uint32Array {
  if (!Number.isInteger(steps) || steps < 1) throw new RangeError(`steps must be a positive integer, got ${steps}`);
  return Uint32Array.from({ length: steps + 1 }, (_, i) => Math.round((i * n) / steps));
}

/**
 * Area under a curve sampled at evenly spaced fractions 0, 1/s, …, 1 (trapezoid rule), in the units of `ys`
 * (a probability curve gives an area in [0, 1]). One point: that value. Empty: NaN.
 */
export function curveAuc(ys: ArrayLike<number>): number {
  const n = ys.length;
  if (n === 0) return NaN;
  if (n === 1) return ys[0] as number;
  let s = 0;
  for (let i = 1; i < n; i++) s += ((ys[i - 1] as number) + (ys[i] as number)) / 2;
  return s / (n - 1);
}

/**
 * A box blur of radius `r` applied three times per axis (close to a Gaussian of σ ≈ r), edges clamped:
 * the starting image of the insertion game. Returns a new image of the same shape.
 */
export function blurImage(input: ImageInput, r: number): ImageInput {
  const { width: w, height: h, channels: c } = input;
  let cur: Float32Array = Float32Array.from(input.data);
  if (r < 1) return { ...input, data: cur };
  const pass = (src: Float32Array, horizontal: boolean): Float32Array => {
    const dst = new Float32Array(src.length);
    const len = horizontal ? w : h;
    const lines = horizontal ? h : w;
    for (let line = 0; line < lines; line++) {
      for (let ch = 0; ch < c; ch++) {
        const at = (k: number) => {
          const kk = Math.min(len - 1, Math.max(0, k));
          return horizontal ? (line * w + kk) * c + ch : (kk * w + line) * c + ch;
        };
        let sum = 0;
        for (let k = -r; k <= r; k++) sum += src[at(k)] as number;
        for (let k = 0; k < len; k++) {
          dst[at(k)] = sum / (2 * r + 1);
          sum += (src[at(k + r + 1)] as number) - (src[at(k - r)] as number);
        }
      }
    }
    return dst;
  };
  for (let i = 0; i < 3; i++) cur = pass(pass(cur, true), false);
  return { ...input, data: cur };
}

/** The default blur radius of the insertion start for an image: ~5 % of its shorter side, at least 1. */
export function defaultBlurRadius(input: Pick<ImageInput, 'width' | 'height'>): number {
  return Math.max(1, Math.round(Math.min(input.width, input.height) / 20));
}

/**
 * Writes into `out` (length h·w·c) the image after `count` pixels of `order` were changed: deletion starts
 * from `image` and copies the `count` first pixels from `baseline`; insertion starts from `baseline` and
 * copies them from `image`. `image` and `baseline` are HWC data of the same shape.
 */
export function perturbInto(
  out: Float32Array,
  image: Float32Array,
  baseline: Float32Array,
  channels: number,
  order: Uint32Array,
  count: number,
  mode: PerturbationMode,
): void {
  const [from, to] = mode === 'deletion' ? [image, baseline] : [baseline, image];
  out.set(from);
  for (let i = 0; i < count; i++) {
    const p = (order[i] as number) * channels;
    for (let ch = 0; ch < channels; ch++) out[p + ch] = to[p + ch] as number;
  }
}

/** One perturbation curve: the target's probability after each step, and its area. */
export interface PerturbationCurve {
  /** The target's probability at fractions 0, 1/steps, …, 1 of the pixels changed (length steps + 1). */
  probs: Float32Array;
  /** Area under `probs` over [0, 1] (trapezoid rule). */
  auc: number;
}

/** The four curves of one map (the map's order and the random floor, deletion and insertion). */
export interface FaithfulnessResult {
  target: number;
  steps: number;
  deletion: PerturbationCurve;
  insertion: PerturbationCurve;
  /** The mean over `randomRepeats` random orders (the floor). */
  randomDeletion: PerturbationCurve;
  randomInsertion: PerturbationCurve;
  randomRepeats: number;
  /** Batched model calls made. */
  forwardPasses: number;
  ms: number;
}

/** Pointwise mean of curves of the same length; its AUC recomputed. Needs ≥ 1 curve. */
export function meanCurve(curves: readonly Float32Array[]): PerturbationCurve {
  const first = curves[0];
  if (!first) throw new RangeError('meanCurve needs at least one curve');
  const probs = new Float32Array(first.length);
  for (const c of curves) for (let i = 0; i < probs.length; i++) probs[i] = (probs[i] as number) + (c[i] as number);
  for (let i = 0; i < probs.length; i++) probs[i] = (probs[i] as number) / curves.length;
  return { probs, auc: curveAuc(probs) };
}

/**
 * Plain-words verdict of one result: whether the map beats the random floor on each game
 * (deletion AUC below the floor's, insertion AUC above it).
 */
export function beatsRandom(
  r: Pick<FaithfulnessResult, 'deletion' | 'insertion' | 'randomDeletion' | 'randomInsertion'>,
): {
  deletion: boolean;
  insertion: boolean;
} {
  return { deletion: r.deletion.auc < r.randomDeletion.auc, insertion: r.insertion.auc > r.randomInsertion.auc };
}

/**
 * `n` distinct indices of a set of `count` items, a seeded random sample in ascending order: the images a
 * set-level check uses. Random rather than every (count/n)-th: bundled sets are stored in a periodic class
 * order (class = index mod 10), which an even stride can alias to one class.
 */
export function sampleIndices(count: number, n: number, seed = 1): number[] {
  return Array.from(randomOrder(count, seed).subarray(0, Math.min(count, n))).sort((a, b) => a - b);
}
