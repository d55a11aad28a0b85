import { describe, expect, it } from 'vitest';
import { orientRGBA, preprocessRGBA, resizeGeometry, toDisplayRGBA, type RGBAImage } from './preprocess';

/** W×H image from a per-pixel [r, g, b, a?] function. */
function image(width: number, height: number, f: (x: number, y: number) => number[]): RGBAImage {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const [r = 0, g = r, b = r, a = 255] = f(x, y);
      data.set([r, g, b, a], (y * width + x) * 4);
    }
  return { data, width, height };
}
/** Horizontal grey gradient 0, 85, 170, 255 (identical rows). */
const gradient4 = (h = 4) => image(4, h, (x) => [x * 85]);
const grey = (w: number, h: number) => ({ height: h, width: w, channels: 1 as const });
const close = (got: Float32Array, want: number[], digits = 5) => {
  expect(got.length).toBe(want.length);
  want.forEach((w, i) => expect(got[i]).toBeCloseTo(w, digits));
};

describe('resizeGeometry', () => {
  it('stretch uses everything', () => {
    expect(resizeGeometry(4, 2, 2, 2, 'stretch')).toEqual({
      src: { x: 0, y: 0, width: 4, height: 2 },
      dst: { x: 0, y: 0, width: 2, height: 2 },
      outWidth: 2,
      outHeight: 2,
    });
  });
  it('center-crop keeps the centred part that covers the output', () => {
    expect(resizeGeometry(4, 2, 2, 2, 'center-crop').src).toEqual({ x: 1, y: 0, width: 2, height: 2 });
    expect(resizeGeometry(100, 300, 10, 10, 'center-crop').src).toEqual({ x: 0, y: 100, width: 100, height: 100 });
  });
  it('pad fits the whole image and centres it', () => {
    expect(resizeGeometry(4, 2, 4, 4, 'pad').dst).toEqual({ x: 0, y: 1, width: 4, height: 2 });
    expect(resizeGeometry(1000, 10, 28, 28, 'pad').dst).toEqual({ x: 0, y: 13, width: 28, height: 1 }); // at least 1 px
  });
});

describe('preprocessRGBA', () => {
  it('same size is the identity (values /255)', () => {
    const out = preprocessRGBA(gradient4(), grey(4, 4), 'stretch');
    expect(out).toMatchObject({ width: 4, height: 4, channels: 1 });
    close(out.data.subarray(0, 4), [0, 1 / 3, 2 / 3, 1]);
  });

  it('stretch 4×4 → 2×2 averages pixel pairs (area)', () => {
    const out = preprocessRGBA(gradient4(), grey(2, 2), 'stretch');
    close(out.data, [42.5 / 255, 212.5 / 255, 42.5 / 255, 212.5 / 255]);
  });

  it('upscaling 2×1 → 4×1 is bilinear with aligned pixel centres', () => {
    const img = image(2, 1, (x) => [x * 255]);
    close(preprocessRGBA(img, grey(4, 1), 'stretch').data, [0, 0.25, 0.75, 1]);
  });

  it('center-crop 4×2 → 2×2 keeps the middle columns', () => {
    const out = preprocessRGBA(gradient4(2), grey(2, 2), 'center-crop');
    close(out.data, [85 / 255, 170 / 255, 85 / 255, 170 / 255]);
  });

  it('pad 4×2 → 4×4 fills top and bottom rows with black, or with the mean', () => {
    const black = preprocessRGBA(gradient4(2), grey(4, 4), 'pad');
    close(black.data, [0, 0, 0, 0, 0, 1 / 3, 2 / 3, 1, 0, 1 / 3, 2 / 3, 1, 0, 0, 0, 0]);
    const mean = preprocessRGBA(gradient4(2), grey(4, 4), 'pad', { padFill: 'mean' });
    close(mean.data.subarray(0, 4), [0.5, 0.5, 0.5, 0.5]);
    close(mean.data.subarray(4, 8), [0, 1 / 3, 2 / 3, 1]);
  });

  it('a 1000 px checkerboard shrunk to 28 px does not alias (area averaging)', () => {
    const board = image(1000, 1000, (x, y) => [(x + y) % 2 ? 255 : 0]);
    const out = preprocessRGBA(board, grey(28, 28), 'stretch');
    let min = 1;
    let max = 0;
    for (const v of out.data) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    expect(min).toBeGreaterThan(0.48);
    expect(max).toBeLessThan(0.52);
  });

  it('grey is BT.601 luma; RGB keeps the order; invert is 1 − p; values stay in [0, 1]', () => {
    const rgb = image(3, 1, (x) => (x === 0 ? [255, 0, 0] : x === 1 ? [0, 255, 0] : [0, 0, 255]));
    close(preprocessRGBA(rgb, grey(3, 1), 'stretch').data, [0.299, 0.587, 0.114]);
    close(preprocessRGBA(rgb, { ...grey(3, 1), invert: true }, 'stretch').data, [0.701, 0.413, 0.886]);
    close(preprocessRGBA(rgb, { height: 1, width: 3, channels: 3 }, 'stretch').data, [1, 0, 0, 0, 1, 0, 0, 0, 1]);
    const noise = image(37, 23, (x, y) => [(x * 97 + y * 31) % 256, (x * 13) % 256, (y * 71) % 256, (x * y) % 256]);
    for (const policy of ['stretch', 'center-crop', 'pad'] as const) {
      const out = preprocessRGBA(noise, { height: 10, width: 16, channels: 3 }, policy);
      expect(out.data.length).toBe(10 * 16 * 3);
      expect(out.data.every((v) => v >= 0 && v <= 1)).toBe(true);
    }
  });

  it('transparent pixels show the background (white by default)', () => {
    const img = image(2, 1, (x) => (x === 0 ? [0, 0, 0, 0] : [0, 0, 0, 128]));
    close(preprocessRGBA(img, grey(2, 1), 'stretch').data, [1, 1 - 128 / 255]);
    close(preprocessRGBA(img, grey(2, 1), 'stretch', { background: 'black' }).data, [0, 0]);
  });

  it('uses the preprocessing resize policy by default', () => {
    const out = preprocessRGBA(gradient4(2), { ...grey(2, 2), resize: 'center-crop' });
    close(out.data, [85 / 255, 170 / 255, 85 / 255, 170 / 255]);
  });
});

