/**
 * Painting an attribution map: percentile clipping, colormap lookup, overlay on the image and upscaling
 * to display resolution. Pure functions over plain arrays (no DOM): the component copies the RGBA bytes
 * into an ImageData, so changing the look never recomputes the attribution.
 */
import { resizeInto, type ResizeMode, type Size } from '@/lib/resize';
import { colormapLut, defaultColormap, type ColormapName } from './colormaps';

const EPS = 1e-12;

/**
 * The q-th percentile (q ∈ [0, 100]) with linear interpolation between order statistics (NumPy's default
 * 'linear' method). Non-finite values are ignored; an empty input gives 0.
 */
export function percentile(values: ArrayLike<number>, q: number): number {
  const sorted = Float64Array.from(
    Array.prototype.filter.call(values, (v: number) => Number.isFinite(v)) as number[],
  ).sort();
  const n = sorted.length;
  if (n === 0) return 0;
  const pos = (Math.min(100, Math.max(0, q)) / 100) * (n - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, n - 1);
  return (sorted[lo] as number) + ((sorted[hi] as number) - (sorted[lo] as number)) * (pos - lo);
}

export interface PaintOptions {
  colormap?: ColormapName;
  /** Percentile that maps to the end of the colormap (default 99). */
  clipPercentile?: number;
  /** Signed map: diverging colormap, clipped symmetrically at ±percentile(|v|). */
  signed?: boolean;
  /** Show magnitudes |v| (a signed map drawn as unsigned). */
  absolute?: boolean;
  /** Alpha of every heatmap pixel, 0–1 (default 1). */
  opacity?: number;
}

export interface ClipRange {
  lo: number;
  hi: number;
  signed: boolean;
}

/**
 * The value range mapped onto the colormap.
 * - signed (and not absolute): [−m, m] with m = percentile(|v|, clip).
 * - otherwise: [min(v'), percentile(v', clip)] with v' = |v| when absolute.
 */
export function clipRange(
  values: ArrayLike<number>,
  opts: Pick<PaintOptions, 'clipPercentile' | 'signed' | 'absolute'> = {},
): ClipRange {
  const q = opts.clipPercentile ?? 99;
  if (opts.signed && !opts.absolute) {
    const m = percentile(Array.from(values, Math.abs), q);
    return { lo: -m, hi: m, signed: true };
  }
  const v = opts.absolute ? Array.from(values, Math.abs) : Array.from(values);
  let lo = Infinity;
  for (const x of v) if (Number.isFinite(x) && x < lo) lo = x;
  if (!Number.isFinite(lo)) lo = 0;
  return { lo, hi: percentile(v, q), signed: false };
}

/** Maps a value to [0, 1] within the range (clamped; degenerate ranges give 0.5 signed, 0 unsigned). */
export function normalizeValue(v: number, r: ClipRange): number {
  if (!Number.isFinite(v)) return r.signed ? 0.5 : 0;
  if (r.signed) {
    const m = Math.max(r.hi, EPS);
    return Math.min(1, Math.max(0, (v / m + 1) / 2));
  }
  const span = r.hi - r.lo;
  if (span <= EPS) return 0;
  return Math.min(1, Math.max(0, (v - r.lo) / span));
}

/**
 * Paints `values` (w×h, row-major) as RGBA bytes at map resolution.
 * Returns the bytes (length w·h·4, owned by the caller) and the range used (for a legend).
 */
export function paintHeatmap(
  values: ArrayLike<number>,
  width: number,
  height: number,
  opts: PaintOptions = {},
): { rgba: Uint8ClampedArray; width: number; height: number; range: ClipRange } {
  if (values.length !== width * height) throw new Error(`paintHeatmap: ${values.length} values for ${width}×${height}`);
  const signed = !!opts.signed && !opts.absolute;
  const lut = colormapLut(opts.colormap ?? defaultColormap(signed));
  const range = clipRange(values, opts);
  const alpha = Math.round(255 * Math.min(1, Math.max(0, opts.opacity ?? 1)));
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    const raw = values[i] as number;
    const t = normalizeValue(opts.absolute ? Math.abs(raw) : raw, range);
    const k = Math.min(255, Math.round(t * 255));
    rgba[i * 4] = lut[k * 3] as number;
    rgba[i * 4 + 1] = lut[k * 3 + 1] as number;
    rgba[i * 4 + 2] = lut[k * 3 + 2] as number;
    rgba[i * 4 + 3] = alpha;
  }
  return { rgba, width, height, range };
}

/**
 * Alpha-composites `heatmap` over `image` (both RGBA, same size): out = image·(1 − a) + heat·a with
 * a = opacity · heatAlpha/255. Output alpha = the image's. Returns a new array.
 */
export function overlay(image: Uint8ClampedArray, heatmap: Uint8ClampedArray, opacity = 0.5): Uint8ClampedArray {
  if (image.length !== heatmap.length) throw new Error('overlay: image and heatmap differ in size');
  const out = new Uint8ClampedArray(image.length);
  const o = Math.min(1, Math.max(0, opacity));
  for (let i = 0; i < image.length; i += 4) {
    const a = o * ((heatmap[i + 3] as number) / 255);
    for (let c = 0; c < 3; c++) out[i + c] = (image[i + c] as number) * (1 - a) + (heatmap[i + c] as number) * a;
    out[i + 3] = image[i + 3] as number;
  }
  return out;
}

/**
 * Resizes RGBA bytes (from.width × from.height × 4) to `to` with lib/resize. 'nearest' keeps cells crisp
 * (shows the true map resolution); 'bilinear' uses half-pixel centres with edge clamping. Returns a new
 * array of to.width · to.height · 4 bytes.
 */
export function upscale(
  rgba: Uint8ClampedArray,
  from: Size,
  to: Size,
  mode: ResizeMode = 'nearest',
): Uint8ClampedArray {
  return resizeInto(rgba, from, to, new Uint8ClampedArray(to.width * to.height * 4), { channels: 4, mode });
}

/** RGBA bytes of an ImageInput-style HWC float image in [0, 1] (grey replicated), alpha 255. */
export function imageToRGBA(data: Float32Array, width: number, height: number, channels: number): Uint8ClampedArray {
  const out = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    for (let c = 0; c < 3; c++)
      out[i * 4 + c] = Math.round(255 * (data[i * channels + (channels === 1 ? 0 : c)] as number));
    out[i * 4 + 3] = 255;
  }
  return out;
}
