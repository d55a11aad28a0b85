/**
 * Image format sniffing and header-only size reading, so that an image is refused (empty, not an image,
 * truncated, too many pixels, zero size) before any decoder allocates memory for it.
 *
 * Formats: PNG (IHDR; IEND must be present), JPEG (segments walked to the SOFn frame header; EOI must be
 * present; EXIF orientation from APP1), GIF (logical screen; trailer 0x3B), BMP (BITMAPINFOHEADER or
 * BITMAPCOREHEADER; file size field), WebP (RIFF container with VP8 / VP8L / VP8X).
 * References: PNG spec §11.2.2; ITU-T T.81 §B.2; EXIF 2.32 §4.6.4 (tag 0x0112); RFC 9649 (WebP).
 */

export type ImageFormat = 'png' | 'jpeg' | 'gif' | 'bmp' | 'webp';

export type ImageErrorCode =
  'empty' | 'not-an-image' | 'unsupported-format' | 'truncated' | 'too-large' | 'zero-size' | 'decode-failed';

export class ImageError extends Error {
  constructor(
    readonly code: ImageErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ImageError';
  }
}

export interface ImageHeader {
  format: ImageFormat;
  /** Stored width and height in pixels (before EXIF orientation). */
  width: number;
  height: number;
  /** EXIF orientation 1..8 (1 = as stored). Only JPEG carries it here; others report 1. */
  orientation: number;
}

/** 40 megapixels. */
export const DEFAULT_MAX_PIXELS = 40_000_000;

const ascii = (b: Uint8Array, off: number, len: number): string => {
  let s = '';
  for (let i = off; i < off + len && i < b.length; i++) s += String.fromCharCode(b[i] as number);
  return s;
};
const startsWith = (b: Uint8Array, sig: readonly number[], off = 0): boolean => sig.every((v, i) => b[off + i] === v);

/** What a non-image file most likely is, in words (undefined when unclear). */
export function describeNonImage(b: Uint8Array): { what: string; unsupportedImage?: boolean } | undefined {
  const head = ascii(b, 0, 16);
  if (head.startsWith('%PDF')) return { what: 'a PDF document' };
  if (startsWith(b, [0x50, 0x4b, 0x03, 0x04])) return { what: 'a ZIP archive (or an Office document)' };
  if (startsWith(b, [0x1f, 0x8b])) return { what: 'a gzip-compressed file' };
  if (startsWith(b, [0x49, 0x49, 0x2a, 0x00]) || startsWith(b, [0x4d, 0x4d, 0x00, 0x2a]))
    return { what: 'a TIFF image', unsupportedImage: true };
  const brand = ascii(b, 4, 8);
  if (brand === 'ftypheic' || brand === 'ftypheix' || brand === 'ftypmif1' || brand === 'ftyphevc') {
    return { what: 'a HEIC/HEIF photo (the iPhone format)', unsupportedImage: true };
  }
  if (brand === 'ftypavif') return { what: 'an AVIF image', unsupportedImage: true };
  if (brand.startsWith('ftyp')) return { what: 'a video (MP4/MOV)' };
  if (startsWith(b, [0x00, 0x00, 0x01, 0x00])) return { what: 'an icon (.ico)', unsupportedImage: true };
  // Text: the first bytes are printable ASCII / UTF-8 / whitespace.
  const n = Math.min(b.length, 512);
  let printable = 0;
  for (let i = 0; i < n; i++) {
    const c = b[i] as number;
    if (c === 9 || c === 10 || c === 13 || (c >= 32 && c !== 127)) printable++;
  }
  if (n > 0 && printable === n) {
    const t = new TextDecoder().decode(b.subarray(0, n)).trimStart().toLowerCase();
    if (t.startsWith('<svg') || (t.startsWith('<?xml') && t.includes('<svg')))
      return { what: 'an SVG drawing', unsupportedImage: true };
    if (t.startsWith('<')) return { what: 'a web page or XML text' };
    if (t.startsWith('{') || t.startsWith('[')) return { what: 'JSON text' };
    return { what: 'text' };
  }
  return undefined;
}

