import { describe, expect, it } from 'vitest';
import { colormapLut, defaultColormap } from './colormaps';
import { composeView, DEFAULT_LOOK } from './compose';

const image = { data: new Float32Array([0, 1, 1, 0]), width: 2, height: 2, channels: 1 };

describe('composeView', () => {
  it('upscales the image to the display width (nearest) in image mode', () => {
    const out = composeView({ image, signed: false }, { ...DEFAULT_LOOK, mode: 'image' }, 4);
    expect([out.width, out.height]).toEqual([4, 4]);
    expect(out.rgba[0]).toBe(0); // top-left black
    expect(out.rgba[(0 * 4 + 3) * 4]).toBe(255); // top-right white
    expect(out.range).toBeNull();
  });
  it('opacity 0 overlay equals the image; heatmap mode ignores the image', () => {
    const values = new Float32Array([0, 1, 2, 3]);
    const input = { image, values, mapWidth: 2, mapHeight: 2, signed: false };
    const plain = composeView(input, { ...DEFAULT_LOOK, mode: 'image' }, 4);
    const zero = composeView(input, { ...DEFAULT_LOOK, opacity: 0 }, 4);
    expect(Array.from(zero.rgba)).toEqual(Array.from(plain.rgba));
    const heat = composeView({ ...input, image: undefined }, { ...DEFAULT_LOOK, mode: 'heatmap' }, 4);
    const heat2 = composeView(input, { ...DEFAULT_LOOK, mode: 'heatmap' }, 4);
    expect(Array.from(heat.rgba)).toEqual(Array.from(heat2.rgba));
    expect(heat.range?.signed).toBe(false);
  });
  it('an all-zero signed map paints the neutral middle of the diverging colormap (no NaN)', () => {
    // Bytes cannot hold NaN (a NaN turns into 0 in a Uint8ClampedArray), so check the colour itself.
    const out = composeView(
      { values: new Float32Array(4), mapWidth: 2, mapHeight: 2, signed: true },
      { ...DEFAULT_LOOK, mode: 'heatmap' },
      3,
    );
    expect(out.rgba.length).toBe(3 * 3 * 4);
    expect(Number.isFinite(out.range?.lo)).toBe(true);
    expect(Number.isFinite(out.range?.hi)).toBe(true);
    const lut = colormapLut(defaultColormap(true));
    const mid = [lut[128 * 3], lut[128 * 3 + 1], lut[128 * 3 + 2], 255];
    for (let i = 0; i < 9; i++) expect(Array.from(out.rgba.subarray(i * 4, i * 4 + 4))).toEqual(mid);
  });
});
