/**
 * The explanation contract. One interface, one file per method, one registry (registry.ts, with `run`;
 * worker side) and one catalog (catalog.ts, metadata only, no tfjs; page side).
 *
 * Spaces and units:
 * - An `ImageInput` is the image *as the model sees it before normalisation*: resized to the model's
 *   input size, converted to its channel count, pixel values p ∈ [0, 1], layout HWC (row-major).
 * - The `ModelAdapter` applies the model's normalisation itself, so every gradient and every baseline is in
 *   pixel space: "black" is 0, "white" is 1, noise is a fraction of the range 1.
 * - An `Attribution` is an H'×W' map (row-major Float32Array) at the model's input resolution
 *   (Grad-CAM maps are upsampled to it). It never holds a tensor.
 */
import type * as tf from '@tensorflow/tfjs';
import type { ModelInfo } from '@/lib/models/types';

export type MethodId =
  | 'saliency'
  | 'gradient-x-input'
  | 'smoothgrad'
  | 'integrated-gradients'
  | 'grad-cam'
  | 'grad-cam-plus-plus'
  | 'occlusion'
  | 'rise';

/** What a method needs from the model. */
export type ModelCapability = 'inputGradients' | 'layerGradients' | 'logitsOnly';

/** Which scalar was differentiated / perturbed. */
export type ScoreKind = 'logit' | 'probability';

export interface ImageInput {
  width: number;
  height: number;
  channels: number;
  /** length = height·width·channels, HWC, values in [0, 1]. Never mutated by methods. */
  data: Float32Array;
}

/** Typed description of one parameter, from which the UI draws its control. */
export type ParamSpec =
  | { kind: 'number'; label: string; help: string; min: number; max: number; step: number; integer?: boolean }
  | { kind: 'select'; label: string; help: string; options: readonly { value: string; label: string }[] }
  | { kind: 'boolean'; label: string; help: string }
  | { kind: 'layer'; label: string; help: string }
  /** An optional user image (an `ImageInput` at the model's size), e.g. a custom IG baseline. */
  | { kind: 'image'; label: string; help: string }
  /** An optional list of class indices (null = all classes), e.g. occlusion's per-class maps. */
  | { kind: 'classes'; label: string; help: string };

export type ConfigSpec<C> = { [K in keyof C]: ParamSpec };

export interface RunOptions {
  signal?: AbortSignal;
  /** Called with a fraction in [0, 1] as chunks complete. */
  onProgress?: (fraction: number) => void;
}

export interface Attribution {
  method: MethodId;
  target: number;
  width: number;
  height: number;
  /** length = width·height, row-major; finite numbers. */
  values: Float32Array;
  /** True: positive and negative evidence (diverging colormap). False: magnitude (sequential colormap). */
  signed: boolean;
  scoreKind: ScoreKind;
  /** The configuration actually used (defaults filled in). */
  config: Record<string, unknown>;
  timings: { totalMs: number; forwardPasses: number };
  /** Method-specific extras, e.g. IG's completeness error, occlusion's per-class maps. */
  extras?: Record<string, unknown>;
}

/**
 * The only door from a method to a model. Every function is synchronous and returns new tensors: call it
 * inside `tf.tidy`. Inputs are pixel-space batches x: [n, h, w, c] with p ∈ [0, 1].
 */
export interface ModelAdapter {
  readonly info: ModelInfo;
  /** Class scores [n, K]: logits when `info.outputKind === 'logits'`, probabilities otherwise. */
  scores(x: tf.Tensor4D): tf.Tensor2D;
  /** Probabilities [n, K] (softmax of the logits, or the outputs as they are). */
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
   * Optional instrumentation: how many batched model invocations (`calls`, a forward or forward+backward
   * pass over one batch) and how many images (`images`, the sum of batch sizes) went through the model
   * since creation or the last `resetCounters()`.
   */
  readonly counters?: { readonly calls: number; readonly images: number };
  resetCounters?(): void;
  /** Releases the model, its cached sub-models and every tensor it owns. */
  dispose(): void;
}

/**
 * `(config: C) => boolean`, declared with method syntax so that an `ExplainMethod<SpecificConfig>` can be
 * stored in a registry typed `ExplainMethod` (method parameters are bivariant in TypeScript).
 */
export type BivariantPredicate<C> = { bivarianceHack(config: C): boolean }['bivarianceHack'];

export interface ExplainMethod<C extends Record<string, unknown> = Record<string, unknown>> {
  id: MethodId;
  label: string;
  /** One line a domain expert can read. */
  description: string;
  /** Longer plain-language help: what it shows, when it misleads. */
  help: string;
  referenceUrl?: string;
  requires: readonly ModelCapability[];
  /** Whether the map is signed for the default configuration. */
  signed: boolean | BivariantPredicate<C>;
  defaultConfig: C;
  configSpec: ConfigSpec<C>;
  isCompatible(model: ModelInfo): boolean;
  run(adapter: ModelAdapter, input: ImageInput, target: number, config: Partial<C>, opts?: RunOptions): Promise<Attribution>;
}

/**
 * A method's plain metadata: everything of `ExplainMethod` except `run`. The catalog (catalog.ts) holds one
 * per method and imports no TensorFlow.js, so the page can list, describe and configure methods without it.
 */
export type MethodMeta<C extends Record<string, unknown> = Record<string, unknown>> = Omit<ExplainMethod<C>, 'run'>;

/** Thrown for bad requests (target out of range, unknown layer, incompatible model). */
export class ExplainError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExplainError';
  }
}
