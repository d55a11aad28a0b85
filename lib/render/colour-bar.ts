/**
 * Colour bars: the colour map actually used for a map, its value scale (the clip range as displayed) and
 * what its ends mean in words. One source for the on-screen bar (a CSS gradient) and for exported images
 * (`drawColourBar`, column by column on a 2D context), so the legend can never contradict the picture.
 * Pure functions over plain numbers; `drawColourBar` only needs `fillStyle`, `fillRect`, `fillText`.
 */
import { COLORMAPS, colormapLut, defaultColormap, type ColormapName } from './colormaps';
import { clipRange, type ClipRange } from './heatmap';
import type { LookSettings } from './compose';

/** Whether a map is drawn diverging: signed values not shown as magnitudes. */
export function displaySigned(signed: boolean, look: Pick<LookSettings, 'absolute'>): boolean {
  return signed && !look.absolute;
}

/** The colour map `paintHeatmap` uses for this map and look (the user's choice, else the default). */
export function displayColormap(signed: boolean, look: Pick<LookSettings, 'absolute' | 'colormap'>): ColormapName {
  return look.colormap ?? defaultColormap(displaySigned(signed, look));
}

/** `rgb(r, g, b)` of entry t ∈ [0, 1] of a colour map (t clamped; entry round(t·255)). */
export function colormapCss(name: ColormapName, t: number): string {
  const lut = colormapLut(name);
  const k = Math.round(Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * 255);
  return `rgb(${lut[k * 3]}, ${lut[k * 3 + 1]}, ${lut[k * 3 + 2]})`;
}

/** A CSS `linear-gradient` (left = low end) through `stops` (≥ 2) evenly spaced entries of the map. */
export function colourBarGradient(name: ColormapName, stops = 17): string {
  if (!Number.isInteger(stops) || stops < 2)
    throw new Error(`colourBarGradient: stops must be an integer ≥ 2, got ${stops}`);
  const parts = Array.from(
    { length: stops },
    (_, i) => `${colormapCss(name, i / (stops - 1))} ${((100 * i) / (stops - 1)).toFixed(1)}%`,
  );
  return `linear-gradient(to right, ${parts.join(', ')})`;
}

/**
 * RGBA bytes of a horizontal bar `width × height`: column x shows entry round(x/(width−1)·255) of the map
 * (x = 0 the low end; a 1-pixel bar shows entry 0). Alpha 255. Returns a new array of width·height·4 bytes.
 */
export function paintColourBar(name: ColormapName, width: number, height: number): Uint8ClampedArray {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1)
    throw new Error(`paintColourBar: size must be whole numbers ≥ 1, got ${width}×${height}`);
  const lut = colormapLut(name);
  const out = new Uint8ClampedArray(width * height * 4);
  for (let x = 0; x < width; x++) {
    const k = width === 1 ? 0 : Math.round((x / (width - 1)) * 255);
    for (let y = 0; y < height; y++) {
      const o = (y * width + x) * 4;
      out[o] = lut[k * 3] as number;
      out[o + 1] = lut[k * 3 + 1] as number;
      out[o + 2] = lut[k * 3 + 2] as number;
      out[o + 3] = 255;
    }
  }
  return out;
}

/** A tick value as short text: 2 decimals, or 1-digit exponent for |x| ≥ 1000 or 0 < |x| < 0.01. */
export function formatTick(x: number): string {
  if (!Number.isFinite(x)) return '–';
  if (x === 0) return '0';
  return Math.abs(x) >= 1000 || Math.abs(x) < 0.01 ? x.toExponential(1) : x.toFixed(2);
}

export interface ColourBarTick {
  /** Position along the bar in [0, 1] (0 = low end). */
  at: number;
  value: number;
  text: string;
}

/** The ticks of a bar: signed ranges [−m, 0, m] (0 in the middle), others [lo, hi]. */
export function colourBarTicks(range: ClipRange): ColourBarTick[] {
  const t = (at: number, value: number) => ({ at, value, text: formatTick(value) });
  return range.signed ? [t(0, range.lo), t(0.5, 0), t(1, range.hi)] : [t(0, range.lo), t(1, range.hi)];
}

// The colour a person sees at the low end, the middle and the high end of each map.
const ENDS: Record<ColormapName, readonly [string, string, string]> = {
  viridis: ['purple', 'teal', 'yellow'],
  inferno: ['black', 'red', 'yellow'],
  turbo: ['blue', 'green', 'red'],
  rdbu: ['blue', 'white', 'red'],
};

