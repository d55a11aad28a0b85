import { describe, expect, it } from 'vitest';
import { colormapLut, COLORMAPS, defaultColormap, lightness } from './colormaps';

const rgbAt = (lut: Uint8Array, i: number) => [lut[i * 3], lut[i * 3 + 1], lut[i * 3 + 2]] as [number, number, number];
const hex = (h: string) => [0, 2, 4].map((o) => parseInt(h.slice(o, o + 2), 16));
const near = (a: number[], b: number[], tol: number) =>
  a.forEach((v, i) => expect(Math.abs(v - (b[i] as number))).toBeLessThanOrEqual(tol));

describe('colormaps', () => {
  it('every LUT has 256 RGB entries', () => {
    for (const { name } of COLORMAPS) expect(colormapLut(name).length).toBe(768);
  });

  it('viridis and inferno end points match matplotlib (#440154 → #fde725, #000004 → #fcffa4) within 4/255', () => {
    near(rgbAt(colormapLut('viridis'), 0), hex('440154'), 4);
    near(rgbAt(colormapLut('viridis'), 255), hex('fde725'), 4);
    near(rgbAt(colormapLut('inferno'), 0), hex('000004'), 4);
    near(rgbAt(colormapLut('inferno'), 255), hex('fcffa4'), 4);
  });

  it('viridis and inferno lightness increases monotonically', () => {
    for (const name of ['viridis', 'inferno'] as const) {
      const lut = colormapLut(name);
      let prev = -1;
      for (let i = 0; i < 256; i++) {
        const l = lightness(...rgbAt(lut, i));
        expect(l, `${name}[${i}]`).toBeGreaterThan(prev - 0.05); // rounding to bytes can tie
        prev = l;
      }
      expect(lightness(...rgbAt(lut, 255)) - lightness(...rgbAt(lut, 0))).toBeGreaterThan(60);
    }
  });

  it('turbo runs dark blue-violet → green/yellow → dark red (polynomial approximation)', () => {
    const lut = colormapLut('turbo');
    expect(lightness(...rgbAt(lut, 0))).toBeLessThan(15); // dark start
    const [r0, g0, b0] = rgbAt(lut, 40);
    expect(b0).toBeGreaterThan(r0);
    expect(b0).toBeGreaterThan(g0);
    const [, gm] = rgbAt(lut, 128);
    expect(gm).toBeGreaterThan(200);
    const [r1, g1, b1] = rgbAt(lut, 255);
    expect(r1).toBeGreaterThan(100);
    expect(g1).toBeLessThan(30);
    expect(b1).toBeLessThan(30);
  });

  it('rdbu: blue at 0, red at 255 (ColorBrewer anchors), near-white centre, lightness rises to the centre and falls after', () => {
    const lut = colormapLut('rdbu');
    expect(rgbAt(lut, 0)).toEqual(hex('053061'));
    expect(rgbAt(lut, 255)).toEqual(hex('67001f'));
    const mid = rgbAt(lut, 128);
    for (const v of mid) expect(v).toBeGreaterThan(240);
    for (let i = 1; i <= 127; i++)
      expect(lightness(...rgbAt(lut, i))).toBeGreaterThanOrEqual(lightness(...rgbAt(lut, i - 1)) - 0.05);
    for (let i = 129; i < 256; i++)
      expect(lightness(...rgbAt(lut, i))).toBeLessThanOrEqual(lightness(...rgbAt(lut, i - 1)) + 0.05);
  });

  it('defaults: diverging for signed, viridis otherwise; lightness reference values', () => {
    expect(defaultColormap(true)).toBe('rdbu');
    expect(defaultColormap(false)).toBe('viridis');
    expect(lightness(255, 255, 255)).toBeCloseTo(100, 3);
    expect(lightness(0, 0, 0)).toBeCloseTo(0, 6);
    expect(lightness(119, 119, 119)).toBeCloseTo(50, 0);
  });
});
