/**
 * Input gradient of a depthwise convolution with forward kernels only, and the `DepthwiseConv2dNative`
 * gradient that uses it where the backend lacks `DepthwiseConv2dNativeBackpropInput` (tfjs-backend-wasm 4.22).
 *
 * Maths (NHWC; filter W [kh, kw, c, m], output channel c·m + j):
 *   y[i, o, c·m + j] = Σ_{u,v} x[s·i + d·u − top, s·o + d·v − left, c] · W[u, v, c, j]
 * so, as for a full convolution (Dumoulin & Visin 2016, https://arxiv.org/abs/1603.07285, §4),
 *   dx[·, ·, c] = Σ_j depthwise(dilate(dy, s), rot180(W))[·, ·, c·m + j]     (stride 1, dilation d)
 * with padding (kₑ − 1 − top, H − 1 + top − (oh − 1)·s) rows (kₑ = d·(kh − 1) + 1, the effective kernel) and
 * likewise for columns. A negative padding (explicit paddings wider than the kernel) is applied as a crop.
 * Exact up to float rounding; tested against the CPU backend's `DepthwiseConv2dNativeBackpropInput`.
 */
import * as tf from '@tensorflow/tfjs';

import { overrideGradient, type ConvAttrs } from './override';

/** Inserts s − 1 zeros between the rows (sh) and columns (sw) of x [n, h, w, c]: [(h−1)·sh+1, (w−1)·sw+1]. */
export function dilate2d(x: tf.Tensor4D, sh: number, sw: number): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  let y = x;
  if (sh > 1)
    y = tf.reshape(
      tf.pad(tf.reshape(y, [n, h, 1, w * c]), [
        [0, 0],
        [0, 0],
        [0, sh - 1],
        [0, 0],
      ]),
      [n, h * sh, w, c],
    );
  if (sw > 1)
    y = tf.reshape(
      tf.pad(tf.reshape(y, [n * h * sh, w, 1, c]), [
        [0, 0],
        [0, 0],
        [0, sw - 1],
        [0, 0],
      ]),
      [n, h * sh, w * sw, c],
    );
  return sh > 1 || sw > 1 ? tf.slice(y, [0, 0, 0, 0], [n, (h - 1) * sh + 1, (w - 1) * sw + 1, c]) : y;
}

/**
 * Padding (per side; may be negative = crop) of the stride-1 "transposed" convolution over dilate(dy, s)
 * that yields the input gradient of a convolution with geometry `info`.
 */
export function transposedPadding(info: tf.backend_util.Conv2DInfo): {
  top: number;
  bottom: number;
  left: number;
  right: number;
} {
  const { top, left } = info.padInfo;
  return {
    top: info.effectiveFilterHeight - 1 - top,
    bottom: info.inHeight - 1 + top - (info.outHeight - 1) * info.strideHeight,
    left: info.effectiveFilterWidth - 1 - left,
    right: info.inWidth - 1 + left - (info.outWidth - 1) * info.strideWidth,
  };
}

/** Pads with the non-negative parts of `p` (NHWC spatial axes) and crops the negative ones. */
export function padOrCrop(
  x: tf.Tensor4D,
  p: { top: number; bottom: number; left: number; right: number },
): tf.Tensor4D {
  const pos = (v: number) => Math.max(0, v);
  let y = x;
  if (p.top > 0 || p.bottom > 0 || p.left > 0 || p.right > 0) {
    y = tf.pad(y, [
      [0, 0],
      [pos(p.top), pos(p.bottom)],
      [pos(p.left), pos(p.right)],
      [0, 0],
    ]);
  }
  if (p.top < 0 || p.bottom < 0 || p.left < 0 || p.right < 0) {
    const [n, h, w, c] = y.shape;
    const t = pos(-p.top);
    const l = pos(-p.left);
    y = tf.slice(y, [0, t, l, 0], [n, h - t - pos(-p.bottom), w - l - pos(-p.right), c]);
  }
  return y;
}

/**
 * ∂L/∂x of `y = depthwiseConv2d(x, filter, strides, pad, 'NHWC', dilations)` given dy = ∂L/∂y [n, oh, ow, c·m].
 * filter: [kh, kw, c, m]; returns [n, H, W, c] = xShape. Synchronous tensor code (call inside a tidy).
 */
export function depthwiseInputGradient(
  dy: tf.Tensor4D,
  filter: tf.Tensor4D,
  xShape: [number, number, number, number],
  { strides, pad, dilations = 1, dimRoundingMode }: ConvAttrs,
): tf.Tensor4D {
  const info = tf.backend_util.computeConv2DInfo(
    xShape,
    filter.shape,
    strides,
    dilations,
    pad,
    dimRoundingMode,
    true,
    'channelsLast',
  );
  if (dy.shape[1] !== info.outHeight || dy.shape[2] !== info.outWidth || dy.shape[3] !== info.outChannels) {
    throw new Error(
      `depthwise input gradient: dy has shape [${dy.shape.join(', ')}], expected [n, ${info.outHeight}, ${info.outWidth}, ${info.outChannels}]`,
    );
  }
  const [kh, kw, c, m] = filter.shape;
  return tf.tidy(() => {
    const flipped = kh === 1 && kw === 1 ? filter : tf.reverse(filter, [0, 1]);
    const k = tf.reshape(flipped, [kh, kw, c * m, 1]) as tf.Tensor4D;
    const src = padOrCrop(dilate2d(dy, info.strideHeight, info.strideWidth), transposedPadding(info));
    const r = tf.depthwiseConv2d(src, k, 1, 'valid', 'NHWC', [info.dilationHeight, info.dilationWidth]);
    if (m === 1) return r;
    const [n, H, W] = r.shape;
    return tf.sum(tf.reshape(r, [n, H, W, c, m]), 4) as tf.Tensor4D;
  });
}

/** Whether the active backend has a kernel (e.g. a backprop kernel) registered. */
export function backendHasKernel(kernelName: string): boolean {
  return tf.getKernel(kernelName, tf.getBackend()) != null;
}

let baseDepthwise: tf.GradConfig | null = null;

/**
 * Re-registers the `DepthwiseConv2dNative` gradient so that its input gradient uses
 * {@link depthwiseInputGradient} where `DepthwiseConv2dNativeBackpropInput` is missing (WASM); elsewhere and
 * for the filter gradient, tfjs' own code runs. Idempotent.
 */
export function installDepthwiseGradient(): void {
  if (baseDepthwise) return;
  baseDepthwise = overrideGradient<ConvAttrs>('DepthwiseConv2dNative', (dy, saved, a, baseGrads) => {
    const grads = baseGrads();
    if (backendHasKernel('DepthwiseConv2dNativeBackpropInput')) return grads;
    const [x, filter] = saved as [tf.Tensor4D, tf.Tensor4D];
    return {
      ...grads,
      x: () => depthwiseInputGradient(dy as tf.Tensor4D, filter, x.shape, a),
    };
  });
}
