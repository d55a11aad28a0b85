/**
 * Pure pixel preprocessing: RGBA pixels (like ImageData) → the model's `ImageInput` (HWC Float32, p ∈ [0, 1],
 * 1 or 3 channels, optional invert). Normalisation and RGB→BGR reordering are NOT applied here: the
 * ModelAdapter does both, so every explanation lives in this pixel space. An `ImageInput` with 3 channels
 * is always in RGB order.
 *
 * Resampling is separable (lib/resize `axisTaps`). Per axis, when the source span per output pixel is > 1 (downscaling) each
 * output pixel is the exact area average of the source pixels it covers (box filter with fractional
 * coverage, like OpenCV's INTER_AREA), so a 1000-px photo shrunk to 28 px does not alias; otherwise
 * (upscaling or same size) bilinear interpolation with pixel centres aligned (half-pixel convention,
 * like OpenCV INTER_LINEAR and tf.image.resizeBilinear(halfPixelCenters=true)).
 * Averaging is done on the stored (sRGB-encoded) values, as browsers and most libraries do.
 */
import type { ImageInput } from '@/lib/explain/types';
import type { Preprocessing, ResizePolicy } from '@/lib/models/types';
import { axisTaps } from '@/lib/resize';

/** Straight (non-premultiplied) RGBA, 4 bytes per pixel, row-major, like ImageData. Not mutated. */
export interface RGBAImage<B extends ArrayBufferLike = ArrayBufferLike> {
  data: Uint8ClampedArray<B>;
  width: number;
  height: number;
}

/** x, y, width, height in pixels (source rects may be fractional). */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface ResizeGeometry {
  /** Part of the source image that is used. */
  src: Rect;
  /** Where it lands in the output (integers); the rest of the output is padding (policy 'pad'). */
  dst: Rect;
  outWidth: number;
  outHeight: number;
}

/**
 * Source rect → destination rect for a policy.
 * - stretch: the whole image onto the whole output (aspect ratio not kept).
 * - center-crop: scale so the image covers the output, keep the centred part (fractional source rect).
 * - pad: scale so the image fits inside, centre it (integer destination rect, ≥ 1 px), pad the rest.
 */
export function resizeGeometry(
  srcW: number,
  srcH: number,
  outW: number,
  outH: number,
  policy: ResizePolicy,
): ResizeGeometry {
  if (!(srcW > 0 && srcH > 0 && outW > 0 && outH > 0))
    throw new RangeError(`bad sizes ${srcW}×${srcH} → ${outW}×${outH}`);
  const full: Rect = { x: 0, y: 0, width: srcW, height: srcH };
  const out: Rect = { x: 0, y: 0, width: outW, height: outH };
  if (policy === 'center-crop') {
    const s = Math.max(outW / srcW, outH / srcH);
    const cw = Math.min(srcW, outW / s);
    const ch = Math.min(srcH, outH / s);
    return {
      src: { x: (srcW - cw) / 2, y: (srcH - ch) / 2, width: cw, height: ch },
      dst: out,
      outWidth: outW,
      outHeight: outH,
    };
  }
  if (policy === 'pad') {
    const s = Math.min(outW / srcW, outH / srcH);
    const dw = Math.min(outW, Math.max(1, Math.round(srcW * s)));
    const dh = Math.min(outH, Math.max(1, Math.round(srcH * s)));
    return {
      src: full,
      dst: { x: Math.floor((outW - dw) / 2), y: Math.floor((outH - dh) / 2), width: dw, height: dh },
      outWidth: outW,
      outHeight: outH,
    };
  }
  return { src: full, dst: out, outWidth: outW, outHeight: outH };
}

export interface ResampleOptions {
  /**
   * What shows through transparent pixels (alpha < 255): 'white' (default: how a browser shows a
   * transparent PNG on a white page) or 'black'.
   */
  background?: 'white' | 'black';
}

/**
 * Resamples the RGB of `img` (alpha composited onto the background) from `src` onto a `dstW`×`dstH`
 * grid. Returns Float32 RGB HWC in [0, 1].
 */
