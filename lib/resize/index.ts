/**
 * The one resampling module of the app. Every size is a `{ width, height }` object, so there is no
 * argument order to get wrong. Pure functions over plain arrays (no tfjs, no DOM): safe on the main
 * thread, in a worker and on the server.
 *
 * Convention (everywhere): row-major, channels interleaved (HWC), pixel i has its centre at i + 0.5.
 * Bilinear sampling uses half-pixel centres with edges clamped — the convention of OpenCV's INTER_LINEAR,
 * PIL's BILINEAR when up-sampling, and `tf.image.resizeBilinear(x, size, alignCorners=false,
 * halfPixelCenters=true)` (tested against it). `resize` returns Float32; `resizeInto` writes any numeric
 * array (e.g. RGBA bytes). `axisTaps` adds the area filter used when shrinking photos
 * to a model's input (lib/images/preprocess).
 */

/** A width × height in pixels (or cells). Both are positive integers where an array is sized by them. */
export interface Size {
  readonly width: number;
  readonly height: number;
}

export type ResizeMode = 'bilinear' | 'nearest';

export interface ResizeOptions {
  /** Interleaved channels per pixel (default 1; 4 for RGBA bytes). */
  channels?: number;
  /** 'bilinear' (default) interpolates; 'nearest' keeps cells crisp (shows the true map resolution). */
  mode?: ResizeMode;
}

/** Numeric arrays a resize can write into (Float32Array, Uint8ClampedArray, number[] …). */
export type WritableNumbers = { [index: number]: number; readonly length: number };

function checkSize(size: Size, what: string): void {
  const { width, height } = size;
  if (!(Number.isInteger(width) && Number.isInteger(height) && width >= 1 && height >= 1)) {
    throw new RangeError(`bad ${what} size ${width}×${height} (positive integers expected)`);
  }
}

function checkValues(n: number, size: Size, channels: number): void {
  checkSize(size, 'input');
  if (n !== size.width * size.height * channels) {
    const c = channels === 1 ? '' : ` with ${channels} channels`;
    throw new RangeError(`${n} values do not make a ${size.width}×${size.height} map${c}`);
  }
}

/**
 * Samples channel `c` of `values` (size.width × size.height × channels, row-major HWC) bilinearly at the
 * continuous coordinate (x, y) in source pixels, where pixel i has its centre at i + 0.5. Coordinates
 * outside the map are clamped to the edge pixels. No validation (inner loop): the caller checks sizes.
 */
export function sampleBilinear(
  values: ArrayLike<number>,
  size: Size,
  x: number,
  y: number,
  channels = 1,
  c = 0,
): number {
  const { width: w, height: h } = size;
  const fx = Math.min(Math.max(x - 0.5, 0), w - 1);
  const fy = Math.min(Math.max(y - 0.5, 0), h - 1);
  const x0 = Math.floor(fx);
  const y0 = Math.floor(fy);
  const x1 = Math.min(x0 + 1, w - 1);
  const y1 = Math.min(y0 + 1, h - 1);
  const tx = fx - x0;
  const ty = fy - y0;
  const v = (xx: number, yy: number) => values[(yy * w + xx) * channels + c] as number;
  const top = v(x0, y0) * (1 - tx) + v(x1, y0) * tx;
  const bottom = v(x0, y1) * (1 - tx) + v(x1, y1) * tx;
  return top * (1 - ty) + bottom * ty;
}

/**
 * Resizes `values` (from.width × from.height × channels, HWC) to `to`, writing into `out` (length
 * to.width · to.height · channels; a Uint8ClampedArray rounds and clamps as usual). Equal sizes copy.
 * Throws a RangeError when a size is not a positive integer or the lengths do not match. Returns `out`.
 */