function truncated(format: string, detail: string): ImageError {
  return new ImageError(
    'truncated',
    `This ${format} file is incomplete (${detail}). It was probably cut off during download or copying.`,
  );
}

function readPng(b: Uint8Array, dv: DataView): Omit<ImageHeader, 'orientation'> {
  if (b.length < 24 || ascii(b, 12, 4) !== 'IHDR') throw truncated('PNG', 'its header is cut short');
  const width = dv.getUint32(16);
  const height = dv.getUint32(20);
  // Walk the chunks (length, type, data, CRC) to IEND; bytes after it are ignored, as browsers do.
  for (let off = 8; off + 8 <= b.length; off += 12 + dv.getUint32(off)) {
    if (ascii(b, off + 4, 4) === 'IEND') return { format: 'png', width, height };
  }
  throw truncated('PNG', 'its end marker (IEND) is missing');
}

/** JPEG SOFn markers that carry the frame size (C4 = DHT, C8 = JPG, CC = DAC are not frames). */
const isSof = (m: number): boolean => m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;

/** EXIF orientation from an APP1 payload starting at `off` ("Exif\0\0" + TIFF). Undefined when absent. */
export function exifOrientation(b: Uint8Array, off: number, len: number): number | undefined {
  if (ascii(b, off, 4) !== 'Exif' || b[off + 4] !== 0 || b[off + 5] !== 0) return undefined;
  const tiff = off + 6;
  const end = off + len;
  if (tiff + 8 > end) return undefined;
  const order = ascii(b, tiff, 2);
  if (order !== 'II' && order !== 'MM') return undefined;
  const le = order === 'II';
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (dv.getUint16(tiff + 2, le) !== 42) return undefined;
  const ifd = tiff + dv.getUint32(tiff + 4, le);
  if (ifd + 2 > end) return undefined;
  const count = dv.getUint16(ifd, le);
  for (let i = 0; i < count; i++) {
    const e = ifd + 2 + i * 12;
    if (e + 12 > end) return undefined;
    if (dv.getUint16(e, le) === 0x0112) {
      const type = dv.getUint16(e + 2, le);
      const v = type === 3 ? dv.getUint16(e + 8, le) : type === 4 ? dv.getUint32(e + 8, le) : undefined;
      return v !== undefined && v >= 1 && v <= 8 ? v : undefined;
    }
  }
  return undefined;
}

function readJpeg(b: Uint8Array, dv: DataView): ImageHeader {
  let i = 2;
  let orientation = 1;
  let frame: { width: number; height: number } | undefined;
  while (i < b.length) {
    if (b[i] !== 0xff)
      throw new ImageError('not-an-image', 'This JPEG file is damaged: its structure is broken near the start.');
    while (b[i] === 0xff) i++; // fill bytes
    if (i >= b.length) break;
    const marker = b[i] as number;
    i++;
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) continue; // no length
    if (marker === 0xd9) break; // EOI before a frame
    if (i + 2 > b.length) break;
    const len = dv.getUint16(i);
    if (len < 2) throw new ImageError('not-an-image', 'This JPEG file is damaged: a segment has an invalid length.');
    if (i + len > b.length) break;
    if (marker === 0xe1) orientation = exifOrientation(b, i + 2, len - 2) ?? orientation;
    if (isSof(marker)) {
      if (len < 7) throw truncated('JPEG', 'its frame header is cut short');
      frame = { height: dv.getUint16(i + 3), width: dv.getUint16(i + 5) };
    }
    if (marker === 0xda) break; // the first scan: entropy-coded data follows
    i += len;
  }
  if (!frame) throw truncated('JPEG', 'the image size (frame header) was not found');
  if (!hasEoi(b, dv, i + 2 <= b.length ? i + dv.getUint16(i) : i)) throw truncated('JPEG', 'its end marker is missing');
  return { format: 'jpeg', ...frame, orientation };
}

