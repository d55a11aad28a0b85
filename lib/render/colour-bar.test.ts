import { describe, expect, it } from 'vitest';
import { colormapLut, COLORMAPS, type ColormapName } from './colormaps';
import {
  colourBarGradient,
  colourBarSpec,
  colourBarTicks,
  colourBarWords,
  displayColormap,
  drawColourBar,
  formatTick,
  paintColourBar,
  type BarContext,
  unitText,
  colourBarFor,
} from './colour-bar';
import { listMethodMetas } from '@/lib/explain/catalog';
import { paintHeatmap } from './heatmap';

const lutRgb = (name: ColormapName, k: number) => {
  const lut = colormapLut(name);
  return [lut[k * 3], lut[k * 3 + 1], lut[k * 3 + 2]];
};
const px = (rgba: Uint8ClampedArray, width: number, x: number, y: number) =>
  Array.from(rgba.subarray((y * width + x) * 4, (y * width + x) * 4 + 4));

/** A 2D context that records every fillRect's colour per pixel column and every text drawn. */
function recordingContext() {
  const columns = new Map<number, string>();
  const texts: { text: string; x: number; y: number; align: string }[] = [];
  const ctx: BarContext = {
    fillStyle: '',
    font: '',
    textAlign: 'left',
    textBaseline: 'top',
    fillRect(x, _y, w) {
      for (let i = 0; i < w; i++) columns.set(x + i, String(ctx.fillStyle));
    },
    fillText(text, x, y) {
      texts.push({ text, x, y, align: ctx.textAlign });
    },
  };
  return { ctx, columns, texts };
}