export function resampleRGB(
  img: RGBAImage,
  src: Rect,
  dstW: number,
  dstH: number,
  opts: ResampleOptions = {},
): Float32Array {
  const { width: W, height: H, data } = img;
  if (data.length !== W * H * 4) throw new RangeError(`RGBA data has ${data.length} bytes; expected ${W * H * 4}`);
  const bg = opts.background === 'black' ? 0 : 1;
  const tx = axisTaps(W, src.x, src.width, dstW);
  const ty = axisTaps(H, src.y, src.height, dstH);
  // Rows the vertical taps need.
  const rowUsed = new Uint8Array(H);
  for (let k = 0; k < ty.idx.length; k++) rowUsed[ty.idx[k] as number] = 1;
  // Horizontal pass: tmp[y][x'][c] for used rows.
  const tmp = new Float32Array(H * dstW * 3);
  for (let y = 0; y < H; y++) {
    if (!rowUsed[y]) continue;
    for (let x = 0; x < dstW; x++) {
      let r = 0;
      let g = 0;
      let b = 0;
      const s = tx.start[x] as number;
      const e = s + (tx.count[x] as number);
      for (let k = s; k < e; k++) {
        const p = (y * W + (tx.idx[k] as number)) * 4;
        const wk = tx.w[k] as number;
        const a = (data[p + 3] as number) / 255;
        r += wk * (((data[p] as number) / 255) * a + bg * (1 - a));
        g += wk * (((data[p + 1] as number) / 255) * a + bg * (1 - a));
        b += wk * (((data[p + 2] as number) / 255) * a + bg * (1 - a));
      }
      const o = (y * dstW + x) * 3;
      tmp[o] = r;
      tmp[o + 1] = g;
      tmp[o + 2] = b;
    }
  }
  const out = new Float32Array(dstW * dstH * 3);
  for (let y = 0; y < dstH; y++) {
    const s = ty.start[y] as number;
    const e = s + (ty.count[y] as number);
    for (let x = 0; x < dstW; x++) {
      let r = 0;
      let g = 0;
      let b = 0;
      for (let k = s; k < e; k++) {
        const o = ((ty.idx[k] as number) * dstW + x) * 3;
        const wk = ty.w[k] as number;
        r += wk * (tmp[o] as number);
        g += wk * (tmp[o + 1] as number);
        b += wk * (tmp[o + 2] as number);
      }
      const o = (y * dstW + x) * 3;
      out[o] = Math.min(1, Math.max(0, r));
      out[o + 1] = Math.min(1, Math.max(0, g));
      out[o + 2] = Math.min(1, Math.max(0, b));
    }
  }
  return out;
}

/** ITU-R BT.601 luma weights (what "grey" means here). */
export const LUMA = [0.299, 0.587, 0.114] as const;

export interface PreprocessOptions extends ResampleOptions {
  /**
   * Fill of the padding (policy 'pad'), in the model's pixel space (after grey conversion and invert):
   * 'black' (default) = 0, i.e. "no signal", which is the background of MNIST-style inverted inputs;
   * 'mean' = the mean of the image part, per channel.
   */
  padFill?: 'black' | 'mean';
}

/**
 * RGBA image → the model's ImageInput: resize by `policy` (default `pre.resize`), convert to
 * `pre.channels` (1: luma 0.299R + 0.587G + 0.114B; 3: RGB), optionally invert (1 − p).
 * Output: { width: pre.width, height: pre.height, channels, data: Float32Array HWC, p ∈ [0, 1] }.
 */