/**
 * The legend in words, from the map's own colours: signed maps "blue = against · white = 0 · red = for the
 * class" on red–blue, "purple = against · teal = 0 · yellow = for the class" on Viridis; unsigned maps
 * "purple = least · yellow = most (how much, not which way)".
 */
export function colourBarWords(name: ColormapName, signed: boolean): string {
  const [low, mid, high] = ENDS[name];
  return signed
    ? `${low} = against · ${mid} = 0 · ${high} = for the class`
    : `${low} = least · ${high} = most (how much, not which way)`;
}

/** The colour map's label ("Viridis", "Red–blue (diverging)"). */
export function colormapLabel(name: ColormapName): string {
  return COLORMAPS.find((c) => c.name === name)?.label ?? name;
}

/** What a colour bar shows: built once, drawn on screen or into an export. */
export interface ColourBarSpec {
  colormap: ColormapName;
  range: ClipRange;
  /** The map's unit in words, e.g. "drop in probability". */
  unit: string;
  ticks: ColourBarTick[];
  words: string;
}

export function colourBarSpec(colormap: ColormapName, range: ClipRange, unit: string): ColourBarSpec {
  return { colormap, range, unit, ticks: colourBarTicks(range), words: colourBarWords(colormap, range.signed) };
}

/** The part of CanvasRenderingContext2D that `drawColourBar` uses. */
export interface BarContext {
  fillStyle: string | CanvasGradient | CanvasPattern;
  font: string;
  textAlign: CanvasTextAlign;
  textBaseline: CanvasTextBaseline;
  fillRect(x: number, y: number, w: number, h: number): void;
  fillText(text: string, x: number, y: number, maxWidth?: number): void;
}

/** Height in CSS pixels that `drawColourBar` needs for a bar of `barHeight` (bar + ticks + unit line). */
export function colourBarHeight(barHeight = 14, fontPx = 12): number {
  return barHeight + 2 * (fontPx + 4) + 2;
}

/**
 * Draws the bar (one 1-px column per position, entry round(i/(w−1)·255), integer coordinates so the
 * pixels are exactly the map's colours), its tick values below, then a caption below those (default
 * "unit · words"; `caption: null` draws none, a string replaces it: narrow tiles pass the unit alone), inside
 * `{ x, y, w }` (height `colourBarHeight(barHeight, fontPx)`). Leaves fillStyle/font/textAlign changed.
 */
export function drawColourBar(
  ctx: BarContext,
  spec: ColourBarSpec,
  rect: { x: number; y: number; w: number },
  opts: { barHeight?: number; fontPx?: number; color?: string; caption?: string | null } = {},
): void {
  const barH = opts.barHeight ?? 14;
  const fontPx = opts.fontPx ?? 12;
  const x0 = Math.round(rect.x);
  const y0 = Math.round(rect.y);
  const w = Math.max(1, Math.round(rect.w));
  for (let i = 0; i < w; i++) {
    ctx.fillStyle = colormapCss(spec.colormap, w === 1 ? 0 : i / (w - 1));
    ctx.fillRect(x0 + i, y0, 1, barH);
  }
  ctx.fillStyle = opts.color ?? '#0f172a';
  ctx.font = `${fontPx}px system-ui, sans-serif`;
  ctx.textBaseline = 'top';
  for (const t of spec.ticks) {
    ctx.textAlign = t.at === 0 ? 'left' : t.at === 1 ? 'right' : 'center';
    ctx.fillText(t.text, x0 + t.at * w, y0 + barH + 3);
  }
  ctx.textAlign = 'left';
  const caption = opts.caption === undefined ? `${spec.unit} · ${spec.words}` : opts.caption;
  if (caption) ctx.fillText(caption, x0, y0 + barH + fontPx + 7, w); // squeezed to the bar's width
}

/**
 * A method's unit with `{score}` filled in from the attribution's score kind: "gradient of the {score}"
 * → "gradient of the logit" (score kinds: logit, probability, value). Units without the placeholder come back
 * unchanged.
 */
export function unitText(unit: string, scoreKind: string): string {
  return unit.replaceAll('{score}', scoreKind);
}

/**
 * The colour bar of a map (`values` row-major, any length ≥ 0) drawn with `look`: the colour map and clip
 * range `paintHeatmap` uses, ticks and words; `unit` as given (see `unitText`).
 */
export function colourBarFor(
  values: ArrayLike<number>,
  signed: boolean,
  look: Pick<LookSettings, 'absolute' | 'colormap' | 'clipPercentile'>,
  unit: string,
): ColourBarSpec {
  const range = clipRange(values, { clipPercentile: look.clipPercentile, signed, absolute: look.absolute });
  return colourBarSpec(displayColormap(signed, look), range, unit);
}
