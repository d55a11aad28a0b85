/**
 * Shared plumbing for explanation methods: cancellation, progress,
 * seeded randomness, channel reduction and small image operations on plain arrays.
 *
 * Cancellation contract: methods check `signal` before every chunk and throw
 * `new DOMException('The explanation was cancelled', 'AbortError')` (the same error `fetch` throws), so
 * callers can test `err.name === 'AbortError'`.
 */
import * as tf from '@tensorflow/tfjs';
import type { Reduction } from './meta';
import type { ImageInput } from './types';

// The prologue checks live in validate.ts (tfjs-free); re-exported for existing importers.
export { checkInput, checkRange, checkTarget, resolveConfig } from './validate';

export function abortError(): DOMException {
  return new DOMException('The explanation was cancelled', 'AbortError');
}

/** Throws the AbortError if the signal is aborted. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortError();
}

/**
 * Lets queued events (an abort message, a progress repaint) run between chunks. Yields through a
 * MessageChannel where there is one: `setTimeout(0)` is clamped to ≥ 4 ms once timers nest five deep (HTML
 * spec), which `npm run bench` measured as a visible share of chunked methods on small models (RISE: 16
 * chunks). Falls back to setTimeout.
 */
export function nextTick(): Promise<void> {
  if (typeof MessageChannel === 'undefined') return new Promise((resolve) => setTimeout(resolve, 0));
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

/** Milliseconds since an arbitrary origin (performance.now where available). */
export function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}

/** [n, h, w, c] tensor from n stacked HWC images (plain data). Call inside tf.tidy. */
export function batchTensor(data: Float32Array, n: number, input: ImageInput): tf.Tensor4D {
  return tf.tensor4d(data, [n, input.height, input.width, input.channels]);
}

/** Reads a tensor into a fresh Float32Array and disposes it (outside tidy). */
export async function take(t: tf.Tensor): Promise<Float32Array> {
  try {
    const d = await t.data();
    return d instanceof Float32Array ? d : Float32Array.from(d as ArrayLike<number>);
  } finally {
    t.dispose();
  }
}

// The seeded PRNG and normal sampler live in lib/random (one copy for the app); re-exported here.
export { gaussian, mulberry32 } from '@/lib/random';

// Reduction and REDUCTION_OPTIONS live in the tfjs-free meta.ts (the UI needs them); re-exported here.
export { REDUCTION_OPTIONS, type Reduction } from './meta';

/**
 * Reduces HWC values to an H×W map. `absolute`: take |v| first. 'max-abs' keeps the value of largest
 * magnitude (with its sign unless absolute). Returns a new Float32Array of length h·w.
 */
export function reduceChannels(
  values: Float32Array,
  h: number,
  w: number,
  c: number,
  mode: Reduction,
  absolute: boolean,
): Float32Array {
  const out = new Float32Array(h * w);
  for (let p = 0; p < h * w; p++) {
    let acc = 0;
    let best = 0;
    for (let k = 0; k < c; k++) {
      let v = values[p * c + k] as number;
      if (absolute) v = Math.abs(v);
      acc += v;
      if (Math.abs(v) > Math.abs(best)) best = v;
    }
    out[p] = mode === 'max-abs' ? best : mode === 'mean' ? acc / c : acc;
  }
  return out;
}

/**
 * Separable Gaussian blur of an HWC image (edge-clamped), σ in pixels. Returns a new array.
 * Used for the "blurred image" baseline (IG) and the blur fill (occlusion).
 */
export function gaussianBlur(input: ImageInput, sigma: number): Float32Array {
  const { width: w, height: h, channels: c, data } = input;
  if (sigma <= 0) return Float32Array.from(data);
  const radius = Math.max(1, Math.ceil(3 * sigma));
  const kernel = new Float32Array(2 * radius + 1);
  let ksum = 0;
  for (let i = -radius; i <= radius; i++) {
    const v = Math.exp(-(i * i) / (2 * sigma * sigma));
    kernel[i + radius] = v;
    ksum += v;
  }
  for (let i = 0; i < kernel.length; i++) kernel[i] = (kernel[i] as number) / ksum;
  const tmp = new Float32Array(data.length);
  const out = new Float32Array(data.length);
  const clamp = (v: number, hi: number) => (v < 0 ? 0 : v > hi ? hi : v);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let k = 0; k < c; k++) {
        let acc = 0;
        for (let i = -radius; i <= radius; i++)
          acc += (kernel[i + radius] as number) * (data[(y * w + clamp(x + i, w - 1)) * c + k] as number);
        tmp[(y * w + x) * c + k] = acc;
      }
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let k = 0; k < c; k++) {
        let acc = 0;
        for (let i = -radius; i <= radius; i++)
          acc += (kernel[i + radius] as number) * (tmp[(clamp(y + i, h - 1) * w + x) * c + k] as number);
        out[(y * w + x) * c + k] = acc;
      }
  return out;
}

/** The σ used for blurred baselines/fills: a tenth of the larger image side (at least 1 px). */
export function defaultBlurSigma(input: ImageInput): number {
  return Math.max(1, Math.max(input.width, input.height) / 10);
}

/** Replaces non-finite values by 0 (guard for the "finite numbers" contract of Attribution.values). */
export function finite(values: Float32Array): Float32Array {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i] as number)) values[i] = 0;
  return values;
}

/**
 * The chunk size that splits n items into as few calls of at most `size` as `chunks(n, size)` makes, but of
 * even sizes (65 at most 32: 22 + 22 + 21, not 32 + 32 + 1): the fixed cost of a call is paid the same number
 * of times and no call is a near-empty tail.
 */
export function evenBatch(n: number, size: number): number {
  const s = Math.max(1, Math.floor(size));
  return n <= 0 ? s : Math.ceil(n / Math.ceil(n / s));
}

/** Splits n items into chunks of at most `size`: [start, count] pairs. */
export function chunks(n: number, size: number): [number, number][] {
  const out: [number, number][] = [];
  for (let s = 0; s < n; s += size) out.push([s, Math.min(size, n - s)]);
  return out;
}
