/**
 * The contract between a loaded model and the code that explains it: the `ModelAdapter` (the only door from
 * an explanation method to a model), the image it takes (`ImageInput`) and the error both sides throw for
 * bad requests (`ExplainError`). They live on the models side so that lib/models does not import
 * lib/explain (lib/explain imports these and re-exports them under their old names from lib/explain/types).
 *
 * Spaces and units:
 * - An `ImageInput` is the image *as the model sees it before normalisation*: resized to the model's input
 *   size, converted to its channel count, pixel values p ∈ [0, 1], layout HWC (row-major).
 * - The adapter applies the model's normalisation itself, so every gradient is in pixel space.
 *
 * No tensor values are created here: the TensorFlow.js import is type-only.
 */
import type * as tf from '@tensorflow/tfjs';
import type { ModelInfo } from './types';
import type { OutputScoreKind } from './output-kind';
import type { GradientSegments } from './gradient-segments';

/** Which scalar was differentiated / perturbed ('value': a regression output). */
export type ScoreKind = OutputScoreKind;

export interface ImageInput {
  width: number;
  height: number;
  channels: number;
  /** length = height·width·channels, HWC, values in [0, 1]. Never mutated by methods. */
  data: Float32Array;
}

/**
 * The only door from a method to a model. Every function is synchronous and returns new tensors: call it
 * inside `tf.tidy`. Inputs are pixel-space batches x: [n, h, w, c] with p ∈ [0, 1].
 */
export interface ModelAdapter {
  readonly info: ModelInfo;
  /**
   * Class scores [n, numClasses], the numbers methods explain (output-kind.ts): logits, probabilities,
   * [−z, z] / [1 − p, p] for a binary model with one output, or the values of a regression model.
   */
  scores(x: tf.Tensor4D): tf.Tensor2D;
  /**
   * Probabilities [n, numClasses]: softmax of logits, [1 − p, p] for one sigmoid, independent (not
   * normalised) for multi-label; for regression the values themselves (what occlusion and RISE perturb).
   */
  probabilities(x: tf.Tensor4D): tf.Tensor2D;
  /**
   * ∂ scores[i, target] / ∂ x[i] for every i in the batch (the batch items are independent).
   * `scoreKind` says which scalar was differentiated.
   */
  inputGradients(x: tf.Tensor4D, target: number): { grads: tf.Tensor4D; scores: tf.Tensor2D; scoreKind: ScoreKind };
  /**
   * Activations A [n, h', w', k] of a spatial layer and ∂ scores[i, target] / ∂ A[i].
   * `layer` must be one of `info.spatialLayers`.
   */
  layerGradients(
    x: tf.Tensor4D,
    layer: string,
    target: number,
  ): { activations: tf.Tensor4D; grads: tf.Tensor4D; scores: tf.Tensor2D; scoreKind: ScoreKind };
  /**
   * Optional (feature visualisation): `means` [n], the mean activation of channel `channel` of spatial layer
   * `layer` over its h'×w' positions for each image, and ∂ means[i] / ∂ x[i] (pixel space, like
   * `inputGradients`). `layer` must be one of `info.spatialLayers`; `channel` in [0, k).
   */
  channelGradients?(x: tf.Tensor4D, layer: string, channel: number): { grads: tf.Tensor4D; means: tf.Tensor1D };
  /**
   * Optional (the Activations panel): the activations [n, h', w', k] of spatial layer `layer`, forward only —
   * no gradient is taken (`layerGradients` gives the same activations at the price of a backward pass).
   */
  layerActivations?(x: tf.Tensor4D, layer: string): tf.Tensor4D;
  /**
   * Optional: the model as ordered steps, for an input gradient taken in pieces
   * (lib/runtime/segmented-gradients.ts); checks `target` and counts one call of `n` images. Null where the
   * model cannot be split (then `inputGradients` is the way).
   */
  gradientSegments?(target: number, n: number): GradientSegments | null;
  /**
   * Optional, added by the worker where one pass is long: the input gradients of `n` stacked HWC images as
   * plain arrays, computed in pieces with a yield between them (a Cancel stops it at the next piece). The
   * same numbers as `inputGradients`; null where the model cannot be split.
   */
  inputGradientsInPieces?(
    data: Float32Array,
    n: number,
    input: ImageInput,
    target: number,
  ): Promise<{ grads: Float32Array; targetScores: Float32Array; scoreKind: ScoreKind } | null>;
  /**
   * Optional instrumentation: how many batched model invocations (`calls`, a forward or forward+backward
   * pass over one batch) and how many images (`images`, the sum of batch sizes) went through the model
   * since creation or the last `resetCounters()`.
   */
  readonly counters?: { readonly calls: number; readonly images: number };
  resetCounters?(): void;
  /** Releases the model, its cached sub-models and every tensor it owns. */
  dispose(): void;
}

/** Thrown for bad requests (target out of range, unknown layer, incompatible model, parameter out of range). */
export class ExplainError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExplainError';
  }
}
