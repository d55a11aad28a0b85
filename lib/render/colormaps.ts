/**
 * Colormaps as 256-entry RGB lookup tables (Uint8Array, length 768, [r0, g0, b0, r1, …]), generated at
 * first use from published data — nothing hand-tuned:
 * - viridis, inferno: the degree-6 polynomial fits of matplotlib's maps by Matt Zucker
 *   (https://www.shadertoy.com/view/WlfXRN), max error about 1/255 against the matplotlib tables.
 * - turbo: Google's polynomial approximation (Anton Mikhailov's colormap, GLSL approximation by Ruofei Du,
 *   Apache-2.0, https://gist.github.com/mikhailov-work/0d177465a8151eb6ede1768d51d476c7); it is an
 *   approximation of the 256-entry table (largest deviations at the dark-red end).
 * - rdbu: ColorBrewer's 11-class RdBu (Cynthia Brewer, https://colorbrewer2.org), reversed so low = blue,
 *   high = red, linearly interpolated in sRGB between the 11 anchors. Diverging: white in the middle,
 *   for signed maps (0 ↦ entry 127.5).
 */

export type ColormapName = 'viridis' | 'inferno' | 'turbo' | 'rdbu';

export const COLORMAPS: readonly { name: ColormapName; label: string; diverging: boolean }[] = [
  { name: 'viridis', label: 'Viridis', diverging: false },
  { name: 'inferno', label: 'Inferno', diverging: false },
  { name: 'turbo', label: 'Turbo', diverging: false },
  { name: 'rdbu', label: 'Red–blue (diverging)', diverging: true },
];

type Poly6 = readonly [number, number, number][];

// c0 … c6 per channel, f(t) = Σ c_k t^k.
const VIRIDIS: Poly6 = [
  [0.2777273272234177, 0.005407344544966578, 0.3340998053353061],
  [0.1050930431085774, 1.404613529898575, 1.384590162594685],
  [-0.3308618287255563, 0.214847559468213, 0.09509516302823659],
  [-4.634230498983486, -5.799100973351585, -19.33244095627987],
  [6.228269936347081, 14.17993336680509, 56.69055260068105],
  [4.776384997670288, -13.74514537774601, -65.35303263337234],
  [-5.435455855934631, 4.645852612178535, 26.3124352495832],
];
const INFERNO: Poly6 = [
  [0.0002189403691192265, 0.001651004631001012, -0.01948089843709184],
  [0.1065134194856116, 0.5639564367884091, 3.932712388889277],
  [11.60249308247187, -3.972853965665698, -15.9423941062914],
  [-41.70399613139459, 17.43639888205313, 44.35414519872813],
  [77.162935699427, -33.40235894210092, -81.80730925738993],
  [-71.31942824499214, 32.62606426397723, 73.20951985803202],
  [25.13112622477341, -12.24266895238567, -23.07032500287172],
];
// Turbo: coefficients of 1, t, t², t³, t⁴, t⁵ per channel.
const TURBO: readonly (readonly number[])[] = [
  [0.13572138, 4.6153926, -42.66032258, 132.13108234, -152.94239396, 59.28637943],
  [0.09140261, 2.19418839, 4.84296658, -14.18503333, 4.27729857, 2.82956604],
  [0.1066733, 12.64194608, -60.58204836, 110.36276771, -89.90310912, 27.34824973],
];
// ColorBrewer RdBu, 11 classes, from red (#67001f) to blue (#053061).
const RDBU_11 = [
  '67001f',
  'b2182b',
  'd6604d',
  'f4a582',
  'fddbc7',
  'f7f7f7',
  'd1e5f0',
  '92c5de',
  '4393c3',
  '2166ac',
  '053061',
];

const to8 = (v: number) => Math.round(Math.min(1, Math.max(0, v)) * 255);

function fromPoly6(c: Poly6): Uint8Array {
  const lut = new Uint8Array(768);
  for (let i = 0; i < 256; i++) {
    const t = i / 255;
    for (let ch = 0; ch < 3; ch++) {
      let v = 0;
      for (let k = 6; k >= 0; k--) v = v * t + (c[k] as [number, number, number])[ch]!;
      lut[i * 3 + ch] = to8(v);
    }
  }
  return lut;
}

function turbo(): Uint8Array {
  const lut = new Uint8Array(768);
  for (let i = 0; i < 256; i++) {
    const t = i / 255;
    for (let ch = 0; ch < 3; ch++) {
      const c = TURBO[ch] as readonly number[];
      let v = 0;
      for (let k = 5; k >= 0; k--) v = v * t + (c[k] as number);
      lut[i * 3 + ch] = to8(v);
    }
  }
  return lut;
}

function fromAnchors(hex: readonly string[]): Uint8Array {
  const rgb = hex.map((h) => [0, 2, 4].map((o) => parseInt(h.slice(o, o + 2), 16)));
  const lut = new Uint8Array(768);
  const segs = rgb.length - 1;
  for (let i = 0; i < 256; i++) {
    const x = (i / 255) * segs;
    const k = Math.min(Math.floor(x), segs - 1);
    const f = x - k;
    const a = rgb[k] as number[];
    const b = rgb[k + 1] as number[];
    for (let ch = 0; ch < 3; ch++) lut[i * 3 + ch] = Math.round((a[ch] as number) * (1 - f) + (b[ch] as number) * f);
  }
  return lut;
}

const cache = new Map<ColormapName, Uint8Array>();

/** The 256×3 lookup table of `name` (shared, do not mutate). */
export function colormapLut(name: ColormapName): Uint8Array {
  let lut = cache.get(name);
  if (!lut) {
    switch (name) {
      case 'viridis':
        lut = fromPoly6(VIRIDIS);
        break;
      case 'inferno':
        lut = fromPoly6(INFERNO);
        break;
      case 'turbo':
        lut = turbo();
        break;
      case 'rdbu':
        lut = fromAnchors([...RDBU_11].reverse());
        break;
      default:
        throw new Error(`unknown colormap "${String(name)}"`);
    }
    cache.set(name, lut);
  }
  return lut;
}

/** The default colormap for a map: diverging for signed maps, viridis otherwise. */
export function defaultColormap(signed: boolean): ColormapName {
  return signed ? 'rdbu' : 'viridis';
}

/** CIE L* (0–100) of an sRGB colour with 0–255 channels (D65). Used by tests and legends. */
export function lightness(r: number, g: number, b: number): number {
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  const y = 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  return y > 216 / 24389 ? 116 * Math.cbrt(y) - 16 : (24389 / 27) * y;
}