describe('colour bar', () => {
  it('the painted bar equals the colour map at its stops (0, ¼, ½, ¾, 1) for every map', () => {
    const width = 257; // x = 64·j ↦ entry round(64j/256·255)
    for (const { name } of COLORMAPS) {
      const rgba = paintColourBar(name, width, 3);
      for (const [x, k] of [
        [0, 0],
        [64, 64],
        [128, 128],
        [192, 191],
        [256, 255],
      ] as const) {
        for (const y of [0, 2]) expect(px(rgba, width, x, y), `${name} x=${x}`).toEqual([...lutRgb(name, k), 255]);
      }
    }
  });

  it('drawColourBar fills one column per pixel with the map’s exact colour, low end left', () => {
    const { ctx, columns } = recordingContext();
    const spec = colourBarSpec('viridis', { lo: 0, hi: 2, signed: false }, 'gradient of the logit');
    drawColourBar(ctx, spec, { x: 10, y: 5, w: 256 });
    expect(columns.size).toBe(256);
    const rgb = (k: number) => `rgb(${lutRgb('viridis', k).join(', ')})`;
    expect(columns.get(10)).toBe(rgb(0));
    expect(columns.get(10 + 255)).toBe(rgb(255));
    expect(columns.get(10 + 100)).toBe(rgb(100));
    expect(columns.get(9)).toBeUndefined();
  });

  it('drawColourBar writes the scale (min, 0, max) and the unit with the words of the map in use', () => {
    const { ctx, texts } = recordingContext();
    drawColourBar(ctx, colourBarSpec('turbo', { lo: -0.5, hi: 0.5, signed: true }, 'drop in probability'), {
      x: 0,
      y: 0,
      w: 200,
    });
    expect(texts.map((t) => t.text)).toEqual([
      '-0.50',
      '0',
      '0.50',
      'drop in probability · blue = against · green = 0 · red = for the class',
    ]);
    expect(texts.map((t) => t.x).slice(0, 3)).toEqual([0, 100, 200]);
    const none = recordingContext();
    drawColourBar(
      none.ctx,
      colourBarSpec('rdbu', { lo: -1, hi: 1, signed: true }, 'u'),
      { x: 0, y: 0, w: 50 },
      { caption: null },
    );
    expect(none.texts).toHaveLength(3);
  });

  it('the words follow the map: no "blue = against" on Viridis, red–blue says blue/white/red', () => {
    expect(colourBarWords('viridis', true)).not.toContain('blue');
    expect(colourBarWords('viridis', true)).toBe('purple = against · teal = 0 · yellow = for the class');
    expect(colourBarWords('rdbu', true)).toBe('blue = against · white = 0 · red = for the class');
    expect(colourBarWords('inferno', false)).toBe('black = least · yellow = most (how much, not which way)');
  });

  it('ticks: signed ranges show −m, 0, m; unsigned lo and hi', () => {
    expect(colourBarTicks({ lo: -3, hi: 3, signed: true }).map((t) => [t.at, t.text])).toEqual([
      [0, '-3.00'],
      [0.5, '0'],
      [1, '3.00'],
    ]);
    expect(colourBarTicks({ lo: 0.001, hi: 1500, signed: false }).map((t) => t.text)).toEqual(['1.0e-3', '1.5e+3']);
    expect(formatTick(Number.NaN)).toBe('–');
  });

  it('the bar’s ends are the colours paintHeatmap gives the range’s ends (same map, same look)', () => {
    const values = Float32Array.from({ length: 100 }, (_, i) => i / 10 - 4);
    for (const look of [
      { absolute: false, colormap: undefined },
      { absolute: true, colormap: undefined },
      { absolute: false, colormap: 'turbo' as const },
    ]) {
      const name = displayColormap(true, look);
      const heat = paintHeatmap(values, 10, 10, {
        signed: true,
        absolute: look.absolute,
        colormap: look.colormap,
        clipPercentile: 100,
      });
      const bar = paintColourBar(name, 256, 1);
      // v[99] = 5.9 is the largest v and the largest |v|: the high end.
      expect(px(heat.rgba, 100, 99, 0).slice(0, 3)).toEqual(px(bar, 256, 255, 0).slice(0, 3));
      // As magnitudes, v[40] = 0 is the smallest: the low end.
      if (look.absolute) expect(px(heat.rgba, 100, 40, 0).slice(0, 3)).toEqual(px(bar, 256, 0, 0).slice(0, 3));
    }
    expect(displayColormap(true, { absolute: false })).toBe('rdbu');
    expect(displayColormap(true, { absolute: true })).toBe('viridis');
    expect(displayColormap(false, { absolute: false, colormap: 'inferno' })).toBe('inferno');
  });

  it('the CSS gradient runs through the map’s entries; bad sizes are refused', () => {
    const g = colourBarGradient('rdbu', 3);
    expect(g).toBe(
      `linear-gradient(to right, rgb(${lutRgb('rdbu', 0).join(', ')}) 0.0%, rgb(${lutRgb('rdbu', 128).join(', ')}) 50.0%, rgb(${lutRgb('rdbu', 255).join(', ')}) 100.0%)`,
    );
    expect(() => colourBarGradient('rdbu', 1)).toThrow(/stops/);
    expect(() => paintColourBar('rdbu', 0, 4)).toThrow(/size/);
  });

  it('every method states a unit; {score} becomes the score kind', () => {
    const metas = listMethodMetas();
    expect(metas.length).toBeGreaterThan(5);
    for (const m of metas) {
      expect(m.unit.trim().length, m.id).toBeGreaterThan(3);
      expect(unitText(m.unit, 'logit'), m.id).not.toContain('{');
    }
    expect(unitText('gradient of the {score}', 'logit')).toBe('gradient of the logit');
    expect(unitText('drop in {score} when hidden', 'probability')).toBe('drop in probability when hidden');
  });

  it('colourBarFor: the clip range and map paintHeatmap uses, signed only when drawn diverging', () => {
    const values = Float32Array.from([-2, -1, 0, 1, 4]);
    const look = { absolute: false, clipPercentile: 100, colormap: undefined };
    const heat = paintHeatmap(values, 5, 1, { ...look, signed: true });
    expect(colourBarFor(values, true, look, 'u')).toMatchObject({ colormap: 'rdbu', range: heat.range, unit: 'u' });
    expect(colourBarFor(values, true, look, 'u').ticks.map((t) => t.text)).toEqual(['-4.00', '0', '4.00']);
    const abs = colourBarFor(values, true, { ...look, absolute: true }, 'u');
    expect(abs).toMatchObject({ colormap: 'viridis', range: { lo: 0, hi: 4, signed: false } });
    expect(abs.words).toContain('least');
  });
});
