import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { mulberry32 } from '@/lib/metrics';
import { resizeGeometry } from '@/lib/images/preprocess';
import { attributionToGrid, bilinearResize, comparisonGrid, mapToGrid, sampleBilinear } from './resample';

describe('bilinearResize', () => {
  it('is the identity at the same size', () => {
    const v = Float32Array.from([1, 2, 3, 4, 5, 6]);
    expect(Array.from(bilinearResize(v, 3, 2, 3, 2))).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('up-samples with half-pixel centres and clamped edges (hand-computed: [0, 1] → [0, ¼, ¾, 1])', () => {
    expect(Array.from(bilinearResize([0, 1], 2, 1, 4, 1))).toEqual([0, 0.25, 0.75, 1]);
  });

  it('reproduces a linear ramp between the outer pixel centres exactly', () => {
    // value of pixel i = its centre coordinate i + 0.5 (in source units)
    const src = Float32Array.from({ length: 4 }, (_, i) => i + 0.5);
    const out = bilinearResize(src, 4, 1, 8, 1);
    for (let X = 0; X < 8; X++) {
      const centre = ((X + 0.5) * 4) / 8;
      expect(out[X]).toBeCloseTo(Math.min(3.5, Math.max(0.5, centre)), 6);
    }
  });

  it('down-sampling keeps a constant map constant', () => {
    const out = bilinearResize(new Float32Array(32 * 32).fill(0.7), 32, 32, 28, 28);
    expect(out.length).toBe(28 * 28);
    for (const v of out) expect(v).toBeCloseTo(0.7, 6);
  });

  it('agrees with tf.image.resizeBilinear(halfPixelCenters = true) on a random map', async () => {
    await tf.setBackend('cpu');
    const rnd = mulberry32(7);
    const [h, w, H, W] = [5, 7, 11, 13];
    const src = Float32Array.from({ length: h * w }, () => rnd());
    const before = tf.memory().numTensors;
    const ref = tf.tidy(() => tf.image.resizeBilinear(tf.tensor4d(src, [1, h, w, 1]), [H, W], false, true));
    const expected = await ref.data();
    ref.dispose();
    expect(tf.memory().numTensors).toBe(before);
    const got = bilinearResize(src, w, h, W, H);
    for (let i = 0; i < H * W; i++) expect(got[i]).toBeCloseTo(expected[i] as number, 5);
  });

  it('rejects a value count that does not match the size', () => {
    expect(() => bilinearResize([1, 2, 3], 2, 2, 4, 4)).toThrow(/2×2/);
    expect(() => bilinearResize([1, 2, 3, 4], 2, 2, 0, 4)).toThrow(/output size/);
  });

  it('sampleBilinear hits pixel values at pixel centres', () => {
    const v = [1, 2, 3, 4];
    expect(sampleBilinear(v, 2, 2, 0.5, 0.5)).toBe(1);
    expect(sampleBilinear(v, 2, 2, 1.5, 1.5)).toBe(4);
    expect(sampleBilinear(v, 2, 2, 1, 1)).toBe(2.5);
  });
});

describe('comparisonGrid', () => {
  it("is the image's own size, capped at 224 on the long side with the aspect kept", () => {
    expect(comparisonGrid(28, 28)).toEqual({ width: 28, height: 28 });
    expect(comparisonGrid(448, 224)).toEqual({ width: 224, height: 112 });
    expect(comparisonGrid(100, 1000)).toEqual({ width: 22, height: 224 });
    expect(comparisonGrid(1000, 1)).toEqual({ width: 224, height: 1 });
  });
});

describe('mapToGrid', () => {
  it('stretch: equals a plain bilinear resize of the whole map (32×32 model, 28×28 image)', () => {
    const rnd = mulberry32(3);
    const map = Float32Array.from({ length: 32 * 32 }, () => rnd());
    const g = attributionToGrid({ values: map, width: 32, height: 32 }, { width: 28, height: 28 }, 'stretch', { width: 28, height: 28 });
    const ref = bilinearResize(map, 32, 32, 28, 28);
    expect(g.covered.length).toBe(28 * 28);
    expect(g.covered.every((c) => c === 1)).toBe(true);
    for (let i = 0; i < ref.length; i++) expect(g.values[i]).toBeCloseTo(ref[i] as number, 6);
  });

  it('centre-crop: only the centred square the model saw is covered, and it lands where it came from', () => {
    // 40×20 image, 10×10 model: the model sees columns 10…30 of the image.
    const map = Float32Array.from({ length: 100 }, (_, i) => i % 10); // value = map column
    const g = attributionToGrid({ values: map, width: 10, height: 10 }, { width: 40, height: 20 }, 'center-crop', { width: 40, height: 20 });
    let covered = 0;
    for (let y = 0; y < 20; y++) {
      for (let x = 0; x < 40; x++) {
        const c = g.covered[y * 40 + x] as number;
        covered += c;
        expect(c).toBe(x >= 10 && x < 30 ? 1 : 0);
      }
    }
    expect(covered).toBe(400);
    // image column 11 (centre 11.5) → map x = 1.5/2 = 0.75 → 0.25 between columns 0 and 1
    expect(g.values[5 * 40 + 11]).toBeCloseTo(0.25, 6);
    // image column 29 (centre 29.5) → map x = 9.75 → clamped to the last column
    expect(g.values[5 * 40 + 29]).toBeCloseTo(9, 6);
    expect(g.values[5 * 40 + 5]).toBe(0);
  });

  it('pad: the padding of the model input never leaks into the image', () => {
    // 40×20 image into 10×10: content rows 2…6 (5 rows), rows 0–1 and 7–9 are padding.
    const geometry = resizeGeometry(40, 20, 10, 10, 'pad');
    expect(geometry.dst).toEqual({ x: 0, y: 2, width: 10, height: 5 });
    const map = new Float32Array(100).fill(1000);
    for (let y = 2; y < 7; y++) for (let x = 0; x < 10; x++) map[y * 10 + x] = y - 2;
    const g = mapToGrid(map, 10, 10, geometry, 40, 20, { width: 40, height: 20 });
    expect(g.covered.length).toBe(40 * 20);
    expect(g.covered.every((c) => c === 1)).toBe(true);
    expect(Math.max(...g.values)).toBeLessThanOrEqual(4);
    expect(g.values[0]).toBe(0); // top edge of the image ↔ first content row
    expect(g.values[19 * 40]).toBe(4); // bottom edge ↔ last content row
  });

  it('rejects a geometry made for another map size', () => {
    const geometry = resizeGeometry(28, 28, 32, 32, 'stretch');
    expect(() => mapToGrid(new Float32Array(28 * 28), 28, 28, geometry, 28, 28, { width: 28, height: 28 })).toThrow(/geometry/);
  });
});
