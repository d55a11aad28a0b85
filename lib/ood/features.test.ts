import { describe, expect, it } from 'vitest';
import {
  colourfulness,
  confidenceStats,
  histogramDistance,
  inputStats,
  rmsDistance,
  THUMB,
  TONE_BINS,
} from './features';

const grey = (w: number, h: number, f: (x: number, y: number) => number) => {
  const data = new Float32Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data[y * w + x] = f(x, y);
  return { width: w, height: h, channels: 1, data };
};

describe('inputStats', () => {
  it('a black image with a white centre square: hand-computed mean, std, clipped fractions, edge, histogram', () => {
    // 10×10, the 4×4 centre white: 16 % white, 84 % black; the 1-px edge is black.
    const s = inputStats(grey(10, 10, (x, y) => (x >= 3 && x < 7 && y >= 3 && y < 7 ? 1 : 0)));
    expect(s.mean).toBeCloseTo(0.16, 12);
    expect(s.std).toBeCloseTo(Math.sqrt(0.16 - 0.16 * 0.16), 12);
    expect(s.dark).toBeCloseTo(0.84, 12);
    expect(s.bright).toBeCloseTo(0.16, 12);
    expect(s.edge).toBe(0);
    expect(s.histogram).toHaveLength(TONE_BINS);
    expect(s.histogram[0]).toBeCloseTo(0.84, 6);
    expect(s.histogram[TONE_BINS - 1]).toBeCloseTo(0.16, 6);
    expect(s.channelMeans).toEqual([s.mean]);
    expect(s.thumb).toHaveLength(THUMB * THUMB);
    const thumbMean = s.thumb.reduce((a, b) => a + b, 0) / s.thumb.length;
    expect(thumbMean).toBeGreaterThan(0.1);
    expect(s.thumb[0]).toBe(0);
  });

  it('colour inputs: luma for the grey statistics, per-channel means; values outside [0, 1] are clamped', () => {
    const data = new Float32Array([1, 0, 0, 0, 0, 1, 2, 2, 2, -1, -1, -1]); // red, blue, over-white, under-black
    const s = inputStats({ width: 2, height: 2, channels: 3, data });
    expect(s.mean).toBeCloseTo((0.299 + 0.114 + 1 + 0) / 4, 6);
    expect(s.channelMeans[0]).toBeCloseTo((1 + 0 + 2 - 1) / 4, 6);
    expect(s.bright).toBe(0.25);
    expect(s.dark).toBe(0.25);
  });

  it('refuses an input whose data does not match its shape', () => {
    expect(() => inputStats({ width: 2, height: 2, channels: 1, data: new Float32Array(3) })).toThrow(/expected 2×2×1/);
  });
});

describe('colourfulness (Hasler–Süsstrunk)', () => {
  it('is 0 for grey, large for saturated colour, and the formula on a two-pixel image', () => {
    expect(colourfulness(new Uint8ClampedArray([10, 10, 10, 255, 200, 200, 200, 255]))).toBe(0);
    // pixels pure red and pure green: rg = ±255 (mean 0, std 255); yb = 127.5 both (mean 127.5, std 0)
    const c = colourfulness(new Uint8ClampedArray([255, 0, 0, 255, 0, 255, 0, 255]));
    expect(c).toBeCloseTo(255 + 0.3 * 127.5, 9);
  });

  it('reads every k-th pixel of a large image (same answer on a uniform one)', () => {
    const px = new Uint8ClampedArray(4 * 5000);
    for (let i = 0; i < 5000; i++) px.set([200, 30, 30, 255], i * 4);
    expect(colourfulness(px, 100)).toBeCloseTo(colourfulness(px), 9);
  });
});

describe('distances and confidence', () => {
  it('histogram distance is total variation; rms distance is the root mean square', () => {
    expect(histogramDistance([1, 0], [0, 1])).toBe(1);
    expect(histogramDistance([0.5, 0.5], [0.5, 0.5])).toBe(0);
    expect(histogramDistance([0.75, 0.25], [0.25, 0.75])).toBeCloseTo(0.5, 12);
    expect(rmsDistance([0, 0, 0, 0], [1, 1, 1, 1])).toBe(1);
    expect(rmsDistance([0, 0], [0, 2])).toBeCloseTo(Math.SQRT2, 12);
    expect(() => histogramDistance([1], [0.5, 0.5])).toThrow(RangeError);
  });

  it('confidence: top probability, entropy / log K, energy = −logsumexp(logits)', () => {
    const uniform = confidenceStats([0.25, 0.25, 0.25, 0.25], [0, 0, 0, 0]);
    expect(uniform.maxProb).toBe(0.25);
    expect(uniform.entropy).toBeCloseTo(1, 12);
    expect(uniform.energy).toBeCloseTo(-Math.log(4), 12);
    const sure = confidenceStats([1, 0, 0], null);
    expect(sure.entropy).toBe(0);
    expect(sure.energy).toBeNull();
    // large logits do not overflow
    expect(confidenceStats([1, 0], [1000, 0]).energy).toBeCloseTo(-1000, 9);
    expect(() => confidenceStats([1], null)).toThrow(/two classes/);
  });
});