/**
 * Whether the JPEG's end marker (FF D9) follows its scans, from `i` (just after the first SOS header).
 * In entropy-coded data FF is followed by 00 (stuffing), D0–D7 (restarts) or more FF; any other marker
 * (DHT, SOS, DRI between progressive scans) carries a length and is skipped whole. What follows EOI —
 * a phone's "motion photo" video, a vendor trailer — is ignored, as browsers do.
 */
function hasEoi(b: Uint8Array, dv: DataView, i: number): boolean {
  while (i + 1 < b.length) {
    if (b[i] !== 0xff) {
      i++;
      continue;
    }
    const m = b[i + 1] as number;
    if (m === 0xd9) return true;
    if (m === 0x00 || m === 0xff || (m >= 0xd0 && m <= 0xd7)) {
      i += m === 0xff ? 1 : 2;
      continue;
    }
    if (i + 4 > b.length) return false;
    i += 2 + dv.getUint16(i + 2);
  }
  return false;
}

function readGif(b: Uint8Array, dv: DataView): Omit<ImageHeader, 'orientation'> {
  if (b.length < 10) throw truncated('GIF', 'its header is cut short');
  const width = dv.getUint16(6, true);
  const height = dv.getUint16(8, true);
  // Walk the blocks (GIF89a spec §17–27) to the trailer (0x3B); bytes after it are ignored, as browsers do.
  const table = (packed: number) => (packed & 0x80 ? 3 << ((packed & 7) + 1) : 0);
  const subBlocks = (k: number) => {
    while (k < b.length && b[k] !== 0) k += 1 + (b[k] as number);
    return k + 1;
  };
  let k = 13 + table(b[10] as number);
  let images = 0;
  while (k < b.length) {
    const block = b[k];
    if (block === 0x3b) return { format: 'gif', width, height };
    if (block === 0x21) k = subBlocks(k + 2);
    else if (block === 0x2c) {
      if (k + 10 > b.length) break;
      k = subBlocks(k + 10 + table(b[k + 9] as number) + 1);
      if (k <= b.length) images++;
    } else if (images > 0)
      return { format: 'gif', width, height }; // padding or junk after the picture
    else throw new ImageError('not-an-image', 'This GIF file is damaged: its structure is broken near the start.');
  }
  throw truncated('GIF', 'its end marker is missing');
}

function readBmp(b: Uint8Array, dv: DataView): Omit<ImageHeader, 'orientation'> {
  if (b.length < 26) throw truncated('BMP', 'its header is cut short');
  const fileSize = dv.getUint32(2, true);
  const dib = dv.getUint32(14, true);
  let width: number;
  let height: number;
  if (dib === 12) {
    width = dv.getUint16(18, true);
    height = dv.getUint16(20, true);
  } else if (dib >= 40) {
    width = Math.abs(dv.getInt32(18, true));
    height = Math.abs(dv.getInt32(22, true)); // negative = top-down rows
  } else throw new ImageError('not-an-image', 'This BMP file has an unknown header and cannot be read.');
  if (fileSize > b.length) throw truncated('BMP', `it has ${b.length} of ${fileSize} bytes`);
  return { format: 'bmp', width, height };
}

