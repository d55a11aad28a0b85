/**
 * Faster input gradients for Conv2D, MaxPool and BatchNorm on the WASM backend.
 *
 * Why: tfjs-backend-wasm 4.22 runs the forward Conv2D on XNNPACK but its `Conv2DBackpropInput` is a plain
 * loop; `npm run bench` measured it at ~10× the forward convolution on the Fashion CNN (~70 % of an
 * input-gradient pass), so a forward+backward pass cost ~14 forward passes instead of ~3 and the gradient
 * methods (saliency, SmoothGrad, Integrated Gradients) paid for it.
 *
 * What: the input gradient of a convolution is itself a convolution (the transposed convolution; see
 * Dumoulin & Visin 2016, "A guide to convolution arithmetic", https://arxiv.org/abs/1603.07285, §4):
 *   dx = conv2d(dilate(dy, stride), rot180(W)ᵀ, stride 1, padding (k − 1 − padBefore, H − 1 + padBefore − (oh − 1)·s))
 * where dilate inserts s − 1 zeros between the rows/columns of dy, rot180 flips the kernel spatially and ᵀ
 * swaps its in/out channel axes ([kh, kw, cin, cout] → [kh, kw, cout, cin]). That runs on the fast forward
 * kernel. Filter gradients (training) keep tfjs' own implementation.
 *
 * MaxPool: WASM's `MaxPoolGrad` was the next cost (~10× the forward pool). For non-overlapping windows
 * (pool size = stride, no padding: the usual 2×2/2 pool) the gradient routes each dy to the first
 * (row-major) maximum of its window, as tfjs' CPU kernel does. With forward kernels only:
 *   eq = (x == upsample(y)) = 1 − step(upsample(y) − x),  p = eq · priority  (priority = k·k − position in the window: unique, > 0),
 *   winner = (p == upsample(maxPool(p))) = relu(p − upsample(maxPool(p) − 1))   (integers),
 *   dx = winner · upsample(dy)   (zero outside the pooled area)
 * where upsample is nearest-neighbour by the pool size: a broadcast over a free reshape of x into its windows
 * ([n·oh, kh, ow, kw, c]), no Resize kernel. (WASM's MaxPoolWithArgmax would be the direct
 * route but returns index 0 for windows whose values are all negative in tfjs 4.22, and WASM's
 * MaxPoolGrad gets those windows wrong too — harmless after a ReLU, wrong for pools over negative values;
 * this path is exact there as well.) Other pools (overlapping or padded windows) take the exact general route
 * of gradients/max-pool.ts on WASM.
 *
 * FusedBatchNorm (inference-mode BatchNormalization): tfjs' gradient builds full-size x − mean, dy·scale
 * and a full-size `tile` of 1/√(var + ε) before it knows which inputs need a gradient (on MobileNet the
 * Tile alone was the largest kernel of an input-gradient pass). The input gradient is a per-channel scale,
 *   dx = dy · scale / √(var + ε)   (broadcast over the channel axis),
 * so that is all the x-gradient computes here; mean/variance/scale/offset gradients keep tfjs' code.
 *
 * Identity / Cast (WASM): both copy the buffer, and tfjs clones every tensor it saves for a gradient through
 * Identity; they share it instead (see shareOnWasm). Slice (WASM): copies in contiguous runs (copyBox) — the
 * crops of the transposed convolutions and of Pad's gradient were the largest kernels at 224×224.
 *
 * `installFastConvGradient()` re-registers the Conv2D, MaxPool and FusedBatchNorm gradients (a global registry in tfjs)
 * so that on the listed backends the input gradient takes these paths (and, with 'wasm' listed, WASM's
 * Identity and same-dtype Cast share buffers); elsewhere, and for dilated or NCHW convolutions, the original
 * gradient runs unchanged. Idempotent.
 */
import * as tf from '@tensorflow/tfjs';
import { dilate2d as dilate } from './gradients/depthwise';
import { overrideGradient, type ConvAttrs, type PoolAttrs } from './gradients/override';

/**
 * ∂L/∂x of `y = conv2d(x, filter, strides, pad)` (NHWC, dilation 1) given dy = ∂L/∂y, computed with a
 * forward convolution (see module doc). Equals `tf.conv2dTranspose(dy, filter, xShape, strides, pad)`.
 * Returns null when the geometry is not covered (then use the original kernel). Synchronous tensor code.
 */
