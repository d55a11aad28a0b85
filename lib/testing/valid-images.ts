/**
 * The "valid, must load" image corpus (issue #19: "a valid PNG was reported as damaged"): unusual but valid
 * files a browser decodes — every PNG colour type and bit depth, interlaced, APNG, bytes after the end
 * marker, a PNG named .jpg, progressive / CMYK / EXIF-rotated JPEGs, a JPEG with a phone's trailer, GIF
 * and BMP variants, the three WebP kinds — each with the size the app must report (after EXIF rotation).
 * bad-inputs.test.ts checks each passes the header check with that size; e2e/hardening.spec.ts loads each
 * on the page (decoded in the worker) and expects no error. All made by code; no `@/` imports, no DOM.
 */
import { concat, encodeJpeg, encodePng, pngChunk } from './image-encoders';
import { strToU8 } from 'fflate';

export interface ValidImage {
  id: string;
  how: string;
  /** File name and MIME type the browser gives (a wrong extension on purpose for some). */
  name: string;
  mime: string;
  make: () => Uint8Array;
  /** What the app must report once decoded (EXIF orientation applied). */
  width: number;
  height: number;
}

const b64 = (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
const junk = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 97 + 13) & 0x7f);
/** A little-endian BMP, 24-bit, rows padded to 4 bytes; `topDown` writes a negative height. */
function bmp24(w: number, h: number, opts: { topDown?: boolean; zeroSize?: boolean } = {}): Uint8Array {
  const row = Math.ceil((w * 3) / 4) * 4;
  const size = 54 + row * h;
  const b = new Uint8Array(size);
  const dv = new DataView(b.buffer);
  b.set(strToU8('BM'));
  dv.setUint32(2, opts.zeroSize ? 0 : size, true);
  dv.setUint32(10, 54, true);
  dv.setUint32(14, 40, true);
  dv.setInt32(18, w, true);
  dv.setInt32(22, opts.topDown ? -h : h, true);
  dv.setUint16(26, 1, true);
  dv.setUint16(28, 24, true);
  dv.setUint32(34, row * h, true);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) b.set([x * 40, y * 40, 200], 54 + y * row + x * 3);
  return b;
}
/** The classic 1×1 GIF89a (white), optionally followed by other bytes. */
const GIF_1X1 = b64('R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==');

const grad = (x: number, y: number) => (x * 37 + y * 11) & 255;

/** A palette PNG of `colors` greys at `bitDepth`, pixel (x, y) = entry (x + y) mod colors. */
const palettePng = (width: number, height: number, bitDepth: 2 | 8, colors: number) =>
  encodePng({
    width,
    height,
    colorType: 3,
    bitDepth,
    palette: Array.from({ length: colors }, (_, i) => {
      const v = Math.round((255 * i) / (colors - 1));
      return [v, 255 - v, v] as const;
    }),
    pixel: (x, y) => [(x + y) % colors],
  });