export function preprocessRGBA(
  img: RGBAImage,
  pre: Pick<Preprocessing, 'height' | 'width' | 'channels' | 'invert'> & { resize?: ResizePolicy },
  policy: ResizePolicy = pre.resize ?? 'stretch',
  opts: PreprocessOptions = {},
): ImageInput {
  const { width: outW, height: outH, channels } = pre;
  const geo = resizeGeometry(img.width, img.height, outW, outH, policy);
  const rgb = resampleRGB(img, geo.src, geo.dst.width, geo.dst.height, opts);
  const c = channels;
  const inner = new Float32Array(geo.dst.width * geo.dst.height * c);
  for (let i = 0, n = geo.dst.width * geo.dst.height; i < n; i++) {
    const r = rgb[i * 3] as number;
    const g = rgb[i * 3 + 1] as number;
    const b = rgb[i * 3 + 2] as number;
    if (c === 1) {
      const l = LUMA[0] * r + LUMA[1] * g + LUMA[2] * b;
      inner[i] = pre.invert ? 1 - l : l;
    } else {
      inner[i * 3] = pre.invert ? 1 - r : r;
      inner[i * 3 + 1] = pre.invert ? 1 - g : g;
      inner[i * 3 + 2] = pre.invert ? 1 - b : b;
    }
  }
  if (geo.dst.width === outW && geo.dst.height === outH) return { width: outW, height: outH, channels: c, data: inner };
  const fill = new Float32Array(c);
  if (opts.padFill === 'mean') {
    const n = geo.dst.width * geo.dst.height;
    for (let i = 0; i < n; i++)
      for (let k = 0; k < c; k++) fill[k] = (fill[k] as number) + (inner[i * c + k] as number) / n;
  }
  const data = new Float32Array(outW * outH * c);
  for (let y = 0; y < outH; y++) {
    for (let x = 0; x < outW; x++) {
      const o = (y * outW + x) * c;
      const ix = x - geo.dst.x;
      const iy = y - geo.dst.y;
      const inside = ix >= 0 && iy >= 0 && ix < geo.dst.width && iy < geo.dst.height;
      for (let k = 0; k < c; k++)
        data[o + k] = inside ? (inner[(iy * geo.dst.width + ix) * c + k] as number) : (fill[k] as number);
    }
  }
  return { width: outW, height: outH, channels: c, data };
}

/**
 * Renders an ImageInput back to RGBA bytes for the "what the model sees" preview: grey → R = G = B,
 * RGB as is, round(p·255) clamped, alpha 255. Returns a new buffer (usable with `new ImageData`).
 */
export function toDisplayRGBA(input: ImageInput): Uint8ClampedArray<ArrayBuffer> {
  const { width, height, channels, data } = input;
  const n = width * height;
  if (data.length !== n * channels)
    throw new RangeError(`ImageInput has ${data.length} values; expected ${n * channels}`);
  const out = new Uint8ClampedArray(n * 4);
  for (let i = 0; i < n; i++) {
    const base = i * channels;
    const r = data[base] as number;
    const g = channels >= 3 ? (data[base + 1] as number) : r;
    const b = channels >= 3 ? (data[base + 2] as number) : r;
    out[i * 4] = Math.round(Math.min(1, Math.max(0, r)) * 255);
    out[i * 4 + 1] = Math.round(Math.min(1, Math.max(0, g)) * 255);
    out[i * 4 + 2] = Math.round(Math.min(1, Math.max(0, b)) * 255);
    out[i * 4 + 3] = 255;
  }
  return out;
}

/** The stored pixel (sx, sy) of a W×H image shown at (x, y) under EXIF `orientation` (see orientRGBA). */
function orientedSource(orientation: number, x: number, y: number, W: number, H: number): [number, number] {
  switch (orientation) {
    case 2:
      return [W - 1 - x, y];
    case 3:
      return [W - 1 - x, H - 1 - y];
    case 4:
      return [x, H - 1 - y];
    case 5:
      return [y, x];
    case 6:
      return [y, H - 1 - x];
    case 7:
      return [W - 1 - y, H - 1 - x];
    case 8:
      return [W - 1 - y, x];
    default:
      return [x, y];
  }
}

/**
 * Applies an EXIF orientation (1..8) to a stored RGBA image so it displays upright (the transform
 * createImageBitmap(…, { imageOrientation: 'from-image' }) does). 5..8 swap width and height.
 * 1 none · 2 mirror horizontally · 3 rotate 180° · 4 mirror vertically · 5 transpose ·
 * 6 rotate 90° clockwise · 7 transverse · 8 rotate 90° counter-clockwise. Returns a new image.
 */
export function orientRGBA(img: RGBAImage, orientation: number): RGBAImage<ArrayBuffer> {
  const { width: W, height: H, data } = img;
  const swap = orientation >= 5 && orientation <= 8;
  const w = swap ? H : W;
  const h = swap ? W : H;
  const out = new Uint8ClampedArray(W * H * 4);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const [sx, sy] = orientedSource(orientation, x, y, W, H);
      const s = (sy * W + sx) * 4;
      const d = (y * w + x) * 4;
      out[d] = data[s] as number;
      out[d + 1] = data[s + 1] as number;
      out[d + 2] = data[s + 2] as number;
      out[d + 3] = data[s + 3] as number;
    }
  }
  return { data: out, width: w, height: h };
}
