import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { encodePng } from './png';

describe('encodePng', () => {
  it('writes the signature, a 2×1 RGB header and the pixels (alpha dropped) behind filter bytes', () => {
    const png = encodePng([255, 0, 0, 255, 0, 0, 255, 128], 2, 1);
    expect([...png.subarray(0, 8)]).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
    const view = new DataView(png.buffer);
    expect(String.fromCharCode(...png.subarray(12, 16))).toBe('IHDR');
    expect([view.getUint32(16), view.getUint32(20), png[24], png[25]]).toEqual([2, 1, 8, 2]);
    const idatLen = view.getUint32(33);
    expect(String.fromCharCode(...png.subarray(37, 41))).toBe('IDAT');
    expect([...inflateSync(png.subarray(41, 41 + idatLen))]).toEqual([0, 255, 0, 0, 0, 0, 255]);
    expect(String.fromCharCode(...png.subarray(png.length - 8, png.length - 4))).toBe('IEND');
  });
  it('refuses a size that does not match the bytes', () => {
    expect(() => encodePng([1, 2, 3, 4], 2, 1)).toThrow(/do not make a 2×1/);
  });
});
