/**
 * Gradient of `StridedSlice`, which tfjs 4.22 lacks on every backend ("gradient function not found for
 * StridedSlice"); converted Keras models emit it for `x[:, a:b]`, `x[..., i]`, `x[:, ::-1]` and the like.
 *
 * y = x[b₀ : e₀ : s₀, b₁ : e₁ : s₁, …] (after tfjs resolves masks, ellipsis, new and shrunk axes into a dense
 * begin/end/stride per axis of x: `slice_util.sliceInfo`, the same call the kernels make) takes element
 * bᵢ + k·sᵢ (k = 0 … nᵢ − 1, nᵢ = ⌈(eᵢ − bᵢ)/sᵢ⌉) of each axis. So ∂L/∂x is dy (reshaped to [n₀, n₁, …])
 * scattered back: per axis, reversed when sᵢ < 0, spread out with |sᵢ| − 1 zeros between entries, and
 * zero-padded to xᵢ. Every element of x not read by the slice gets 0. Exact (only copies and zeros).
 */
import * as tf from '@tensorflow/tfjs';

interface StridedSliceAttrs {
  begin: number[];
  end: number[];
  strides: number[];
  beginMask: number;
  endMask: number;
  ellipsisMask: number;
  newAxisMask: number;
  shrinkAxisMask: number;
}

/** Inserts step − 1 zeros between consecutive entries of `x` along `axis` (length n → (n − 1)·step + 1). */
function spread(x: tf.Tensor, axis: number, step: number): tf.Tensor {
  if (step === 1) return x;
  const shape = x.shape;
  const n = shape[axis] as number;
  const expanded = tf.expandDims(x, axis + 1);
  const pads = expanded.shape.map((_, i): [number, number] => (i === axis + 1 ? [0, step - 1] : [0, 0]));
  const padded = tf.pad(expanded, pads);
  const merged = tf.reshape(padded, [...shape.slice(0, axis), n * step, ...shape.slice(axis + 1)]);
  const size = merged.shape.map((d, i) => (i === axis ? (n - 1) * step + 1 : d));
  return tf.slice(
    merged,
    merged.shape.map(() => 0),
    size,
  );
}

/**
 * ∂L/∂x of `y = tf.stridedSlice(x, begin, end, strides, masks…)` given dy (y's shape); x has `xShape`.
 * Synchronous tensor code (call inside a tidy).
 */
export function stridedSliceGradient(dy: tf.Tensor, xShape: readonly number[], a: StridedSliceAttrs): tf.Tensor {
  const info = tf.slice_util.sliceInfo(
    [...xShape],
    a.begin,
    a.end,
    a.strides,
    a.beginMask,
    a.endMask,
    a.ellipsisMask,
    a.newAxisMask,
    a.shrinkAxisMask,
  );
  const rank = xShape.length;
  const counts: number[] = [];
  for (let i = 0; i < rank; i++) {
    const b = info.begin[i] as number;
    const e = info.end[i] as number;
    const s = info.strides[i] as number;
    counts.push(Math.max(0, s > 0 ? Math.ceil((e - b) / s) : Math.ceil((b - e) / -s)));
  }
  if (counts.some((c) => c === 0)) return tf.zeros([...xShape]);
  const total = counts.reduce((p, c) => p * c, 1);
  if (total !== dy.size) {
    throw new Error(
      `StridedSlice gradient: dy has ${dy.size} elements, the slice selects ${total} ([${counts.join(', ')}])`,
    );
  }
  return tf.tidy(() => {
    let g = tf.reshape(dy, counts);
    const pads: [number, number][] = [];
    for (let i = 0; i < rank; i++) {
      const n = counts[i] as number;
      const s = info.strides[i] as number;
      let start = info.begin[i] as number;
      if (s < 0) {
        g = tf.reverse(g, i);
        start = start + (n - 1) * s;
      }
      const step = Math.abs(s);
      g = spread(g, i, step);
      const len = (n - 1) * step + 1;
      pads.push([start, (xShape[i] as number) - start - len]);
    }
    return pads.some(([p, q]) => p !== 0 || q !== 0) ? tf.pad(g, pads) : g;
  });
}

/** `StridedSlice`: x is saved for its shape. */
export const stridedSliceGradConfig: tf.GradConfig = {
  kernelName: 'StridedSlice',
  inputsToSave: ['x'],
  gradFunc: (dy, saved, attrs) => {
    const [x] = saved as [tf.Tensor];
    return { x: () => stridedSliceGradient(dy as tf.Tensor, x.shape, attrs as unknown as StridedSliceAttrs) };
  },
};