export const VALID_IMAGES: readonly ValidImage[] = [
  {
    id: 'png-rgb16',
    how: '16-bit RGB PNG',
    name: 'deep.png',
    mime: 'image/png',
    make: () =>
      encodePng({ width: 6, height: 5, colorType: 2, bitDepth: 16, pixel: (x, y) => [x * 9000, y * 9000, 30000] }),
    width: 6,
    height: 5,
  },
  {
    id: 'png-palette',
    how: '8-bit palette PNG (PLTE)',
    name: 'palette.png',
    mime: 'image/png',
    make: () => palettePng(7, 3, 8, 3),
    width: 7,
    height: 3,
  },
  {
    id: 'png-palette-2bit',
    how: '2-bit palette PNG, width not a multiple of 4 (packed rows)',
    name: 'palette2.png',
    mime: 'image/png',
    make: () => palettePng(5, 4, 2, 4),
    width: 5,
    height: 4,
  },
  {
    id: 'png-grey-1bit',
    how: '1-bit greyscale PNG',
    name: 'bits.png',
    mime: 'image/png',
    make: () => encodePng({ width: 9, height: 9, colorType: 0, bitDepth: 1, pixel: (x, y) => [(x + y) & 1] }),
    width: 9,
    height: 9,
  },
  {
    id: 'png-grey-alpha',
    how: 'greyscale + alpha PNG',
    name: 'ga.png',
    mime: 'image/png',
    make: () => encodePng({ width: 4, height: 4, colorType: 4, bitDepth: 8, pixel: (x, y) => [grad(x, y), 128] }),
    width: 4,
    height: 4,
  },
  {
    id: 'png-interlaced',
    how: 'Adam7-interlaced RGBA PNG',
    name: 'interlaced.png',
    mime: 'image/png',
    make: () =>
      encodePng({
        width: 11,
        height: 10,
        colorType: 6,
        bitDepth: 8,
        interlace: true,
        pixel: (x, y) => [grad(x, y), 255 - grad(x, y), 60, 255],
      }),
    width: 11,
    height: 10,
  },
  {
    id: 'png-apng',
    how: 'animated PNG (APNG, two frames)',
    name: 'anim.png',
    mime: 'image/png',
    make: () =>
      encodePng({
        width: 6,
        height: 6,
        colorType: 2,
        bitDepth: 8,
        pixel: () => [200, 0, 0],
        secondFrame: () => [0, 0, 200],
      }),
    width: 6,
    height: 6,
  },
  {
    id: 'png-text-chunks',
    how: 'PNG with 2 KB of tEXt metadata before the image',
    name: 'meta.png',
    mime: 'image/png',
    make: () =>
      encodePng({
        width: 3,
        height: 3,
        colorType: 0,
        bitDepth: 8,
        pixel: (x) => [x * 80],
        before: [pngChunk('tEXt', concat([strToU8('Comment'), [0], junk(2048)]))],
      }),
    width: 3,
    height: 3,
  },
  {
    id: 'png-trailing-bytes',
    how: 'PNG followed by 300 bytes after IEND (some tools append data)',
    name: 'trailing.png',
    mime: 'image/png',
    make: () =>
      encodePng({ width: 4, height: 3, colorType: 2, bitDepth: 8, pixel: () => [10, 200, 10], trailing: junk(300) }),
    width: 4,
    height: 3,
  },
  {
    id: 'png-named-jpg',
    how: 'a PNG named .jpg with the MIME type image/jpeg',
    name: 'really-a-png.jpg',
    mime: 'image/jpeg',
    make: () => encodePng({ width: 5, height: 2, colorType: 2, bitDepth: 8, pixel: () => [0, 90, 200] }),
    width: 5,
    height: 2,
  },
  {
    id: 'jpeg-baseline-grey',
    how: 'baseline greyscale JPEG',
    name: 'grey.jpg',
    mime: 'image/jpeg',
    make: () => encodeJpeg({ width: 16, height: 8, components: 1 }),
    width: 16,
    height: 8,
  },
  {
    id: 'jpeg-progressive',
    how: 'progressive JPEG (SOF2, DC then AC scans)',
    name: 'progressive.jpg',
    mime: 'image/jpeg',
    make: () => encodeJpeg({ width: 16, height: 16, components: 1, progressive: true }),
    width: 16,
    height: 16,
  },
  {
    id: 'jpeg-cmyk',
    how: 'Adobe CMYK JPEG (4 components)',
    name: 'cmyk.jpg',
    mime: 'image/jpeg',
    make: () => encodeJpeg({ width: 8, height: 8, components: 4 }),
    width: 8,
    height: 8,
  },
  {
    id: 'jpeg-exif-rotated',
    how: 'JPEG of 24×8 stored, EXIF orientation 6 (shown 8×24)',
    name: 'rotated.jpg',
    mime: 'image/jpeg',
    make: () => encodeJpeg({ width: 24, height: 8, components: 1, orientation: 6 }),
    width: 8,
    height: 24,
  },
  {
    id: 'jpeg-motion-trailer',
    how: 'JPEG followed by 8 KB after EOI (a phone "motion photo" appends a video)',
    name: 'motion.jpg',
    mime: 'image/jpeg',
    make: () => encodeJpeg({ width: 8, height: 8, components: 1, trailing: junk(8192) }),
    width: 8,
    height: 8,
  },
  {
    id: 'gif-trailing-bytes',
    how: 'GIF followed by bytes after its trailer',
    name: 'trailing.gif',
    mime: 'image/gif',
    make: () => concat([GIF_1X1, junk(100)]),
    width: 1,
    height: 1,
  },
  {
    id: 'bmp-top-down',
    how: 'top-down 24-bit BMP (negative height)',
    name: 'topdown.bmp',
    mime: 'image/bmp',
    make: () => bmp24(3, 2, { topDown: true }),
    width: 3,
    height: 2,
  },
  {
    id: 'bmp-zero-size-field',
    how: 'BMP whose file-size field is 0 (allowed for uncompressed BMPs)',
    name: 'nosize.bmp',
    mime: 'image/bmp',
    make: () => bmp24(2, 2, { zeroSize: true }),
    width: 2,
    height: 2,
  },
  {
    id: 'webp-lossy',
    how: 'lossy WebP (VP8)',
    name: 'lossy.webp',
    mime: 'image/webp',
    make: () => b64('UklGRiIAAABXRUJQVlA4IBYAAAAwAQCdASoBAAEADsD+JaQAA3AAAAAA'),
    width: 1,
    height: 1,
  },
  {
    id: 'webp-lossless',
    how: 'lossless WebP (VP8L)',
    name: 'lossless.webp',
    mime: 'image/webp',
    make: () => b64('UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA=='),
    width: 1,
    height: 1,
  },
  {
    id: 'webp-alpha',
    how: 'extended WebP with alpha (VP8X + ALPH)',
    name: 'alpha.webp',
    mime: 'image/webp',
    make: () =>
      b64(
        'UklGRkoAAABXRUJQVlA4WAoAAAAQAAAAAAAAAAAAQUxQSAwAAAARBxAR/Q9ERP8DAABWUDggGAAAABQBAJ0BKgEAAQAAAP4AAA3AAP7mtQAAAA==',
      ),
    width: 1,
    height: 1,
  },
];
