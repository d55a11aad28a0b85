/**
 * RGBA pixels as PNG bytes (fast-png), so images reach the PDF compressed: jsPDF stores raw RGBA
 * uncompressed, a PNG as a flate stream. Pure.
 */
import { encode } from 'fast-png';

/** PNG bytes of `rgba` (width·height·4 bytes, row-major; alpha is dropped: the pictures are opaque). */
export function encodePng(rgba: ArrayLike<number>, width: number, height: number): Uint8Array {
  if (
    !Number.isInteger(width) ||
    !Number.isInteger(height) ||
    width < 1 ||
    height < 1 ||
    rgba.length !== width * height * 4
  )
    throw new Error(`encodePng: ${rgba.length} bytes do not make a ${width}×${height} RGBA image`);
  const rgb = new Uint8Array(width * height * 3);
  for (let i = 0, o = 0; i < rgba.length; i += 4, o += 3) {
    rgb[o] = rgba[i] as number;
    rgb[o + 1] = rgba[i + 1] as number;
    rgb[o + 2] = rgba[i + 2] as number;
  }
  return encode({ width, height, data: rgb, channels: 3, depth: 8 });
}
