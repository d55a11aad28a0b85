/** Hand-made image files for tests (real PNGs via zlib; header-accurate JPEG/GIF/BMP/WebP). */
import { deflateSync } from 'node:zlib';

import { concat as concatAll, crc32 } from '@/lib/testing/image-encoders';

export { crc32 };

export const concat = (...parts: (Uint8Array | number[])[]): Uint8Array => concatAll(parts);
const be32 = (v: number) => [(v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255];
const be16 = (v: number) => [(v >>> 8) & 255, v & 255];
const le32 = (v: number) => [v & 255, (v >>> 8) & 255, (v >>> 16) & 255, (v >>> 24) & 255];
const le16 = (v: number) => [v & 255, (v >>> 8) & 255];
const ascii = (s: string) => Array.from(s, (c) => c.charCodeAt(0));

function pngChunk(type: string, data: Uint8Array): Uint8Array {
  const td = concat(ascii(type), data);
  return concat(be32(data.length), td, be32(crc32(td)));
}

/** A real RGBA PNG (8-bit, colour type 6, filter 0). `pixels` defaults to zeros; pass claimed dims freely. */
export function makePng(width: number, height: number, pixels?: Uint8Array, opts: { idat?: boolean } = {}): Uint8Array {
  const ihdr = concat(be32(width), be32(height), [8, 6, 0, 0, 0]);
  const chunks = [pngChunk('IHDR', ihdr)];
  if (opts.idat !== false) {
    const raw = new Uint8Array(height * (1 + width * 4));
    for (let y = 0; y < height; y++)
      if (pixels) raw.set(pixels.subarray(y * width * 4, (y + 1) * width * 4), y * (1 + width * 4) + 1);
    chunks.push(pngChunk('IDAT', deflateSync(raw)));
  }
  chunks.push(pngChunk('IEND', new Uint8Array(0)));
  return concat([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], ...chunks);
}

/** APP1 Exif payload with IFD0 holding only Orientation, in little ('II') or big ('MM') endian. */
export function exifApp1(orientation: number, order: 'II' | 'MM'): Uint8Array {
  const u16 = order === 'II' ? le16 : be16;
  const u32 = order === 'II' ? le32 : be32;
  const tiff = concat(
    ascii(order),
    u16(42),
    u32(8),
    u16(1),
    u16(0x0112),
    u16(3),
    u32(1),
    u16(orientation),
    [0, 0],
    u32(0),
  );
  const payload = concat(ascii('Exif'), [0, 0], tiff);
  return concat([0xff, 0xe1], be16(payload.length + 2), payload);
}

/** JPEG structure: SOI, APP0 JFIF, [APP1 Exif], DQT, SOF0 (w×h, 3 comps), SOS + fake scan data, EOI. */
export function makeJpeg(
  width: number,
  height: number,
  opts: { exif?: Uint8Array; eoi?: boolean; sofMarker?: number } = {},
): Uint8Array {
  const app0 = concat([0xff, 0xe0], be16(16), ascii('JFIF'), [0, 1, 1, 0], be16(1), be16(1), [0, 0]);
  const dqt = concat([0xff, 0xdb], be16(67), [0], new Uint8Array(64).fill(1));
  const sof = concat(
    [0xff, opts.sofMarker ?? 0xc0],
    be16(17),
    [8],
    be16(height),
    be16(width),
    [3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1],
  );
  const sos = concat([0xff, 0xda], be16(12), [3, 1, 0, 2, 0x11, 3, 0x11, 0, 63, 0], [0x12, 0x34, 0xff, 0x00, 0x56]);
  return concat([0xff, 0xd8], app0, opts.exif ?? [], dqt, sof, sos, opts.eoi === false ? [] : [0xff, 0xd9]);
}

export function makeGif(width: number, height: number, opts: { trailer?: boolean } = {}): Uint8Array {
  // Header, logical screen descriptor (no global colour table), image descriptor, 2-byte LZW data, trailer.
  const body = concat(
    ascii('GIF89a'),
    le16(width),
    le16(height),
    [0, 0, 0],
    [0x2c],
    le16(0),
    le16(0),
    le16(width),
    le16(height),
    [0],
    [2, 2, 0x4c, 0x01, 0],
  );
  return opts.trailer === false ? body : concat(body, [0x3b]);
}

export function makeBmp(width: number, height: number, opts: { claimExtra?: number } = {}): Uint8Array {
  const rowBytes = Math.ceil((width * 3) / 4) * 4;
  const size = 54 + rowBytes * Math.abs(height);
  return concat(
    ascii('BM'),
    le32(size + (opts.claimExtra ?? 0)),
    le32(0),
    le32(54),
    le32(40),
    le32(width),
    le32(height >>> 0),
    le16(1),
    le16(24),
    le32(0),
    le32(rowBytes * Math.abs(height)),
    le32(2835),
    le32(2835),
    le32(0),
    le32(0),
    new Uint8Array(rowBytes * Math.abs(height)),
  );
}

function riff(chunkType: string, chunk: Uint8Array, extraClaim = 0): Uint8Array {
  const padded = chunk.length % 2 ? concat(chunk, [0]) : chunk;
  const body = concat(ascii('WEBP'), ascii(chunkType), le32(chunk.length), padded);
  return concat(ascii('RIFF'), le32(body.length + extraClaim), body);
}

export function makeWebpLossless(width: number, height: number, extraClaim = 0): Uint8Array {
  const bits = ((width - 1) & 0x3fff) | (((height - 1) & 0x3fff) << 14);
  return riff('VP8L', concat([0x2f], le32(bits), [0, 0, 0, 0]), extraClaim);
}

export function makeWebpLossy(width: number, height: number): Uint8Array {
  return riff('VP8 ', concat([0x50, 0x01, 0x00], [0x9d, 0x01, 0x2a], le16(width), le16(height), new Uint8Array(8)));
}

export function makeWebpExtended(width: number, height: number): Uint8Array {
  const w = width - 1;
  const h = height - 1;
  return riff(
    'VP8X',
    concat([0x10, 0, 0, 0], [w & 255, (w >> 8) & 255, (w >> 16) & 255], [h & 255, (h >> 8) & 255, (h >> 16) & 255]),
  );
}