function readWebp(b: Uint8Array, dv: DataView): Omit<ImageHeader, 'orientation'> {
  if (b.length < 30) throw truncated('WebP', 'its header is cut short');
  const riffSize = dv.getUint32(4, true);
  const chunk = ascii(b, 12, 4);
  let width: number;
  let height: number;
  if (chunk === 'VP8 ') {
    if (b[23] !== 0x9d || b[24] !== 0x01 || b[25] !== 0x2a)
      throw new ImageError('not-an-image', 'This WebP file is damaged (bad VP8 start code).');
    width = dv.getUint16(26, true) & 0x3fff;
    height = dv.getUint16(28, true) & 0x3fff;
  } else if (chunk === 'VP8L') {
    if (b[20] !== 0x2f) throw new ImageError('not-an-image', 'This WebP file is damaged (bad VP8L signature).');
    const bits = dv.getUint32(21, true);
    width = (bits & 0x3fff) + 1;
    height = ((bits >>> 14) & 0x3fff) + 1;
  } else if (chunk === 'VP8X') {
    width = 1 + ((b[24] as number) | ((b[25] as number) << 8) | ((b[26] as number) << 16));
    height = 1 + ((b[27] as number) | ((b[28] as number) << 8) | ((b[29] as number) << 16));
  } else throw new ImageError('not-an-image', `This WebP file has an unknown first chunk “${chunk}”.`);
  if (riffSize + 8 > b.length) throw truncated('WebP', `it has ${b.length} of ${riffSize + 8} bytes`);
  return { format: 'webp', width, height };
}

/**
 * The image format from the file's first bytes (magic numbers of PNG, JPEG, GIF87a/89a, BMP, RIFF/WEBP),
 * or null when it is none of them. The app's one sniffer: the image loader and labelled evaluation sets
 * both use it. Reads at most 12 bytes; validates nothing else (see `checkImageBytes`).
 */
export function sniffImageFormat(b: Uint8Array): ImageFormat | null {
  if (startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(b, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (ascii(b, 0, 6) === 'GIF87a' || ascii(b, 0, 6) === 'GIF89a') return 'gif';
  if (ascii(b, 0, 2) === 'BM' && b.length >= 14) return 'bmp';
  if (ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WEBP') return 'webp';
  return null;
}

/**
 * Checks an image file's bytes without decoding pixels: format, stored size, EXIF orientation.
 * Throws `ImageError`: 'empty' (0 bytes), 'not-an-image' (saying what it looks like when obvious),
 * 'unsupported-format' (an image format browsers here cannot decode, e.g. HEIC, TIFF), 'truncated',
 * 'zero-size', 'too-large' (width·height > maxPixels; default 40 MP) — all before any decode.
 */
export function checkImageBytes(bytes: Uint8Array | ArrayBuffer, opts: { maxPixels?: number } = {}): ImageHeader {
  const b = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  const maxPixels = opts.maxPixels ?? DEFAULT_MAX_PIXELS;
  if (b.length === 0) throw new ImageError('empty', 'This file is empty (0 bytes).');
  const format = sniffImageFormat(b);
  if (!format) {
    const d = describeNonImage(b);
    if (d?.unsupportedImage) {
      throw new ImageError(
        'unsupported-format',
        `This is ${d.what}, which cannot be opened here. Convert it to PNG or JPEG first.`,
      );
    }
    throw new ImageError(
      'not-an-image',
      d
        ? `This is not an image: it looks like ${d.what}. Choose a PNG, JPEG, WebP, GIF or BMP file.`
        : 'This file is not an image this page can read (PNG, JPEG, WebP, GIF or BMP).',
    );
  }
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const h: ImageHeader =
    format === 'png'
      ? { ...readPng(b, dv), orientation: 1 }
      : format === 'jpeg'
        ? readJpeg(b, dv)
        : format === 'gif'
          ? { ...readGif(b, dv), orientation: 1 }
          : format === 'bmp'
            ? { ...readBmp(b, dv), orientation: 1 }
            : { ...readWebp(b, dv), orientation: 1 };
  if (h.width === 0 || h.height === 0) {
    throw new ImageError(
      'zero-size',
      `This ${format.toUpperCase()} file says its picture is ${h.width}×${h.height} pixels: there is nothing to show.`,
    );
  }
  if (h.width * h.height > maxPixels) {
    const mp = (n: number) => (n / 1e6).toLocaleString('en', { maximumFractionDigits: 1 });
    throw new ImageError(
      'too-large',
      `This image is ${h.width}×${h.height} pixels (${mp(h.width * h.height)} megapixels); the limit is ${mp(maxPixels)} megapixels. Scale it down first.`,
    );
  }
  return h;
}
