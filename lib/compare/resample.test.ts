import { describe, expect, it } from 'vitest';
import { mulberry32 } from '@/lib/random';
import { resizeGeometry } from '@/lib/images/preprocess';
import { resize } from '@/lib/resize';
import { attributionToGrid, comparisonGrid, mapToGrid } from './resample';

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
    const g = attributionToGrid({ values: map, width: 32, height: 32 }, { width: 28, height: 28 }, 'stretch', {
      width: 28,
      height: 28,
    });
    const ref = resize(map, { width: 32, height: 32 }, { width: 28, height: 28 });
    expect(g.covered.length).toBe(28 * 28);
    expect(g.covered.every((c) => c === 1)).toBe(true);
    for (let i = 0; i < ref.length; i++) expect(g.values[i]).toBeCloseTo(ref[i] as number, 6);
  });

  it('centre-crop: only the centred square the model saw is covered, and it lands where it came from', () => {
    // 40×20 image, 10×10 model: the model sees columns 10…30 of the image.
    const map = Float32Array.from({ length: 100 }, (_, i) => i % 10); // value = map column
    const g = attributionToGrid({ values: map, width: 10, height: 10 }, { width: 40, height: 20 }, 'center-crop', {
      width: 40,
      height: 20,
    });
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
    expect(() => mapToGrid(new Float32Array(28 * 28), 28, 28, geometry, 28, 28, { width: 28, height: 28 })).toThrow(
      /geometry/,
    );
  });
});
