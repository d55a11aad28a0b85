import { describe, expect, it } from 'vitest';
import { checkImageBytes, ImageError, type ImageErrorCode } from './header';
import {
  concat,
  exifApp1,
  makeBmp,
  makeGif,
  makeJpeg,
  makePng,
  makeWebpExtended,
  makeWebpLossless,
  makeWebpLossy,
} from './__fixtures__/bytes';

function expectImageError(bytes: Uint8Array, code: ImageErrorCode, fragment?: RegExp, maxPixels?: number): void {
  let err: unknown;
  try {
    checkImageBytes(bytes, maxPixels === undefined ? {} : { maxPixels });
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(ImageError);
  expect((err as ImageError).code, (err as ImageError).message).toBe(code);
  if (fragment) expect((err as ImageError).message).toMatch(fragment);
}

describe('checkImageBytes: formats and sizes from the header', () => {
  it.each([
    ['png', makePng(7, 5), 7, 5],
    ['jpeg', makeJpeg(640, 480), 640, 480],
    ['gif', makeGif(300, 200), 300, 200],
    ['bmp', makeBmp(33, 17), 33, 17],
    ['webp', makeWebpLossless(1000, 16384), 1000, 16384],
  ] as const)('%s', (format, bytes, width, height) => {
    expect(checkImageBytes(bytes)).toEqual({ format, width, height, orientation: 1 });
  });

  it('reads WebP sizes of each variant', () => {
    expect(checkImageBytes(makeWebpLossless(1000, 16384))).toMatchObject({ width: 1000, height: 16384 });
    expect(checkImageBytes(makeWebpLossy(320, 240))).toMatchObject({ width: 320, height: 240 });
    expect(checkImageBytes(makeWebpExtended(4000, 3000))).toMatchObject({ width: 4000, height: 3000 });
  });

  it('reads a top-down BMP (negative height) and a progressive JPEG (SOF2)', () => {
    expect(checkImageBytes(makeBmp(10, -6))).toMatchObject({ width: 10, height: 6 });
    expect(checkImageBytes(makeJpeg(123, 45, { sofMarker: 0xc2 }))).toMatchObject({ width: 123, height: 45 });
  });

  it('reads the EXIF orientation in both byte orders', () => {
    expect(checkImageBytes(makeJpeg(40, 30, { exif: exifApp1(6, 'II') })).orientation).toBe(6);
    expect(checkImageBytes(makeJpeg(40, 30, { exif: exifApp1(8, 'MM') })).orientation).toBe(8);
    expect(checkImageBytes(makeJpeg(40, 30, { exif: exifApp1(3, 'MM') }))).toMatchObject({
      width: 40,
      height: 30,
      orientation: 3,
    });
  });
});

describe('checkImageBytes: refusals', () => {
  it('0-byte file', () => expectImageError(new Uint8Array(0), 'empty', /empty \(0 bytes\)/));

  it('not an image, saying what it looks like', () => {
    const enc = (s: string) => new TextEncoder().encode(s);
    expectImageError(enc('%PDF-1.7\n%âãÏÓ\n1 0 obj'), 'not-an-image', /a PDF document/);
    expectImageError(enc('Hello, this is a plain note.\n'), 'not-an-image', /looks like text/);
    expectImageError(enc('{"modelTopology": {}}'), 'not-an-image', /JSON text/);
    expectImageError(concat([0x50, 0x4b, 0x03, 0x04], new Uint8Array(20)), 'not-an-image', /ZIP/);
    expectImageError(
      Uint8Array.from([0x00, 0x13, 0x37, 0xfe, 0x80, 0x00, 0x01]),
      'not-an-image',
      /PNG, JPEG, WebP, GIF or BMP/,
    );
  });

  it('image formats that cannot be opened here', () => {
    const heic = concat([0, 0, 0, 24], new TextEncoder().encode('ftypheic'), new Uint8Array(16));
    expectImageError(heic, 'unsupported-format', /HEIC/);
    expectImageError(
      new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"></svg>'),
      'unsupported-format',
      /SVG/,
    );
  });

  it('truncated files', () => {
    const png = makePng(8, 8);
    expectImageError(png.slice(0, png.length - 12), 'truncated', /end marker \(IEND\)/); // no IEND
    expectImageError(png.slice(0, 20), 'truncated', /PNG/); // header cut inside IHDR
    const jpg = makeJpeg(64, 64);
    expectImageError(jpg.slice(0, jpg.length - 2), 'truncated', /JPEG.*end marker/); // no EOI
    expectImageError(jpg.slice(0, 30), 'truncated', /frame header/); // cut before SOF
    const gif = makeGif(10, 10, { trailer: false });
    expectImageError(gif, 'truncated', /GIF/);
    expectImageError(makeBmp(10, 10).slice(0, 80), 'truncated', /80 of 374 bytes/);
    expectImageError(makeWebpLossless(10, 10, 100), 'truncated', /WebP/);
  });

  it('too many pixels is refused from the header alone (30000×30000 claims, no pixel data)', () => {
    const liar = makePng(30000, 30000, undefined, { idat: false });
    expect(liar.length).toBeLessThan(100);
    expectImageError(liar, 'too-large', /30000×30000 pixels \(900 megapixels\); the limit is 40 megapixels/);
    expectImageError(makeJpeg(30000, 30000), 'too-large');
    expectImageError(makeGif(2000, 2000), 'too-large', /limit is 1 megapixels/, 1_000_000);
    expect(checkImageBytes(makeGif(1000, 1000), { maxPixels: 1_000_000 }).width).toBe(1000);
  });

  it('zero dimensions', () => {
    expectImageError(makePng(0, 10), 'zero-size', /0×10/);
    expectImageError(makeGif(5, 0), 'zero-size');
  });
});
