/**
 * Shared plumbing for explanation methods: config resolution, validation, cancellation, progress,
 * seeded randomness, channel reduction and small image operations on plain arrays.
 *
 * Cancellation contract: methods check `signal` before every chunk and throw
 * `new DOMException('The explanation was cancelled', 'AbortError')` (the same error `fetch` throws), so
 * callers can test `err.name === 'AbortError'`.
 */
import * as tf from '@tensorflow/tfjs';
import type { Reduction } from './catalog';
import { ExplainError, type ImageInput, type ModelAdapter } from './types';

/** Fills defaults; unknown keys are dropped, `undefined` values fall back to the default. */
export function resolveConfig<C extends Record<string, unknown>>(defaults: C, partial: Partial<C> | undefined): C {
  const out = { ...defaults };
  if (partial) {
    for (const key of Object.keys(defaults) as (keyof C)[]) {
      const v = partial[key];
      if (v !== undefined) out[key] = v as C[keyof C];
    }
  }
  return out;
}

/** Throws an ExplainError unless `target` is an integer class index of this model. */
export function checkTarget(adapter: ModelAdapter, target: number): void {
  const k = adapter.info.numClasses;
  if (!Number.isInteger(target) || target < 0 || target >= k) {
    throw new ExplainError(`target class ${target} is out of range: this model has ${k} classes (0…${k - 1})`);
  }
}

/** Throws an ExplainError unless `input` matches the model's input shape [h, w, c] and holds h·w·c values. */
export function checkInput(adapter: ModelAdapter, input: ImageInput): void {
  const [h, w, c] = adapter.info.inputShape;
  if (input.height !== h || input.width !== w || input.channels !== c) {
    throw new ExplainError(`the image is ${input.height}×${input.width}×${input.channels} but the model expects ${h}×${w}×${c}`);
  }
  if (input.data.length !== h * w * c) throw new ExplainError(`the image holds ${input.data.length} values, expected ${h * w * c}`);
}

/** Throws a number-range ExplainError. */
export function checkRange(name: string, v: number, min: number, max: number, integer = false): void {
  if (!Number.isFinite(v) || v < min || v > max || (integer && !Number.isInteger(v))) {
    throw new ExplainError(`${name} must be ${integer ? 'an integer ' : ''}in [${min}, ${max}], got ${v}`);
  }
}

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

/** mulberry32: a small, fast, seedable PRNG returning floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard-normal sampler (Box–Muller) over a seeded uniform source. */
export function gaussian(rand: () => number): () => number {
  let spare: number | undefined;
  return () => {
    if (spare !== undefined) {
      const s = spare;
      spare = undefined;
      return s;
    }
    const u = Math.max(rand(), 1e-12);
    const v = rand();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
}

// Reduction and REDUCTION_OPTIONS live in the tfjs-free catalog (the UI needs them); re-exported here.
export { REDUCTION_OPTIONS, type Reduction } from './catalog';

/**
 * Reduces HWC values to an H×W map. `absolute`: take |v| first. 'max-abs' keeps the value of largest
 * magnitude (with its sign unless absolute). Returns a new Float32Array of length h·w.
 */
export function reduceChannels(values: Float32Array, h: number, w: number, c: number, mode: Reduction, absolute: boolean): Float32Array {
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
        for (let i = -radius; i <= radius; i++) acc += (kernel[i + radius] as number) * (data[(y * w + clamp(x + i, w - 1)) * c + k] as number);
        tmp[(y * w + x) * c + k] = acc;
      }
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let k = 0; k < c; k++) {
        let acc = 0;
        for (let i = -radius; i <= radius; i++) acc += (kernel[i + radius] as number) * (tmp[(clamp(y + i, h - 1) * w + x) * c + k] as number);
        out[(y * w + x) * c + k] = acc;
      }
  return out;
}

/** The σ used for blurred baselines/fills: a tenth of the larger image side (at least 1 px). */
export function defaultBlurSigma(input: ImageInput): number {
  return Math.max(1, Math.max(input.width, input.height) / 10);
}

/**
 * Bilinear resize of an h×w single-channel map to H×W with half-pixel centres (like
 * `tf.image.resizeBilinear(..., halfPixelCenters=true)`), edge-clamped. Returns a new array.
 */
export function resizeBilinear(src: Float32Array, h: number, w: number, H: number, W: number): Float32Array {
  const out = new Float32Array(H * W);
  const sy = h / H;
  const sx = w / W;
  for (let Y = 0; Y < H; Y++) {
    const fy = Math.min(Math.max((Y + 0.5) * sy - 0.5, 0), h - 1);
    const y0 = Math.floor(fy);
    const y1 = Math.min(y0 + 1, h - 1);
    const ty = fy - y0;
    for (let X = 0; X < W; X++) {
      const fx = Math.min(Math.max((X + 0.5) * sx - 0.5, 0), w - 1);
      const x0 = Math.floor(fx);
      const x1 = Math.min(x0 + 1, w - 1);
      const tx = fx - x0;
      const a = (src[y0 * w + x0] as number) * (1 - tx) + (src[y0 * w + x1] as number) * tx;
      const b = (src[y1 * w + x0] as number) * (1 - tx) + (src[y1 * w + x1] as number) * tx;
      out[Y * W + X] = a * (1 - ty) + b * ty;
    }
  }
  return out;
}

/** Replaces non-finite values by 0 (guard for the "finite numbers" contract of Attribution.values). */
export function finite(values: Float32Array): Float32Array {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i] as number)) values[i] = 0;
  return values;
}

/** Splits n items into chunks of at most `size`: [start, count] pairs. */
export function chunks(n: number, size: number): [number, number][] {
  const out: [number, number][] = [];
  for (let s = 0; s < n; s += size) out.push([s, Math.min(size, n - s)]);
  return out;
}
