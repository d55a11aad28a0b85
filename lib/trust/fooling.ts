/**
 * Fooling images (issue 15 item 4): start from grey or noise and climb the gradient of one class score until
 * the model is confident, with or without the regularisers of feature visualisation (random jitter of the
 * image by up to 2 pixels each step, a light blur every 4 steps — Olah et al., "Feature Visualization",
 * Distill 2017, https://distill.pub/2017/feature-visualization/). "Entirely synthetic images get very
 * confident predictions" — this shows how easily. Uses the input-gradient path of the methods. Worker side.
 */
import * as tf from '@tensorflow/tfjs';
import { abortError, nextTick, take } from '@/lib/explain/common';
import type { ImageInput, ModelAdapter } from '@/lib/models/adapter-types';
import { ExplainError } from '@/lib/models/adapter-types';
import { mulberry32 } from '@/lib/random';
import { blurImage } from './faithfulness';

export interface FoolingOptions {
  start?: 'grey' | 'noise';
  /** Gradient steps (default 64), integer 1 … 1000. */
  steps?: number;
  /** Step size in pixel units per step, on the gradient scaled to mean |g| = 1 (default 0.02). */
  stepSize?: number;
  /** Jitter and blur (default true). */
  regularise?: boolean;
  seed?: number;
  signal?: AbortSignal;
  onProgress?: (f: number) => void;
}

export interface FoolingResult {
  /** The image reached (HWC, [0, 1]). */
  data: Float32Array;
  /** The target's probability before the first step and after each step (length steps + 1). */
  trajectory: Float32Array;
  /** All class probabilities of the final image. */
  probs: Float32Array;
}

/** `data` (HWC) shifted by (dy, dx) pixels with wrap-around. */
export function roll(
  data: Float32Array,
  shape: Pick<ImageInput, 'height' | 'width' | 'channels'>,
  dy: number,
  dx: number,
): Float32Array {
  const { height: h, width: w, channels: c } = shape;
  const out = new Float32Array(data.length);
  for (let r = 0; r < h; r++)
    for (let col = 0; col < w; col++) {
      const src = ((((r - dy) % h) + h) % h) * w + ((((col - dx) % w) + w) % w);
      for (let ch = 0; ch < c; ch++) out[(r * w + col) * c + ch] = data[src * c + ch] as number;
    }
  return out;
}

async function targetProbs(adapter: ModelAdapter, data: Float32Array, shape: ImageInput): Promise<Float32Array> {
  return take(tf.tidy(() => adapter.probabilities(tf.tensor4d(data, [1, shape.height, shape.width, shape.channels]))));
}

/**
 * What the optimiser climbs, for one image x [1, h, w, c] in pixel space. Both synchronous (called inside
 * `tf.tidy`): `gradient` is ∂ objective / ∂ x, `value` a tensor whose first number is the objective.
 */
export interface AscentObjective {
  gradient(x: tf.Tensor4D): tf.Tensor4D;
  value(x: tf.Tensor4D): tf.Tensor;
}

/** The image an ascent reached and the objective before the first step and after each (length steps + 1). */
export interface AscentResult {
  data: Float32Array;
  trajectory: Float32Array;
}

/**
 * Gradient ascent on `objective` from grey (0.5) or seeded noise, in [0, 1]: each step moves by `stepSize`
 * on the gradient scaled to mean |g| = 1; with `regularise`, the image is jittered by up to 2 pixels before
 * each gradient (and the gradient rolled back) and lightly blurred every 4 steps. Shared by fooling images
 * (a class score) and feature visualisation (a channel's mean activation).
 */
export async function gradientAscent(
  shape: Pick<ImageInput, 'height' | 'width' | 'channels'>,
  objective: AscentObjective,
  opts: FoolingOptions = {},
): Promise<AscentResult> {
  const steps = opts.steps ?? 64;
  if (!Number.isInteger(steps) || steps < 1 || steps > 1000)
    throw new ExplainError(`steps must be an integer from 1 to 1000, got ${steps}`);
  const lr = opts.stepSize ?? 0.02;
  const rand = mulberry32(opts.seed ?? 1);
  const size = shape.height * shape.width * shape.channels;
  const img: ImageInput = {
    ...shape,
    data: Float32Array.from({ length: size }, () => (opts.start === 'noise' ? rand() : 0.5)),
  };
  const as4d = (d: Float32Array) => tf.tensor4d(d, [1, img.height, img.width, img.channels]);
  const valueOf = async () => (await take(tf.tidy(() => objective.value(as4d(img.data)))))[0] as number;
  const regularise = opts.regularise ?? true;
  const trajectory = new Float32Array(steps + 1);
  trajectory[0] = await valueOf();
  for (let s = 0; s < steps; s++) {
    if (opts.signal?.aborted) throw abortError();
    const dy = regularise ? Math.floor(rand() * 5) - 2 : 0;
    const dx = regularise ? Math.floor(rand() * 5) - 2 : 0;
    const moved = dy || dx ? roll(img.data, img, dy, dx) : img.data;
    const g = await take(tf.tidy(() => objective.gradient(as4d(moved))));
    const back = dy || dx ? roll(g, img, -dy, -dx) : g;
    let mean = 0;
    for (const v of back) mean += Math.abs(v);
    mean = Math.max(mean / back.length, 1e-12);
    for (let i = 0; i < size; i++)
      img.data[i] = Math.min(1, Math.max(0, (img.data[i] as number) + (lr * (back[i] as number)) / mean));
    if (regularise && s % 4 === 3)
      img.data.set(blurImage(img, 1).data.map((v, i) => 0.5 * v + 0.5 * (img.data[i] as number)));
    trajectory[s + 1] = await valueOf();
    opts.onProgress?.((s + 1) / steps);
    await nextTick();
  }
  return { data: img.data, trajectory };
}

/** Gradient ascent on the score of class `target` from grey (0.5) or seeded noise. */
export async function foolingImage(
  adapter: ModelAdapter,
  shape: Pick<ImageInput, 'height' | 'width' | 'channels'>,
  target: number,
  opts: FoolingOptions = {},
): Promise<FoolingResult> {
  const k = adapter.info.numClasses;
  if (!Number.isInteger(target) || target < 0 || target >= k)
    throw new ExplainError(`target class ${target} is out of range: this model has ${k} classes (0…${k - 1})`);
  const r = await gradientAscent(
    shape,
    {
      gradient: (x) => adapter.inputGradients(x, target).grads,
      value: (x) => tf.slice(adapter.probabilities(x), [0, target], [1, 1]),
    },
    opts,
  );
  return { ...r, probs: await targetProbs(adapter, r.data, { ...shape, data: r.data }) };
}
