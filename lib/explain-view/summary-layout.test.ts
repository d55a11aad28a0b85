import { describe, expect, it } from 'vitest';
import { colourBarHeight } from '@/lib/render';
import { SUMMARY, summaryLayout, type Rect } from './summary-layout';

const overlaps = (a: Rect, b: Rect) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

describe('summaryLayout', () => {
  it('puts every block inside the page without overlaps', () => {
    const l = summaryLayout({ tiles: 9, predictionRows: 5, factLines: 12 });
    const rects = [l.title, l.image, l.overlay, l.overlayBar, l.predictions, l.facts, ...l.tiles, l.footer];
    for (const r of rects) {
      expect(r.x).toBeGreaterThanOrEqual(0);
      expect(r.y).toBeGreaterThanOrEqual(0);
      expect(r.x + r.w).toBeLessThanOrEqual(l.width);
      expect(r.y + r.h).toBeLessThanOrEqual(l.height);
    }
    for (let i = 0; i < rects.length; i++)
      for (let j = i + 1; j < rects.length; j++) expect(overlaps(rects[i]!, rects[j]!), `${i} vs ${j}`).toBe(false);
  });
  it('wraps tiles into rows (6 per row at 1200 px) and grows the page', () => {
    const a = summaryLayout({ tiles: 6, predictionRows: 5, factLines: 4 });
    const b = summaryLayout({ tiles: 7, predictionRows: 5, factLines: 4 });
    expect(new Set(a.tiles.map((t) => t.y)).size).toBe(1);
    expect(b.tiles[6]!.y).toBeGreaterThan(b.tiles[0]!.y);
    expect(b.height).toBeGreaterThan(a.height);
  });
  it('no tiles: the footer follows the top blocks', () => {
    const l = summaryLayout({ tiles: 0, predictionRows: 3, factLines: 30 });
    expect(l.footer.y).toBeGreaterThan(l.facts.y + l.facts.h);
  });
  it('every map has a colour bar: under the overlay, and inside each tile under its picture', () => {
    const l = summaryLayout({ tiles: 8, predictionRows: 5, factLines: 4 });
    expect(l.tileBars).toHaveLength(8);
    expect(l.overlayBar.y).toBeGreaterThanOrEqual(l.overlay.y + l.overlay.h);
    expect(l.overlayBar.h).toBe(colourBarHeight(14, 12));
    l.tiles.forEach((t, i) => {
      const b = l.tileBars[i]!;
      expect(b.y).toBeGreaterThanOrEqual(t.y + t.w); // below the square picture
      expect(b.y + b.h + l.captionHeight).toBeLessThanOrEqual(t.y + t.h);
      expect(b.h).toBe(colourBarHeight(8, 10));
      expect(b.x).toBe(t.x);
    });
    expect(SUMMARY.tileBarH).toBe(colourBarHeight(8, 10));
  });
  it('wrapped text grows its block instead of being cut: legend, tile captions, footer', () => {
    const base = summaryLayout({ tiles: 3, predictionRows: 5, factLines: 4 });
    const long = summaryLayout({
      tiles: 3,
      predictionRows: 5,
      factLines: 4,
      legendLines: 3,
      captionLines: 6,
      footerLines: 4,
    });
    expect(long.overlayBar.h).toBe(base.overlayBar.h + 2 * 16);
    expect(long.captionHeight).toBe(24 + 6 * 14);
    expect(long.tiles[0]!.h).toBe(base.tiles[0]!.h + long.captionHeight - base.captionHeight);
    expect(long.footer.h).toBeGreaterThanOrEqual(12 + 4 * 15);
    expect(long.height).toBeGreaterThan(base.height);
    expect(long.footer.y + long.footer.h).toBeLessThanOrEqual(long.height);
  });
});
