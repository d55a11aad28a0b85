import { describe, expect, it } from 'vitest';
import { colormapLut } from './colormaps';
import { clipRange, imageToRGBA, overlay, paintHeatmap, percentile, upscale } from './heatmap';

describe('percentile', () => {
  it('matches NumPy linear interpolation on known arrays', () => {
    const v = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(percentile(v, 0)).toBe(1);
    expect(percentile(v, 100)).toBe(10);
    expect(percentile(v, 50)).toBeCloseTo(5.5, 12); // np.percentile(range(1, 11), 50)
    expect(percentile(v, 99)).toBeCloseTo(9.91, 12); // np.percentile(range(1, 11), 99)
    expect(percentile([3, -1, 7, 0], 25)).toBeCloseTo(-0.25, 12); // sorted [-1, 0, 3, 7], pos 0.75
    expect(percentile([], 50)).toBe(0);
    expect(percentile([NaN, 2, Infinity], 50)).toBe(2);
  });

  it('signed maps clip symmetrically at the percentile of |v|; unsigned from the minimum', () => {
    const v = Float32Array.from([-10, -1, 0, 1, 2, 3, 4, 5, 6, 7]);
    const s = clipRange(v, { signed: true, clipPercentile: 90 });
    // |v| sorted: 0 1 1 2 3 4 5 6 7 10 → 90th pct = 7 + 0.1·(10 − 7) = 7.3
    expect(s.hi).toBeCloseTo(7.3, 5);
    expect(s.lo).toBeCloseTo(-7.3, 5);
    const u = clipRange(v, { signed: false, clipPercentile: 100 });
    expect(u).toEqual({ lo: -10, hi: 7, signed: false });
    const a = clipRange(v, { signed: true, absolute: true, clipPercentile: 100 });
    expect(a).toEqual({ lo: 0, hi: 10, signed: false });
  });
});

describe('paintHeatmap', () => {
  it('maps values through the LUT with clipping: signed 0 → centre, ±max → ends', () => {
    const lut = colormapLut('rdbu');
    const { rgba, range } = paintHeatmap([-2, 0, 2, 100], 4, 1, { signed: true, clipPercentile: 50 });
    // |v| = [2, 0, 2, 100] → sorted [0, 2, 2, 100], 50th pct = 2
    expect(range.hi).toBe(2);
    expect(Array.from(rgba.subarray(0, 3))).toEqual(Array.from(lut.subarray(0, 3)));
    expect(Array.from(rgba.subarray(4, 7))).toEqual(Array.from(lut.subarray(128 * 3, 128 * 3 + 3)));
    expect(Array.from(rgba.subarray(8, 11))).toEqual(Array.from(lut.subarray(255 * 3, 256 * 3)));
    expect(Array.from(rgba.subarray(12, 15))).toEqual(Array.from(lut.subarray(255 * 3, 256 * 3))); // clipped
    expect(rgba[3]).toBe(255);
  });

  it('an all-zero map paints without NaN (bottom of a sequential map, centre of a diverging one)', () => {
    const zeros = new Float32Array(6);
    const u = paintHeatmap(zeros, 3, 2, { colormap: 'inferno', opacity: 0.5 });
    const lut = colormapLut('inferno');
    for (let i = 0; i < 6; i++) {
      expect(Array.from(u.rgba.subarray(i * 4, i * 4 + 3))).toEqual(Array.from(lut.subarray(0, 3)));
      expect(u.rgba[i * 4 + 3]).toBe(128);
    }
    const s = paintHeatmap(zeros, 3, 2, { signed: true });
    const rd = colormapLut('rdbu');
    expect(Array.from(s.rgba.subarray(0, 3))).toEqual(Array.from(rd.subarray(128 * 3, 128 * 3 + 3)));
    expect(Number.isFinite(s.range.hi)).toBe(true);
  });

  it('rejects a size mismatch', () => {
    expect(() => paintHeatmap([1, 2, 3], 2, 2)).toThrow(/2×2/);
  });
});

describe('overlay and upscale', () => {
  it('overlay blends by opacity × heat alpha and keeps the image alpha', () => {
    const img = new Uint8ClampedArray([100, 100, 100, 255, 0, 0, 0, 200]);
    const heat = new Uint8ClampedArray([200, 0, 50, 255, 255, 255, 255, 0]);
    const out = overlay(img, heat, 0.5);
    expect(Array.from(out)).toEqual([150, 50, 75, 255, 0, 0, 0, 200]);
  });

  it('nearest upscale replicates cells; bilinear interpolates between them', () => {
    const src = new Uint8ClampedArray([0, 0, 0, 255, 200, 100, 40, 255]); // 2×1
    const n = upscale(src, { width: 2, height: 1 }, { width: 4, height: 2 }, 'nearest');
    expect(Array.from(n.subarray(0, 4))).toEqual([0, 0, 0, 255]);
    expect(Array.from(n.subarray(4, 8))).toEqual([0, 0, 0, 255]);
    expect(Array.from(n.subarray(8, 12))).toEqual([200, 100, 40, 255]);
    expect(Array.from(n.subarray(16, 20))).toEqual([0, 0, 0, 255]); // second row
    const b = upscale(src, { width: 2, height: 1 }, { width: 4, height: 1 }, 'bilinear');
    // x centres map to 0.25·2−0.5 = −0.25 → clamp 0; 0.75·… : src x = 0.25, 0.75 → 50 and 150 in red.
    expect(Array.from(b, (v, i) => (i % 4 === 0 ? v : -1)).filter((v) => v >= 0)).toEqual([0, 50, 150, 200]);
  });

  it('imageToRGBA scales [0,1] to bytes and replicates grey', () => {
    expect(Array.from(imageToRGBA(Float32Array.from([0, 0.5, 1]), 3, 1, 1))).toEqual([
      0, 0, 0, 255, 128, 128, 128, 255, 255, 255, 255, 255,
    ]);
  });
});
