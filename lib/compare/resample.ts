/**
 * Bringing two attribution maps onto one pixel grid so they can be compared pixel by pixel, even when the
 * two models take different input sizes (e.g. 28×28 and 32×32) or the image was cropped / padded
 * differently for each.
 *
 * Spaces:
 * - map space: the model input, `mapW × mapH` cells (an `Attribution` is at this resolution);
 * - image space: the original image, `imageW × imageH` pixels;
 * - the comparison grid: image space sampled at `gridW × gridH` (the image's own size, capped so the
 *   long side is ≤ `COMPARE_GRID_CAP`).
 * The resize policy's geometry (lib/images/preprocess `resizeGeometry`: which source rect landed on which
 * destination rect) is inverted to find, for each grid pixel, where it fell in the model input. Grid pixels
 * the model never saw (cut away by a centre crop) are marked "not covered" and left out of the statistics.
 *
 * Sampling is lib/resize's bilinear (half-pixel centres, edges clamped, as tf.image.resizeBilinear with
 * halfPixelCenters=true).
 */
import { resizeGeometry, type ResizeGeometry } from '@/lib/images';
import type { ResizePolicy } from '@/lib/models/types';
import { sampleBilinear, type Size } from '@/lib/resize';

/** Longest side of the comparison grid, in pixels. */
export const COMPARE_GRID_CAP = 224;

/** The comparison grid's size (image pixels sampled at this resolution). */
export type Grid = Size;

/** The comparison grid for an image: its own size, scaled down (aspect kept) so the long side ≤ `cap`. */
export function comparisonGrid(imageW: number, imageH: number, cap = COMPARE_GRID_CAP): Grid {
  if (!(imageW > 0 && imageH > 0)) throw new RangeError(`bad image size ${imageW}×${imageH}`);
  const s = Math.min(1, cap / Math.max(imageW, imageH));
  return { width: Math.max(1, Math.round(imageW * s)), height: Math.max(1, Math.round(imageH * s)) };
}

export interface GridMap {
  /** Values on the grid [gridH·gridW], row-major; 0 where not covered. */
  values: Float32Array;
  /** 1 where the model saw this part of the image, 0 where a crop cut it away. */
  covered: Uint8Array;
  width: number;
  height: number;
}

/**
 * Projects an attribution map (model-input space) back onto the image, sampled on `grid`.
 * For grid pixel (X, Y): image point u = (X + ½)·imageW/gridW (same for v); if u lies inside the used
 * source rect `geometry.src`, its model-input coordinate is dst.x + (u − src.x)·dst.width/src.width and the
 * map is sampled there bilinearly (only inside the destination rect, so padding never leaks in);
 * otherwise the pixel is not covered.
 */
export function mapToGrid(
  values: ArrayLike<number>,
  mapW: number,
  mapH: number,
  geometry: ResizeGeometry,
  imageW: number,
  imageH: number,
  grid: Grid,
): GridMap {
  checkSize(values.length, mapW, mapH);
  if (geometry.outWidth !== mapW || geometry.outHeight !== mapH) {
    throw new RangeError(
      `the geometry is for ${geometry.outWidth}×${geometry.outHeight} but the map is ${mapW}×${mapH}`,
    );
  }
  const { src, dst } = geometry;
  // The destination rect as its own small map, so bilinear taps never reach into the padding.
  const dx0 = Math.max(0, Math.floor(dst.x));
  const dy0 = Math.max(0, Math.floor(dst.y));
  const dw = Math.max(1, Math.min(mapW - dx0, Math.round(dst.width)));
  const dh = Math.max(1, Math.min(mapH - dy0, Math.round(dst.height)));
  const sub = new Float32Array(dw * dh);
  const subSize = { width: dw, height: dh };
  for (let y = 0; y < dh; y++)
    for (let x = 0; x < dw; x++) sub[y * dw + x] = values[(dy0 + y) * mapW + dx0 + x] as number;

  const { width: W, height: H } = grid;
  const out = new Float32Array(W * H);
  const covered = new Uint8Array(W * H);
  const eps = 1e-9;
  for (let Y = 0; Y < H; Y++) {
    const v = ((Y + 0.5) * imageH) / H;
    if (v < src.y - eps || v > src.y + src.height + eps) continue;
    const my = ((v - src.y) * dh) / src.height;
    for (let X = 0; X < W; X++) {
      const u = ((X + 0.5) * imageW) / W;
      if (u < src.x - eps || u > src.x + src.width + eps) continue;
      const mx = ((u - src.x) * dw) / src.width;
      out[Y * W + X] = sampleBilinear(sub, subSize, mx, my);
      covered[Y * W + X] = 1;
    }
  }
  return { values: out, covered, width: W, height: H };
}

/** `mapToGrid` with the geometry computed from the resize policy the model input was made with. */
export function attributionToGrid(
  map: { values: ArrayLike<number>; width: number; height: number },
  image: { width: number; height: number },
  policy: ResizePolicy,
  grid: Grid,
): GridMap {
  const geometry = resizeGeometry(image.width, image.height, map.width, map.height, policy);
  return mapToGrid(map.values, map.width, map.height, geometry, image.width, image.height, grid);
}

function checkSize(n: number, w: number, h: number): void {
  if (!(w >= 1 && h >= 1) || n !== w * h) throw new RangeError(`${n} values do not make a ${w}×${h} map`);
}
