import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { mulberry32 } from '@/lib/random';
import { axisTaps, resize, resizeInto, sampleBilinear } from '.';

const size = (width: number, height: number) => ({ width, height });

async function tfReference(
  src: Float32Array,
  from: { width: number; height: number },
  to: { width: number; height: number },
  channels: number,
): Promise<Float32Array> {
  const before = tf.memory().numTensors;
  const ref = tf.tidy(() =>
    tf.image.resizeBilinear(
      tf.tensor4d(src, [1, from.height, from.width, channels]),
      [to.height, to.width],
      false,
      true,
    ),
  );
  const out = (await ref.data()) as Float32Array;
  ref.dispose();
  expect(tf.memory().numTensors).toBe(before);
  return out;
}

describe('resize (bilinear)', () => {
  it('is the identity (a copy) at the same size', () => {
    const v = Float32Array.from([1, 2, 3, 4, 5, 6]);
    const out = resize(v, size(3, 2), size(3, 2));
    expect(Array.from(out)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(out).not.toBe(v);
  });

  it('up-samples with half-pixel centres and clamped edges (hand-computed: [0, 1] → [0, ¼, ¾, 1])', () => {
    expect(Array.from(resize([0, 1], size(2, 1), size(4, 1)))).toEqual([0, 0.25, 0.75, 1]);
    // The same along the other axis: width and height are never swapped.
    expect(Array.from(resize([0, 1], size(1, 2), size(1, 4)))).toEqual([0, 0.25, 0.75, 1]);
  });

  it('reproduces a linear ramp between the outer pixel centres exactly', () => {
    const src = Float32Array.from({ length: 4 }, (_, i) => i + 0.5);
    const out = resize(src, size(4, 1), size(8, 1));
    expect(out.length).toBe(8);
    for (let X = 0; X < 8; X++) {
      const centre = ((X + 0.5) * 4) / 8;
      expect(out[X]).toBeCloseTo(Math.min(3.5, Math.max(0.5, centre)), 6);
    }
  });

  it('down-sampling keeps a constant map constant', () => {
    const out = resize(new Float32Array(32 * 32).fill(0.7), size(32, 32), size(28, 28));
    expect(out.length).toBe(28 * 28);
    for (const v of out) expect(v).toBeCloseTo(0.7, 6);
  });

  it('agrees with tf.image.resizeBilinear(halfPixelCenters = true): non-square, up and down, 1 and 3 channels', async () => {
    await tf.setBackend('cpu');
    const rnd = mulberry32(7);
    const cases = [
      [size(7, 5), size(13, 11), 1],
      [size(13, 11), size(7, 5), 1],
      [size(4, 9), size(10, 3), 3],
      [size(7, 7), size(224, 160), 1],
    ] as const;
    for (const [from, to, channels] of cases) {
      const src = Float32Array.from({ length: from.width * from.height * channels }, () => rnd());
      const expected = await tfReference(src, from, to, channels);
      const got = resize(src, from, to, { channels });
      expect(got.length).toBe(expected.length);
      expect(got.length).toBe(to.width * to.height * channels);
      let worst = 0;
      for (let i = 0; i < got.length; i++)
        worst = Math.max(worst, Math.abs((got[i] as number) - (expected[i] as number)));
      expect(worst).toBeLessThan(1e-5);
    }
  });

  it('rejects sizes that are not positive integers and value counts that do not match, saying which', () => {
    expect(() => resize([1, 2, 3], size(2, 2), size(4, 4))).toThrow(/3 values do not make a 2×2 map/);
    expect(() => resize([1, 2, 3, 4], size(2, 2), size(0, 4))).toThrow(/bad output size 0×4/);
    expect(() => resize([1, 2, 3, 4], size(2, 2), size(2.5, 4))).toThrow(/bad output size/);
    expect(() => resize([1, 2, 3, 4], size(2, 2), size(4, 4), { channels: 2 })).toThrow(/with 2 channels/);
    expect(() => resizeInto([1, 2, 3, 4], size(2, 2), size(4, 4), new Float32Array(3))).toThrow(/output has 3 slots/);
  });
});

describe('resize (nearest) and resizeInto', () => {
  it('nearest replicates cells; bilinear into RGBA bytes interpolates and rounds', () => {
    const src = new Uint8ClampedArray([0, 0, 0, 255, 200, 100, 40, 255]); // 2×1 RGBA
    const n = resizeInto(src, size(2, 1), size(4, 2), new Uint8ClampedArray(4 * 2 * 4), {
      channels: 4,
      mode: 'nearest',
    });
    expect(Array.from(n.subarray(0, 4))).toEqual([0, 0, 0, 255]);
    expect(Array.from(n.subarray(4, 8))).toEqual([0, 0, 0, 255]);
    expect(Array.from(n.subarray(8, 12))).toEqual([200, 100, 40, 255]);
    expect(Array.from(n.subarray(16, 20))).toEqual([0, 0, 0, 255]); // second row
    const b = resizeInto(src, size(2, 1), size(4, 1), new Uint8ClampedArray(4 * 4), { channels: 4 });
    expect(Array.from(b.filter((_, i) => i % 4 === 0))).toEqual([0, 50, 150, 200]);
    expect(Array.from(b.filter((_, i) => i % 4 === 3))).toEqual([255, 255, 255, 255]);
  });

  it('nearest down-sampling picks the source cell under each output centre', () => {
    const src = Float32Array.from({ length: 16 }, (_, i) => i); // 4×4
    expect(Array.from(resize(src, size(4, 4), size(2, 2), { mode: 'nearest' }))).toEqual([5, 7, 13, 15]);
  });
});

describe('sampleBilinear', () => {
  it('hits pixel values at pixel centres and interpolates between them', () => {
    const v = [1, 2, 3, 4];
    expect(sampleBilinear(v, size(2, 2), 0.5, 0.5)).toBe(1);
    expect(sampleBilinear(v, size(2, 2), 1.5, 0.5)).toBe(2);
    expect(sampleBilinear(v, size(2, 2), 0.5, 1.5)).toBe(3);
    expect(sampleBilinear(v, size(2, 2), 1, 1)).toBe(2.5);
    expect(sampleBilinear(v, size(2, 2), -5, 9)).toBe(3); // clamped to the bottom-left pixel
  });
});

describe('axisTaps', () => {
  it('weights sum to 1 for area and bilinear taps', () => {
    for (const [n, m] of [
      [1000, 28],
      [7, 3],
      [3, 7],
      [5, 5],
    ] as const) {
      const t = axisTaps(n, 0, n, m);
      expect(t.start.length).toBe(m);
      for (let i = 0; i < m; i++) {
        expect(t.count[i]).toBeGreaterThan(0);
        let s = 0;
        for (let k = t.start[i] as number; k < (t.start[i] as number) + (t.count[i] as number); k++)
          s += t.w[k] as number;
        expect(s).toBeCloseTo(1, 6);
      }
    }
  });

  it('enlarging gives the same weights as bilinear resize; shrinking 4 → 2 averages pairs', () => {
    const up = axisTaps(2, 0, 2, 4);
    expect(Array.from(up.idx)).toEqual([0, 0, 1, 0, 1, 1]);
    expect(Array.from(up.w)).toEqual([1, 0.75, 0.25, 0.25, 0.75, 1]);
    const down = axisTaps(4, 0, 4, 2);
    expect(Array.from(down.idx)).toEqual([0, 1, 2, 3]);
    expect(Array.from(down.w)).toEqual([0.5, 0.5, 0.5, 0.5]);
  });

  it('rejects an empty axis', () => {
    expect(() => axisTaps(0, 0, 1, 4)).toThrow(/bad axis/);
  });
});
