/**
 * The gradient core shared by saliency, gradient × input, SmoothGrad, Integrated Gradients and Guided IG:
 * one batched call to `adapter.inputGradients` inside one `tf.tidy`, results copied out to plain arrays.
 */
import * as tf from '@tensorflow/tfjs';
import { take } from './common';
import type { ImageInput, ModelAdapter, ScoreKind } from './types';

export interface GradientBatch {
  /** ∂ score[target] / ∂ x, n·h·w·c values (HWC per item), pixel space. */
  grads: Float32Array;
  /** The differentiated score of each item for `target` (length n). */
  targetScores: Float32Array;
  scoreKind: ScoreKind;
}

/** Gradients for n stacked HWC images in `data` (length n·h·w·c). One model call. */
export async function gradientBatch(
  adapter: ModelAdapter,
  data: Float32Array,
  n: number,
  input: ImageInput,
  target: number,
): Promise<GradientBatch> {
  // Where the worker split long passes (lib/runtime/segmented-gradients.ts): in pieces, Cancel between them.
  const pieces = await adapter.inputGradientsInPieces?.(data, n, input, target);
  if (pieces) return pieces;
  let kind: ScoreKind = 'logit';
  const [g, s] = tf.tidy(() => {
    const x = tf.tensor4d(data, [n, input.height, input.width, input.channels]);
    const r = adapter.inputGradients(x, target);
    kind = r.scoreKind;
    return [r.grads, tf.slice(r.scores, [0, target], [-1, 1])];
  });
  const [grads, targetScores] = await Promise.all([take(g as tf.Tensor), take(s as tf.Tensor)]);
  return { grads, targetScores, scoreKind: kind };
}

/**
 * The target's score (`adapter.scores`, the same scalar the gradients differentiate) for each of the given
 * HWC images (each of length h·w·c). One forward call over the stacked batch.
 */
export async function targetScores(
  adapter: ModelAdapter,
  images: readonly Float32Array[],
  input: ImageInput,
  target: number,
): Promise<Float32Array> {
  const size = input.height * input.width * input.channels;
  const batch = new Float32Array(images.length * size);
  images.forEach((img, i) => batch.set(img, i * size));
  const s = tf.tidy(() =>
    tf.slice(
      adapter.scores(tf.tensor4d(batch, [images.length, input.height, input.width, input.channels])),
      [0, target],
      [-1, 1],
    ),
  );
  return take(s);
}