describe('toDisplayRGBA', () => {
  it('renders grey and RGB inputs, clamped and rounded, opaque', () => {
    expect(
      Array.from(toDisplayRGBA({ width: 2, height: 1, channels: 1, data: Float32Array.from([0.5, 1.2]) })),
    ).toEqual([128, 128, 128, 255, 255, 255, 255, 255]);
    expect(
      Array.from(toDisplayRGBA({ width: 1, height: 1, channels: 3, data: Float32Array.from([1, 0, -0.1]) })),
    ).toEqual([255, 0, 0, 255]);
  });
  it('round-trips an RGB image through preprocessRGBA at the same size', () => {
    const img = image(5, 3, (x, y) => [x * 50, y * 100, 255 - x * 40]);
    const back = toDisplayRGBA(preprocessRGBA(img, { height: 3, width: 5, channels: 3 }, 'stretch'));
    expect(Array.from(back)).toEqual(Array.from(img.data));
  });
});

describe('orientRGBA (EXIF 1..8)', () => {
  // Stored 3×2:  a b c / d e f  (pixel value = letter code in R).
  const stored = image(3, 2, (x, y) => ['abcdef'.charCodeAt(y * 3 + x)]);
  const read = (img: RGBAImage) => {
    const rows: string[] = [];
    for (let y = 0; y < img.height; y++) {
      let r = '';
      for (let x = 0; x < img.width; x++) r += String.fromCharCode(img.data[(y * img.width + x) * 4] as number);
      rows.push(r);
    }
    return rows.join('/');
  };
  it.each([
    [1, 'abc/def'],
    [2, 'cba/fed'],
    [3, 'fed/cba'],
    [4, 'def/abc'],
    [5, 'ad/be/cf'],
    [6, 'da/eb/fc'],
    [7, 'fc/eb/da'],
    [8, 'cf/be/ad'],
  ])('orientation %i', (o, want) => {
    const out = orientRGBA(stored, o);
    expect(read(out)).toBe(want);
    expect([out.width, out.height]).toEqual(o >= 5 ? [2, 3] : [3, 2]);
  });
  it('6 then 8 is the identity and does not touch the input', () => {
    const copy = new Uint8ClampedArray(stored.data);
    expect(read(orientRGBA(orientRGBA(stored, 6), 8))).toBe('abc/def');
    expect(stored.data).toEqual(copy);
  });
});