export function resizeInto<T extends WritableNumbers>(
  values: ArrayLike<number>,
  from: Size,
  to: Size,
  out: T,
  opts: ResizeOptions = {},
): T {
  const channels = opts.channels ?? 1;
  if (!(Number.isInteger(channels) && channels >= 1)) throw new RangeError(`bad channel count ${channels}`);
  checkValues(values.length, from, channels);
  checkSize(to, 'output');
  const { width: w, height: h } = from;
  const { width: W, height: H } = to;
  if (out.length !== W * H * channels)
    throw new RangeError(`output has ${out.length} slots; ${W}×${H}×${channels} needs ${W * H * channels}`);
  if (w === W && h === H) {
    for (let i = 0; i < out.length; i++) out[i] = values[i] as number;
    return out;
  }
  if (opts.mode === 'nearest') {
    for (let Y = 0; Y < H; Y++) {
      const sy = Math.min(h - 1, Math.floor(((Y + 0.5) * h) / H));
      for (let X = 0; X < W; X++) {
        const s = (sy * w + Math.min(w - 1, Math.floor(((X + 0.5) * w) / W))) * channels;
        const o = (Y * W + X) * channels;
        for (let c = 0; c < channels; c++) out[o + c] = values[s + c] as number;
      }
    }
    return out;
  }
  // Column taps once (the inner loop runs for every row): left/right source offsets and the weight.
  const left = new Int32Array(W);
  const right = new Int32Array(W);
  const tx = new Float64Array(W);
  for (let X = 0; X < W; X++) {
    const fx = Math.min(Math.max(((X + 0.5) * w) / W - 0.5, 0), w - 1);
    const x0 = Math.floor(fx);
    left[X] = x0 * channels;
    right[X] = Math.min(x0 + 1, w - 1) * channels;
    tx[X] = fx - x0;
  }
  for (let Y = 0; Y < H; Y++) {
    const fy = Math.min(Math.max(((Y + 0.5) * h) / H - 0.5, 0), h - 1);
    const y0 = Math.floor(fy);
    const r0 = y0 * w * channels;
    const r1 = Math.min(y0 + 1, h - 1) * w * channels;
    const ty = fy - y0;
    for (let X = 0; X < W; X++) {
      const a = left[X] as number;
      const b = right[X] as number;
      const t = tx[X] as number;
      const o = (Y * W + X) * channels;
      for (let c = 0; c < channels; c++) {
        const top = (values[r0 + a + c] as number) * (1 - t) + (values[r0 + b + c] as number) * t;
        const bottom = (values[r1 + a + c] as number) * (1 - t) + (values[r1 + b + c] as number) * t;
        out[o + c] = top * (1 - ty) + bottom * ty;
      }
    }
  }
  return out;
}

/**
 * Bilinear (default) or nearest-neighbour resize of a map from `from` to `to`.
 * Input: `from.width · from.height · channels` values, HWC. Returns a new Float32Array [to.height ·
 * to.width · channels]. Identity (a copy) at equal sizes.
 */
export function resize(values: ArrayLike<number>, from: Size, to: Size, opts: ResizeOptions = {}): Float32Array {
  checkSize(to, 'output');
  return resizeInto(values, from, to, new Float32Array(to.width * to.height * (opts.channels ?? 1)), opts);
}

/**
 * Per-output-pixel source taps along one axis (indices and weights; the weights of each output pixel sum
 * to 1). `start[i]`, `count[i]` index into `idx` / `w`.
 */
export interface AxisTaps {
  start: Int32Array;
  count: Int32Array;
  idx: Int32Array;
  w: Float32Array;
}

/**
 * Taps mapping the source interval [s0, s0 + sLen) of an axis with `n` pixels onto `m` output pixels.
 * When a destination pixel spans more than one source pixel (shrinking) it is the exact area average of
 * the pixels it covers (box filter with fractional coverage, like OpenCV's INTER_AREA), so a 1000-px photo
 * shrunk to 28 px does not alias; otherwise (enlarging or same size) it is bilinear with half-pixel
 * centres, clamped to the axis — the same sampling as `sampleBilinear`.
 */
export function axisTaps(n: number, s0: number, sLen: number, m: number): AxisTaps {
  if (!(Number.isInteger(n) && n >= 1 && Number.isInteger(m) && m >= 1 && sLen > 0)) {
    throw new RangeError(`bad axis: ${n} source pixels, span ${sLen} onto ${m} output pixels`);
  }
  const scale = sLen / m;
  const idx: number[] = [];
  const w: number[] = [];
  const start = new Int32Array(m);
  const count = new Int32Array(m);
  for (let i = 0; i < m; i++) {
    start[i] = idx.length;
    if (scale > 1) {
      const a = s0 + i * scale;
      const b = a + scale;
      let total = 0;
      for (let j = Math.max(0, Math.floor(a)); j < Math.min(n, Math.ceil(b)); j++) {
        const cover = Math.min(b, j + 1) - Math.max(a, j);
        if (cover > 1e-9) {
          idx.push(j);
          w.push(cover);
          total += cover;
        }
      }
      for (let k = start[i] as number; k < idx.length; k++) w[k] = (w[k] as number) / total;
    } else {
      const c = Math.min(n - 1, Math.max(0, s0 + (i + 0.5) * scale - 0.5));
      const j0 = Math.floor(c);
      const t = c - j0;
      idx.push(j0);
      w.push(1 - t);
      if (t > 1e-9 && j0 + 1 < n) {
        idx.push(j0 + 1);
        w.push(t);
      }
    }
    count[i] = idx.length - (start[i] as number);
  }
  return { start, count, idx: Int32Array.from(idx), w: Float32Array.from(w) };
}
