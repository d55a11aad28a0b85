/**
 * Known answers on the bundled sets (input statistics only; scripts/bench/ood.mjs adds the models'
 * confidence): an MNIST image scores like MNIST, a Fashion T-shirt and a colour photo on the grey MNIST
 * reference score out. Plus the distance rule and threshold on hand-made references.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { preprocessRGBA } from '@/lib/images';
import { colourfulness, inputStats } from './features';
import {
  buildReference,
  featureDistance,
  MIN_THRESHOLD,
  quantile,
  scoreSample,
  type FeatureReference,
  type ImageSample,
} from './reference';

const SETS = join(__dirname, '..', '..', 'models', 'datasets');
const pixels = (id: string) => new Uint8Array(readFileSync(join(SETS, id, 'images.u8')));
const mnist = pixels('mnist-test-2k');
const fashion = pixels('fashion-test-2k');
/** Image i of a bundled 28×28 grey set as a sample (its RGBA is grey: colourfulness 0). */
const setSample = (px: Uint8Array, i: number): ImageSample => {
  const data = Float32Array.from(px.subarray(i * 784, (i + 1) * 784), (v) => v / 255);
  return { input: inputStats({ width: 28, height: 28, channels: 1, data }), colour: 0, confidence: null };
};
/**
 * The sets are ordered class by class (image i has class i mod 10): every 4th block of ten (500 images, 50
 * per class) builds the reference, the next blocks are held out.
 */
const block = (j: number, offset: number) => (4 * Math.floor(j / 10) + offset) * 10 + (j % 10);
const REF = buildReference(Array.from({ length: 500 }, (_, j) => setSample(mnist, block(j, 0))));

describe('the grey MNIST reference', () => {
  it('calibrates its threshold on itself: about alpha of its own images are flagged', () => {
    expect(REF.n).toBe(500);
    expect(REF.threshold).toBeGreaterThanOrEqual(MIN_THRESHOLD);
    expect(REF.heldInFlagged).toBeLessThanOrEqual(REF.alpha + 1e-9);
    expect(REF.features.map((f) => f.id)).toEqual(
      expect.arrayContaining(['mean', 'std', 'dark', 'bright', 'edge', 'tones', 'nearest', 'colour']),
    );
    // no confidence statistics without model outputs
    expect(REF.features.map((f) => f.id)).not.toContain('maxProb');
  });

  it('MNIST images it was not built from score in (false alarms ≤ 3 % of 200)', () => {
    const held = Array.from({ length: 200 }, (_, j) => scoreSample(REF, setSample(mnist, block(j, 1))));
    expect(held).toHaveLength(200);
    const flagged = held.filter((s) => s.out).length;
    expect(flagged).toBeLessThanOrEqual(6);
    expect(scoreSample(REF, setSample(mnist, 10)).out).toBe(false);
  });

  it('a Fashion T-shirt scores out, with the reasons in words and numbers', () => {
    const tshirt = scoreSample(REF, setSample(fashion, 0)); // Fashion image 0 is class 0, T-shirt/top
    expect(tshirt.out).toBe(true);
    expect(tshirt.score).toBeGreaterThan(tshirt.threshold);
    expect(tshirt.findings.length).toBeGreaterThan(0);
    const first = tshirt.findings[0]!;
    expect(Math.abs(first.distance)).toBe(tshirt.score);
    expect(first.text).toMatch(/^(it|its|more|less) .+ \(.+; theirs .+–.+\)$/);
    // every T-shirt of the set is flagged
    const shirts = Array.from({ length: 200 }, (_, j) => scoreSample(REF, setSample(fashion, j * 10)).out);
    expect(shirts.filter(Boolean)).toHaveLength(200);
  });

  it('a colour photo greyed for the grey model scores out, colourfulness first', () => {
    // 60×40 "photo": a sky-blue top, a green field, a red square — smooth colour, not a digit.
    const w = 60;
    const h = 40;
    const rgba = new Uint8ClampedArray(w * h * 4);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        const px =
          x > 20 && x < 35 && y > 15 && y < 30 ? [200, 30, 40] : y < 18 ? [110, 160, 230 - y] : [60, 150 + (x % 7), 50];
        rgba.set([...px, 255], (y * w + x) * 4);
      }
    const input = preprocessRGBA(
      { data: rgba, width: w, height: h },
      { width: 28, height: 28, channels: 1 },
      'stretch',
    );
    const photo = scoreSample(REF, { input: inputStats(input), colour: colourfulness(rgba), confidence: null });
    expect(photo.out).toBe(true);
    // the plainest reason first: a colour image against a grey set
    expect(photo.findings[0]!.id).toBe('colour');
    expect(photo.findings[0]!.text).toMatch(
      /^it is in colour while theirs are grey \(colourfulness \d+\.\d; theirs 0\.0–0\.0\)$/,
    );
    expect(photo.score).toBe(Math.max(...photo.findings.map((f) => Math.abs(f.distance))));
  });
});

describe('distance rule', () => {
  const ref = (id: FeatureReference['id'], lo: number, median: number, hi: number): FeatureReference => ({
    id,
    lo,
    median,
    hi,
  });

  it('0 inside the range; beyond it, in units of the half-range on that side (at least the floor)', () => {
    const mean = ref('mean', 0.1, 0.2, 0.4);
    expect(featureDistance(mean, 0.3)).toBe(0);
    expect(featureDistance(mean, 0.6)).toBeCloseTo(1, 12); // (0.6 − 0.4) / (0.4 − 0.2)
    expect(featureDistance(mean, 0.05)).toBeCloseTo(-0.5, 12); // −(0.1 − 0.05) / (0.2 − 0.1)
    // a set with no spread (every image 0): the floor (0.02 for brightness at the edges) is the unit
    expect(featureDistance(ref('edge', 0, 0, 0), 0.04)).toBeCloseTo(2, 12);
    // one-sided statistics ignore the usual side: a very sure prediction is not unusual
    expect(featureDistance(ref('maxProb', 0.6, 0.99, 1), 0.3)).toBeLessThan(0);
    expect(featureDistance(ref('tones', 0.02, 0.05, 0.15), 0)).toBe(0);
  });

  it('quantile interpolates; a reference needs at least 20 images', () => {
    expect(quantile([0, 10], 0.5)).toBe(5);
    expect(quantile([1, 2, 3, 4, 5], 1)).toBe(5);
    expect(() => quantile([], 0.5)).toThrow(RangeError);
    expect(() => buildReference([setSample(mnist, 0)])).toThrow(/at least 20/);
  });
});
