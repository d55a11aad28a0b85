/**
 * Tiny image encoders for the "valid, must load" corpus (valid-images.ts): real, decodable files made by
 * code, so no binary is committed. PNG: every colour type and bit depth, Adam7 interlacing, APNG frames,
 * extra chunks, bytes after IEND (PNG spec §11, §8.2; APNG spec). JPEG: flat-grey 8×8 blocks coded with
 * DC-only Huffman tables of one code each (ITU-T T.81 §F.1.2, §G for progressive), baseline or progressive,
 * 1 (grey) or 4 (Adobe CMYK) components, optional EXIF orientation. No `@/` imports, no DOM, no tfjs.
 */
import { strToU8, zlibSync } from 'fflate';

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (PNG / zip polynomial) of `bytes`. */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = (CRC_TABLE[(c ^ b) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const be32 = (n: number) => [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
const be16 = (n: number) => [(n >>> 8) & 255, n & 255];

export function concat(parts: readonly (Uint8Array | readonly number[])[]): Uint8Array {
  const arrays = parts.map((p) => (p instanceof Uint8Array ? p : Uint8Array.from(p)));
  const out = new Uint8Array(arrays.reduce((n, a) => n + a.length, 0));
  let o = 0;
  for (const a of arrays) {
    out.set(a, o);
    o += a.length;
  }
  return out;
}

/** One PNG chunk: length, type, data, CRC of type + data. */
export function pngChunk(type: string, data: Uint8Array | readonly number[]): Uint8Array {
  const body = concat([strToU8(type), data]);
  return concat([be32(body.length - 4), body, be32(crc32(body))]);
}

export interface PngSpec {
  width: number;
  height: number;
  /** 0 grey, 2 RGB, 3 palette, 4 grey + alpha, 6 RGBA. */
  colorType: 0 | 2 | 3 | 4 | 6;
  bitDepth: 1 | 2 | 4 | 8 | 16;
  /** Samples of pixel (x, y), one per channel, each in [0, 2^bitDepth − 1] (a palette index for type 3). */
  pixel: (x: number, y: number) => readonly number[];
  /** RGB entries for colour type 3. */
  palette?: readonly (readonly [number, number, number])[];
  interlace?: boolean;
  /** Chunks placed before the first IDAT (e.g. tEXt). */
  before?: Uint8Array[];
  /** A second APNG frame (the first is the IDAT image): acTL, fcTL and fdAT are added. */
  secondFrame?: (x: number, y: number) => readonly number[];
  /** Bytes appended after IEND. */
  trailing?: Uint8Array;
}

const ADAM7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
] as const;

/** Filtered scanlines (filter 0) of the image, one pass or the seven Adam7 passes. */
function scanlines(s: PngSpec, pixel: PngSpec['pixel']): Uint8Array {
  const rows: number[] = [];
  const passes = s.interlace ? ADAM7 : ([[0, 0, 1, 1]] as const);
  for (const [x0, y0, dx, dy] of passes) {
    for (let y = y0; y < s.height; y += dy) {
      if (x0 >= s.width) break;
      rows.push(0);
      let acc = 0;
      let bits = 0;
      for (let x = x0; x < s.width; x += dx) {
        for (const v of pixel(x, y)) {
          if (s.bitDepth === 16) rows.push(...be16(v));
          else if (s.bitDepth === 8) rows.push(v);
          else {
            acc = (acc << s.bitDepth) | v;
            bits += s.bitDepth;
            if (bits === 8) {
              rows.push(acc);
              acc = 0;
              bits = 0;
            }
          }
        }
      }
      if (bits > 0) rows.push(acc << (8 - bits));
    }
  }
  return Uint8Array.from(rows);
}

/** A complete, decodable PNG. */
export function encodePng(s: PngSpec): Uint8Array {
  const ihdr = [...be32(s.width), ...be32(s.height), s.bitDepth, s.colorType, 0, 0, s.interlace ? 1 : 0];
  const chunks: Uint8Array[] = [
    Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
  ];
  if (s.palette) chunks.push(pngChunk('PLTE', s.palette.flat()));
  chunks.push(...(s.before ?? []));
  const frame = (seq: number) =>
    pngChunk('fcTL', [
      ...be32(seq),
      ...be32(s.width),
      ...be32(s.height),
      ...be32(0),
      ...be32(0),
      ...be16(1),
      ...be16(2),
      0,
      0,
    ]);
  if (s.secondFrame) chunks.push(pngChunk('acTL', [...be32(2), ...be32(0)]), frame(0));
  chunks.push(pngChunk('IDAT', zlibSync(scanlines(s, s.pixel))));
  if (s.secondFrame) chunks.push(frame(1), pngChunk('fdAT', concat([be32(2), zlibSync(scanlines(s, s.secondFrame))])));
  chunks.push(pngChunk('IEND', []));
  if (s.trailing) chunks.push(s.trailing);
  return concat(chunks);
}

export interface JpegSpec {
  /** Multiples of 8. */
  width: number;
  height: number;
  /** 1 = grey, 4 = CMYK (with an Adobe APP14 segment, no colour transform). */
  components: 1 | 4;
  progressive?: boolean;
  /** EXIF orientation 1..8 written in an APP1 segment. */
  orientation?: number;
  /** Bytes appended after EOI (a phone's "motion photo" video, a trailer). */
  trailing?: Uint8Array;
}

const segment = (marker: number, body: readonly number[] | Uint8Array) =>
  concat([[0xff, marker, ...be16(body.length + 2)], body]);

/** APP1 "Exif" with one IFD0 entry: Orientation (0x0112, SHORT) = `o`; big-endian TIFF. */
export function exifSegment(o: number): Uint8Array {
  const tiff = [
    0x4d,
    0x4d,
    0,
    42,
    ...be32(8),
    ...be16(1),
    ...be16(0x0112),
    ...be16(3),
    ...be32(1),
    ...be16(o),
    0,
    0,
    ...be32(0),
  ];
  return segment(0xe1, [...strToU8('Exif'), 0, 0, ...tiff]);
}

/**
 * Entropy-coded data of `blocks` flat blocks: each is "DC difference 0" (code 0) and, in a baseline or
 * AC scan, "end of block" (code 0) — `bitsPerBlock` zero bits each, padded with ones (T.81 §F.1.2.3).
 */
function flatScan(blocks: number, bitsPerBlock: number): Uint8Array {
  const bits = blocks * bitsPerBlock;
  const out = new Uint8Array(Math.ceil(bits / 8));
  const pad = out.length * 8 - bits;
  if (pad > 0) out[out.length - 1] = (1 << pad) - 1;
  return out;
}

/** A complete, decodable JPEG of mid-grey (sample 128 in every component) 8×8 blocks. */
export function encodeJpeg(s: JpegSpec): Uint8Array {
  const n = s.components;
  const ids = Array.from({ length: n }, (_, i) => i + 1);
  const blocks = (s.width / 8) * (s.height / 8);
  // One Huffman table each (class 0 DC, class 1 AC), a single 1-bit code for symbol 0.
  const oneCode = (tc: number) => [tc << 4, 1, ...new Array<number>(15).fill(0), 0];
  const parts: Uint8Array[] = [Uint8Array.from([0xff, 0xd8])];
  if (s.orientation) parts.push(exifSegment(s.orientation));
  if (n === 4) parts.push(segment(0xee, [...strToU8('Adobe'), 0, 100, 0, 0, 0, 0, 0])); // transform 0: CMYK
  parts.push(segment(0xdb, [0, ...new Array<number>(64).fill(1)]));
  const sof = [8, ...be16(s.height), ...be16(s.width), n, ...ids.flatMap((id) => [id, 0x11, 0])];
  parts.push(segment(s.progressive ? 0xc2 : 0xc0, sof));
  parts.push(segment(0xc4, [...oneCode(0), ...oneCode(1)]));
  const sos = (comps: number[], ss: number, se: number) =>
    segment(0xda, [comps.length, ...comps.flatMap((id) => [id, 0x00]), ss, se, 0]);
  if (!s.progressive) {
    parts.push(sos(ids, 0, 63), flatScan(blocks * n, 2));
  } else {
    parts.push(sos(ids, 0, 0), flatScan(blocks * n, 1)); // DC first scan, all components
    for (const id of ids) parts.push(sos([id], 1, 63), flatScan(blocks, 1)); // one EOB per block
  }
  parts.push(Uint8Array.from([0xff, 0xd9]));
  if (s.trailing) parts.push(s.trailing);
  return concat(parts);
}
