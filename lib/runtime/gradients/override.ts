/**
 * Re-registering one of tfjs' gradients around the one registered before (tfjs keeps one global gradient
 * per kernel name): the wrapper keeps the saved inputs/outputs of the base and may call it. Shared by
 * fast-gradients (Conv2D, MaxPool, FusedBatchNorm on WASM) and this folder (depthwise, MaxPool).
 */
import * as tf from '@tensorflow/tfjs';

export type ConvPad =
  'same' | 'valid' | number | [[number, number], [number, number], [number, number], [number, number]];
export type PoolPad = 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
type Rounding = 'floor' | 'round' | 'ceil';
/** Input name → lazy gradient (tfjs' NamedGradientMap). */
export type GradMap = ReturnType<tf.GradConfig['gradFunc']>;

/** The attributes of Conv2D and DepthwiseConv2dNative that the input gradients read. */
export interface ConvAttrs {
  strides: number | [number, number];
  pad: ConvPad;
  dilations?: number | [number, number];
  dataFormat?: string;
  dimRoundingMode?: Rounding;
}

/** The attributes of MaxPool that its input gradients read. */
export interface PoolAttrs {
  filterSize: number | [number, number];
  strides: number | [number, number];
  pad: PoolPad;
  dimRoundingMode?: Rounding;
}

/**
 * Registers `gradFunc` as `kernelName`'s gradient, with the saved tensors of the gradient registered before
 * (the base). `attrs` are the kernel's attributes, typed as `A`; `baseGrads()` runs the base gradient on the
 * same arguments. Returns the base, so that a caller can restore it with `tf.registerGradient`.
 */
export function overrideGradient<A>(
  kernelName: string,
  gradFunc: (dy: tf.Tensor, saved: tf.Tensor[], attrs: A, baseGrads: () => GradMap) => GradMap,
): tf.GradConfig {
  const base = tf.getGradient(kernelName);
  tf.registerGradient({
    kernelName,
    inputsToSave: base.inputsToSave,
    outputsToSave: base.outputsToSave,
    gradFunc: (dy, saved, attrs) =>
      gradFunc(dy as tf.Tensor, saved, attrs as unknown as A, () => base.gradFunc(dy, saved, attrs)),
  });
  return base;
}