export function conv2dInputGradient(
  dy: tf.Tensor4D,
  filter: tf.Tensor4D,
  xShape: [number, number, number, number],
  { strides, pad, dimRoundingMode }: Omit<ConvAttrs, 'dilations'>,
): tf.Tensor4D | null {
  const info = tf.backend_util.computeConv2DInfo(
    xShape,
    filter.shape,
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    'channelsLast',
  );
  const { top, left } = info.padInfo;
  const [kh, kw] = [info.filterHeight, info.filterWidth];
  const [sh, sw] = [info.strideHeight, info.strideWidth];
  const [H, W] = [info.inHeight, info.inWidth];
  if (dy.shape[1] !== info.outHeight || dy.shape[2] !== info.outWidth) return null;
  const padTop = kh - 1 - top;
  const padLeft = kw - 1 - left;
  const padBottom = H - 1 + top - (info.outHeight - 1) * sh;
  const padRight = W - 1 + left - (info.outWidth - 1) * sw;
  if (padTop < 0 || padLeft < 0 || padBottom < 0 || padRight < 0) return null;
  return tf.tidy(() => {
    // (A 1×1 kernel needs no flip; WASM's Reverse is slow on MobileNet's large pointwise kernels.)
    const flipped = tf.transpose(
      kh === 1 && kw === 1 ? filter : tf.reverse(filter, [0, 1]),
      [0, 1, 3, 2],
    ) as tf.Tensor4D;
    return tf.conv2d(dilate(dy, sh, sw), flipped, 1, [
      [0, 0],
      [padTop, padBottom],
      [padLeft, padRight],
      [0, 0],
    ]);
  });
}

/**
 * ∂L/∂x of `y = maxPool(x, filterSize, strides, pad)` given dy and y, for non-overlapping windows (see
 * module doc); null for other geometries. Ties go to the first maximum of a window. Synchronous tensor code.
 */
export function maxPoolInputGradient(
  dy: tf.Tensor4D,
  x: tf.Tensor4D,
  y: tf.Tensor4D,
  { filterSize, strides, pad }: Omit<PoolAttrs, 'dimRoundingMode'>,
): tf.Tensor4D | null {
  const [kh, kw] = typeof filterSize === 'number' ? [filterSize, filterSize] : filterSize;
  const [sh, sw] = typeof strides === 'number' ? [strides, strides] : strides;
  const [n, H, W, c] = x.shape;
  const [oh, ow] = [y.shape[1], y.shape[2]];
  const noPadding = pad === 'valid' || pad === 0 || (pad === 'same' && H % kh === 0 && W % kw === 0);
  if (kh !== sh || kw !== sw || !noPadding || oh * kh > H || ow * kw > W) return null;
  return tf.tidy(() => {
    // Windows as axes of a free reshape (shared buffer): x → [n·oh, kh, ow, kw, c], a pooled tensor → [n·oh, 1,
    // ow, 1, c]; broadcasting then does what three nearest-neighbour upsamplings per pool did (no Resize kernels).
    const [Hc, Wc] = [oh * kh, ow * kw];
    const windows: [number, number, number, number, number] = [n * oh, kh, ow, kw, c];
    const pooled = (t: tf.Tensor) => tf.reshape(t, [n * oh, 1, ow, 1, c]);
    const priority = new Float32Array(kh * kw);
    for (let i = 0; i < kh * kw; i++) priority[i] = kh * kw - i;
    const xc = Hc === H && Wc === W ? x : tf.slice(x, [0, 0, 0, 0], [n, Hc, Wc, c]);
    // eq = 1 − step(y − x): y − x ≥ 0 is exactly 0 where x is its window's maximum (IEEE subtraction of two
    // different floats is never 0). A broadcasting Equal (bool) is ~10× slower than these float kernels on WASM.
    const p = tf.mul(
      tf.sub(1, tf.step(tf.sub(pooled(y), tf.reshape(xc, windows)))),
      tf.tensor(priority, [1, kh, 1, kw, 1]),
    );
    // p and its window maximum m are small integers, so (p == m) = relu(p − (m − 1)) exactly (the −1 on the
    // pooled tensor, a quarter of the size).
    const m = tf.maxPool(tf.reshape(p, [n, Hc, Wc, c]) as tf.Tensor4D, [kh, kw], [sh, sw], 'valid');
    const winner = tf.relu(tf.sub(p, pooled(tf.sub(m, 1))));
    const dx = tf.reshape(tf.mul(winner, pooled(dy)), [n, Hc, Wc, c]) as tf.Tensor4D;
    return Hc === H && Wc === W
      ? dx
      : tf.pad(dx, [
          [0, 0],
          [0, H - Hc],
          [0, W - Wc],
          [0, 0],
        ]);
  });
}

