/**
 * The gradient core shared by saliency, gradient × input, SmoothGrad and Integrated Gradients: one
 * batched call to `adapter.inputGradients` inside one `tf.tidy`, results copied out to plain arrays.
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
export async function gradientBatch(adapter: ModelAdapter, data: Float32Array, n: number, input: ImageInput, target: number): Promise<GradientBatch> {
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
