/**
 * Pixels → PNG data URLs for display (the image strip's thumbnails of evaluation-set images). Browser only:
 * draws on a canvas. Returns "" when no 2D context is available.
 */

/** Grey (channels = 1) or RGB (channels = 3) uint8 [h·w·c] → RGBA [h·w·4], alpha 255 (a new array). */
export function toRgba(px: Uint8Array, width: number, height: number, channels: number): Uint8ClampedArray {
  const out = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    const r = px[i * channels] ?? 0;
    out[i * 4] = r;
    out[i * 4 + 1] = channels === 3 ? (px[i * channels + 1] ?? 0) : r;
    out[i * 4 + 2] = channels === 3 ? (px[i * channels + 2] ?? 0) : r;
    out[i * 4 + 3] = 255;
  }
  return out;
}

/** RGBA pixels [h·w·4] → a PNG data URL. */
export function rgbaToDataUrl(rgba: Uint8ClampedArray, width: number, height: number): string {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d');
  if (!ctx) return '';
  ctx.putImageData(new ImageData(new Uint8ClampedArray(rgba), width, height), 0, 0);
  return canvas.toDataURL('image/png');
}

/** Grey (channels = 1) or RGB (channels = 3) uint8 pixels [h·w·c] → a PNG data URL. */
export function pixelsToDataUrl(px: Uint8Array, width: number, height: number, channels: number): string {
  return rgbaToDataUrl(toRgba(px, width, height, channels), width, height);
}