/**
 * WASM's Identity and its Cast to the same dtype copy the whole buffer, and tfjs clones (Identity) every tensor
 * it saves for a gradient: 35 full-size copies per input-gradient pass of the Fashion CNN, and twice the heap
 * for the saved activations. This Identity shares the buffer (refcounted), as WASM's own Reshape and the CPU
 * backend's Identity do — tfjs tensors are immutable and every WASM kernel writes a fresh output, so sharing is
 * exact. A Cast to another dtype (bool → float32) still converts.
 */
function shareOnWasm(): tf.KernelConfig[] {
  const restore: tf.KernelConfig[] = [];
  const share = (args: { inputs: tf.NamedTensorInfoMap; backend: unknown }) => {
    const x = args.inputs.x as tf.TensorInfo;
    (args.backend as WasmBackendLike).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
  for (const name of ['Identity', 'Cast']) {
    const k = tf.getKernel(name, 'wasm');
    if (!k) continue;
    restore.push(k);
    tf.unregisterKernel(name, 'wasm');
    tf.registerKernel({
      ...k,
      kernelFunc: (args) => {
        const x = args.inputs.x as tf.TensorInfo;
        const same = x.dtype !== 'string' && (name === 'Identity' || args.attrs?.dtype === x.dtype);
        return same ? share(args) : k.kernelFunc(args);
      },
    });
  }
  return restore;
}

/** The parts of tfjs-backend-wasm's backend a kernel here uses (public methods of BackendWasm). */
interface WasmBackendLike {
  incRef(dataId: unknown): void;
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): tf.TypedArray;
}

/**
 * Copies the box `begin` + `size` of `x` (row-major `shape`) into `out` in contiguous runs: the trailing axes
 * that the box keeps whole are one run with the last axis it cuts, so a crop of a [1, 224, 224, 16] map to
 * [1, 223, 223, 16] is 223 copies of 223·16 values. (tfjs-backend-wasm 4.22 copies one innermost row per
 * call — 50k copies of 16 values there, ~0.1 s, the largest kernel of a MobileNetV3 input gradient — and
 * falls back to one element at a time above rank 4.)
 */
export function copyBox(
  x: tf.TypedArray,
  shape: readonly number[],
  begin: readonly number[],
  size: readonly number[],
  out: tf.TypedArray,
): void {
  const rank = shape.length;
  let axis = rank - 1;
  while (axis > 0 && size[axis] === shape[axis]) axis--;
  let inner = 1;
  for (let k = axis + 1; k < rank; k++) inner *= shape[k] as number;
  const run = (size[axis] as number) * inner;
  const strides = tf.util.computeStrides([...shape]);
  const stride = (k: number) => (k === rank - 1 ? 1 : (strides[k] as number));
  let runs = 1;
  for (let k = 0; k < axis; k++) runs *= size[k] as number;
  const at = new Array<number>(axis).fill(0); // the outer index of the current run
  for (let r = 0, o = 0; r < runs; r++, o += run) {
    let from = (begin[axis] as number) * stride(axis);
    for (let k = 0; k < axis; k++) from += ((begin[k] as number) + (at[k] as number)) * stride(k);
    out.set(x.subarray(from, from + run), o);
    for (let k = axis - 1; k >= 0; k--) {
      at[k] = (at[k] as number) + 1;
      if ((at[k] as number) < (size[k] as number)) break;
      at[k] = 0;
    }
  }
}

