/**
 * An exact `MaxPool` input gradient for every pool geometry (overlapping windows, padding), for the WASM
 * backend, whose `MaxPoolGrad` (tfjs-backend-wasm 4.22) is wrong for windows of negative values: on the
 * corpus (converted Keras models with BatchNorm before the pool, e.g. human/liveness) WASM input
 * gradients disagreed with the CPU backend and with finite differences by 75–95 % of their size.
 * fast-gradients.ts already covered non-overlapping pools (and is used first here); this covers the rest
 * (mini-Xception's 3×3 / stride 2 'same' pools, …).
 *
 * Maths: with x padded by −∞ to xp, the window of output (i, j) reads xp[s·i + u, s·j + v] for the k_h·k_w
 * offsets (u, v). The gradient routes dy[i, j] to the first (row-major) maximum of its window, as tfjs' CPU
 * kernel does. Per offset, in row-major order:
 *   eq_uv = (xp[s·i + u, s·j + v] == y[i, j]),  win_uv = eq_uv · (1 − claimed),  claimed += win_uv,
 *   dxp += place_uv(win_uv · dy)
 * where place_uv spreads an [oh, ow] map by the stride and shifts it by (u, v) (dilate + zero-pad). Then
 * dx is dxp without the padding. Only forward kernels (strided slice, equal, pad); exact.
 */
import * as tf from '@tensorflow/tfjs';
import { maxPoolInputGradient } from '../fast-gradients';
import { dilate2d } from './depthwise';
import { overrideGradient, type PoolAttrs } from './override';

/**
 * ∂L/∂x of `y = maxPool(x, filterSize, strides, pad)` (NHWC) given dy [n, oh, ow, c] and the pool's output y.
 * Ties go to the first maximum of a window (row-major), like tfjs' CPU kernel. Synchronous tensor code.
 */
export function maxPoolGradient(
  dy: tf.Tensor4D,
  x: tf.Tensor4D,
  y: tf.Tensor4D,
  { filterSize, strides, pad, dimRoundingMode }: PoolAttrs,
): tf.Tensor4D {
  const info = tf.backend_util.computePool2DInfo(x.shape, filterSize, strides, 1, pad, dimRoundingMode);
  const { top, bottom, left, right } = info.padInfo;
  const [kh, kw, sh, sw, oh, ow] = [
    info.filterHeight,
    info.filterWidth,
    info.strideHeight,
    info.strideWidth,
    info.outHeight,
    info.outWidth,
  ];
  const [n, H, W, c] = x.shape;
  return tf.tidy(() => {
    const needH = (oh - 1) * sh + kh;
    const needW = (ow - 1) * sw + kw;
    // −∞ padding never wins a window (a window always holds at least one real value).
    const padB = Math.max(bottom, needH - H - top);
    const padR = Math.max(right, needW - W - left);
    const xp =
      top || padB || left || padR
        ? tf.pad(
            x,
            [
              [0, 0],
              [top, padB],
              [left, padR],
              [0, 0],
            ],
            -Infinity,
          )
        : x;
    const [Hp, Wp] = [xp.shape[1], xp.shape[2]];
    let claimed: tf.Tensor4D = tf.zerosLike(y);
    const parts: tf.Tensor4D[] = [];
    for (let u = 0; u < kh; u++) {
      for (let v = 0; v < kw; v++) {
        const xuv = tf.stridedSlice(
          xp,
          [0, u, v, 0],
          [n, u + (oh - 1) * sh + 1, v + (ow - 1) * sw + 1, c],
          [1, sh, sw, 1],
        ) as tf.Tensor4D;
        const win = tf.mul(tf.cast(tf.equal(xuv, y), 'float32'), tf.sub(1, claimed)) as tf.Tensor4D;
        claimed = tf.add(claimed, win);
        const spread = dilate2d(tf.mul(win, dy) as tf.Tensor4D, sh, sw);
        const [sH, sW] = [spread.shape[1], spread.shape[2]];
        parts.push(
          tf.pad(spread, [
            [0, 0],
            [u, Hp - u - sH],
            [v, Wp - v - sW],
            [0, 0],
          ]),
        );
      }
    }
    const dxp = parts.length === 1 ? (parts[0] as tf.Tensor4D) : (tf.addN(parts) as tf.Tensor4D);
    return Hp === H && Wp === W ? dxp : tf.slice(dxp, [0, top, left, 0], [n, H, W, c]);
  });
}

let baseMaxPool: tf.GradConfig | null = null;

/**
 * Re-registers the `MaxPool` gradient so that on WASM its input gradient is exact for every geometry
 * (fast-gradients' route for non-overlapping pools first, then {@link maxPoolGradient}); other backends
 * keep the gradient registered before (tfjs' own, or fast-gradients'). Idempotent.
 */
export function installMaxPoolGradient(): void {
  if (baseMaxPool) return;
  baseMaxPool = overrideGradient<PoolAttrs>('MaxPool', (dy, saved, a, baseGrads) => {
    if (tf.getBackend() !== 'wasm') return baseGrads();
    const [x, y] = saved as [tf.Tensor4D, tf.Tensor4D];
    const d = dy as tf.Tensor4D;
    return {
      x: () => (a.dimRoundingMode ? null : maxPoolInputGradient(d, x, y, a)) ?? maxPoolGradient(d, x, y, a),
    };
  });
}
