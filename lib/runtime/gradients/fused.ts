/**
 * Lazy gradients for tfjs' fused ops, registered under the scope names that their tape nodes carry
 * (`fusedConv2d__op`, `fusedDepthwiseConv2d__op`, `fusedMatMul__op`; see tape-attrs.ts for why those names
 * and how the attributes arrive).
 *
 * tfjs' own gradients of these ops (tfjs-core 4.22 `ops/fused/*.js`) compute every gradient at once: the
 * input gradient of a converted model's `_FusedConv2D` also runs `Conv2DBackpropFilter`, which the WASM
 * backend lacks, so no input gradient could be taken there. These return one thunk per input instead
 * (`0` = x / a, `1` = filter / b, `2` = bias); the tape calls only the thunks of inputs that depend on the
 * differentiated input, so for constant weights the filter and bias gradients never run.
 *
 * Maths (the same as tfjs'; dyₐ = dy for a linear activation, dy · step(y) for relu):
 * - conv2d:    dx = conv2dᵀ(dyₐ, W) (via fast-gradients' forward-conv route), dW = Conv2DBackpropFilter(x, dyₐ),
 *              db = Σ over the broadcast axes of dyₐ.
 * - depthwise: dx = depthwiseInputGradient(dyₐ, W) (forward depthwise conv, depthwise.ts), dW = backprop-filter kernel.
 * - matMul:    for y = op(a)·op(b): da, db by the four transpose cases; dbias as above.
 * Only linear and relu activations reach these gradients: for any other activation tfjs runs the unfused
 * ops inside a tape (`shouldFuse`).
 */
import * as tf from '@tensorflow/tfjs';
import { conv2dInputGradient } from '../fast-gradients';
import { depthwiseInputGradient } from './depthwise';
import type { ConvAttrs } from './override';
import { requireFusedAttrs } from './tape-attrs';

type Activation = 'linear' | 'relu' | string | undefined;

/** dy through the fused activation: identity (linear) or dy · step(y) (relu; y is the op's output). */
function activationGrad(dy: tf.Tensor, y: tf.Tensor, activation: Activation, op: string): tf.Tensor {
  if (activation == null || activation === 'linear') return dy;
  if (activation === 'relu') return tf.mul(dy, tf.step(y));
  throw new Error(
    `the gradient of ${op} with the fused activation '${activation}' is not implemented (tfjs unfuses it inside a gradient)`,
  );
}

/** Gradient of a broadcast bias: dy summed over the axes the bias was broadcast along, in the bias' shape. */
function biasGrad(bias: tf.Tensor, dy: tf.Tensor): tf.Tensor {
  const axes = tf.backend_util.getReductionAxes(bias.shape, dy.shape);
  return tf.reshape(axes.length > 0 ? tf.sum(dy, axes) : dy, bias.shape);
}

function assertUnitDilation(dilations: number | [number, number] | undefined, op: string): void {
  const d = dilations ?? 1;
  const ok = Array.isArray(d) ? d.every((v) => v === 1) : d === 1;
  if (!ok) throw new Error(`the gradient of ${op} with dilations ${String(d)} is not supported (tfjs has none either)`);
}

interface FusedConvAttrs extends ConvAttrs {
  activation?: Activation;
}

/** `tf.fused.conv2d` (the `_FusedConv2D` of converted models): saved = [filter, x4D, y, bias?]. */
export const fusedConv2dGradConfig: tf.GradConfig = {
  kernelName: 'fusedConv2d__op',
  gradFunc: (dy, saved, attrs) => {
    const a = requireFusedAttrs<FusedConvAttrs>(attrs, 'fused conv2d');
    if ((a.dataFormat ?? 'NHWC') !== 'NHWC') throw new Error('the gradient of fused conv2d supports NHWC only');
    assertUnitDilation(a.dilations, 'fused conv2d');
    const [filter, x, y, bias] = saved as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D, tf.Tensor | undefined];
    const g = () => activationGrad(dy as tf.Tensor, y, a.activation, 'fused conv2d') as tf.Tensor4D;
    const grads: Record<string, () => tf.Tensor> = {
      0: () => {
        const d = g();
        return (
          conv2dInputGradient(d, filter, x.shape, a) ??
          tf.conv2dTranspose(d, filter, x.shape, a.strides, a.pad as 'same', a.dimRoundingMode)
        );
      },
      1: () =>
        tf.engine().runKernel('Conv2DBackpropFilter', { x, dy: g() }, {
          strides: a.strides,
          pad: a.pad,
          dataFormat: 'NHWC',
          dimRoundingMode: a.dimRoundingMode,
          filterShape: filter.shape,
        } as unknown as tf.NamedAttrMap) as tf.Tensor,
    };
    if (bias) grads[2] = () => biasGrad(bias, g());
    return grads;
  },
};

/** `tf.fused.depthwiseConv2d` (`FusedDepthwiseConv2dNative`): saved = [filter, x4D, y, bias?]. */
export const fusedDepthwiseConv2dGradConfig: tf.GradConfig = {
  kernelName: 'fusedDepthwiseConv2d__op',
  gradFunc: (dy, saved, attrs) => {
    const a = requireFusedAttrs<FusedConvAttrs>(attrs, 'fused depthwiseConv2d');
    assertUnitDilation(a.dilations, 'fused depthwiseConv2d');
    const [filter, x, y, bias] = saved as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D, tf.Tensor | undefined];
    const g = () => activationGrad(dy as tf.Tensor, y, a.activation, 'fused depthwiseConv2d') as tf.Tensor4D;
    const grads: Record<string, () => tf.Tensor> = {
      0: () => depthwiseInputGradient(g(), filter, x.shape, { ...a, dilations: 1 }),
      1: () =>
        tf.engine().runKernel('DepthwiseConv2dNativeBackpropFilter', { x, dy: g() }, {
          strides: a.strides,
          pad: a.pad,
          dilations: 1,
          dimRoundingMode: a.dimRoundingMode,
          filterShape: filter.shape,
        } as unknown as tf.NamedAttrMap) as tf.Tensor,
    };
    if (bias) grads[2] = () => biasGrad(bias, g());
    return grads;
  },
};

interface MatMulAttrs {
  transposeA: boolean;
  transposeB: boolean;
  activation?: Activation;
}

/** `tf.fused.matMul` (`_FusedMatMul`): saved = [a3D, b3D, y, bias?] (rank 3: [batch, rows, cols]). */
export const fusedMatMulGradConfig: tf.GradConfig = {
  kernelName: 'fusedMatMul__op',
  gradFunc: (dy, saved, attrs) => {
    const { transposeA: tA, transposeB: tB, activation } = requireFusedAttrs<MatMulAttrs>(attrs, 'fused matMul');
    const [a, b, y, bias] = saved as [tf.Tensor3D, tf.Tensor3D, tf.Tensor3D, tf.Tensor | undefined];
    const g = () => activationGrad(tf.reshape(dy as tf.Tensor, y.shape), y, activation, 'fused matMul') as tf.Tensor3D;
    const grads: Record<string, () => tf.Tensor> = {
      0: () =>
        !tA ? tf.matMul(g(), b, false, !tB) : tB ? tf.matMul(b, g(), true, true) : tf.matMul(b, g(), false, true),
      1: () =>
        !tB ? tf.matMul(a, g(), !tA, false) : tA ? tf.matMul(g(), a, true, true) : tf.matMul(g(), a, true, false),
    };
    if (bias) grads[2] = () => biasGrad(bias, g());
    return grads;
  },
};