/** WASM's Slice through copyBox (strings keep tfjs' own kernel). */
function fastSliceOnWasm(): tf.KernelConfig[] {
  const k = tf.getKernel('Slice', 'wasm');
  if (!k) return [];
  tf.unregisterKernel('Slice', 'wasm');
  tf.registerKernel({
    ...k,
    kernelFunc: (args) => {
      const x = args.inputs.x as tf.TensorInfo;
      if (x.dtype === 'string' || x.shape.length === 0) return k.kernelFunc(args);
      const backend = args.backend as unknown as WasmBackendLike;
      const attrs = args.attrs as { begin: number | number[]; size?: number | number[] };
      const [begin, size] = tf.slice_util.parseSliceParams(x as tf.Tensor, attrs.begin, attrs.size) as [
        number[],
        number[],
      ];
      const out = backend.makeOutput(size, x.dtype);
      if (tf.util.sizeFromShape(size) === 0) return out;
      // Views after makeOutput: growing the heap detaches earlier views.
      copyBox(backend.typedArrayFromHeap(x), x.shape, begin, size, backend.typedArrayFromHeap(out));
      return out;
    },
  });
  return [k];
}

function restoreKernels(configs: tf.KernelConfig[]): void {
  for (const k of configs) {
    tf.unregisterKernel(k.kernelName, k.backendName);
    tf.registerKernel(k);
  }
}

let original: tf.GradConfig | null = null;
let originalPool: tf.GradConfig | null = null;
let originalBatchNorm: tf.GradConfig | null = null;
let fastOn: readonly string[] = [];
let sharedKernels: tf.KernelConfig[] = [];

/** Routes Conv2D input gradients through `conv2dInputGradient` on `backends` (default: WASM only). */
export function installFastConvGradient(backends: readonly string[] = ['wasm']): void {
  fastOn = backends;
  if (backends.includes('wasm') && sharedKernels.length === 0) sharedKernels = [...shareOnWasm(), ...fastSliceOnWasm()];
  if (original) return;
  const fast = () => fastOn.includes(tf.getBackend());
  original = overrideGradient<ConvAttrs>('Conv2D', (dy, saved, a, baseGrads) => {
    const grads = baseGrads();
    const d = a.dilations ?? 1;
    const dilated = Array.isArray(d) ? d.some((v) => v !== 1) : d !== 1;
    if (!fast() || a.dataFormat !== 'NHWC' || dilated) return grads;
    const [x, filter] = saved as [tf.Tensor4D, tf.Tensor4D];
    const slow = grads.x as () => tf.Tensor;
    return {
      ...grads,
      x: () => conv2dInputGradient(dy as tf.Tensor4D, filter, x.shape, a) ?? slow(),
    };
  });
  originalPool = overrideGradient<PoolAttrs>('MaxPool', (dy, saved, a, baseGrads) => {
    const grads = baseGrads();
    if (!fast() || a.dimRoundingMode) return grads;
    const [x, y] = saved as [tf.Tensor4D, tf.Tensor4D];
    const slow = grads.x as () => tf.Tensor;
    return { x: () => maxPoolInputGradient(dy as tf.Tensor4D, x, y, a) ?? slow() };
  });
  originalBatchNorm = overrideGradient<{ varianceEpsilon: number }>('FusedBatchNorm', (dy, saved, a, baseGrads) => {
    if (!fast()) return baseGrads();
    const [, , variance, scale] = saved as (tf.Tensor | undefined)[];
    // Each non-x gradient calls tfjs' own code lazily (only training needs them).
    const other = (key: string) => () => (baseGrads()[key] as () => tf.Tensor)();
    return {
      x: () => {
        const k = tf.rsqrt(tf.add(variance as tf.Tensor, a.varianceEpsilon));
        return tf.mul(dy, scale ? tf.mul(k, scale) : k);
      },
      mean: other('mean'),
      variance: other('variance'),
      scale: other('scale'),
      offset: other('offset'),
    };
  });
}

/** Restores tfjs' own Conv2D, MaxPool and FusedBatchNorm gradients (tests). */
export function uninstallFastConvGradient(): void {
  if (original) tf.registerGradient(original);
  if (originalPool) tf.registerGradient(originalPool);
  if (originalBatchNorm) tf.registerGradient(originalBatchNorm);
  original = null;
  originalPool = null;
  originalBatchNorm = null;
  restoreKernels(sharedKernels);
  sharedKernels = [];
  fastOn = [];
}
