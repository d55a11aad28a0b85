import { decode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { encodePng } from './png';

describe('encodePng', () => {
  it('a PNG whose decoded pixels are the RGB of the input (alpha dropped)', () => {
    const png = encodePng([255, 0, 0, 255, 0, 10, 255, 128], 2, 1);
    expect([...png.subarray(0, 8)]).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
    const img = decode(png);
    expect([img.width, img.height, img.channels]).toEqual([2, 1, 3]);
    expect([...img.data]).toEqual([255, 0, 0, 0, 10, 255]);
  });
  it('refuses a size that does not match the bytes', () => {
    expect(() => encodePng([1, 2, 3, 4], 2, 1)).toThrow(/do not make a 2×1/);
  });
});
