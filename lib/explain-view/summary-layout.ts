/**
 * Layout of the one-page summary PNG (image, overlay with its colour bar, predictions, facts, one tile per
 * chosen explanation with its own colour bar, footer). Pure geometry in CSS pixels; the component draws
 * into these rectangles on a canvas (bars with lib/render's `drawColourBar`).
 */
export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface SummaryLayoutInput {
  /** Number of explanation tiles (≥ 0). */
  tiles: number;
  /** Prediction rows (top-k). */
  predictionRows: number;
  /** Lines of text in the facts block (decision + model card), after wrapping. */
  factLines: number;
  /** Lines of the main colour bar's legend ("unit · words") after wrapping; default 1. */
  legendLines?: number;
  /** Lines of the longest tile caption (legend + description, 14 px each) under its title; default 2. */
  captionLines?: number;
  /** Lines of the footer after wrapping; default 2. */
  footerLines?: number;
  /** Page width; default 1200. */
  width?: number;
}

export interface SummaryLayout {
  width: number;
  height: number;
  title: Rect;
  image: Rect;
  overlay: Rect;
  /** The main map's colour bar, under the overlay's caption (height: bar + ticks + unit line). */
  overlayBar: Rect;
  predictions: Rect;
  facts: Rect;
  /** Whole tiles: picture (w × w), then its colour bar, then title and caption. */
  tiles: Rect[];
  /** Each tile's colour bar, inside its tile rect, right under the picture. */
  tileBars: Rect[];
  /** Height of a tile's caption area below its colour bar (inside the tile rect). */
  captionHeight: number;
  footer: Rect;
}

export const SUMMARY = {
  margin: 32,
  gap: 16,
  titleH: 56,
  big: 280,
  rowH: 28,
  lineH: 22,
  tile: 160,
  captionH: 52,
  footerH: 36,
  /** Room for the image captions under the big pictures. */
  bigCaptionH: 22,
  /** The main colour bar: 14-px bar + ticks + unit line at 12 px (`colourBarHeight(14, 12)`). */
  barH: 48,
  /** A tile's colour bar: 8-px bar + ticks + unit at 10 px (`colourBarHeight(8, 10)`). */
  tileBarH: 38,
} as const;

export function summaryLayout(input: SummaryLayoutInput): SummaryLayout {
  const { margin: m, gap, titleH, big, rowH, lineH, tile, captionH, footerH, bigCaptionH, barH, tileBarH } = SUMMARY;
  const width = Math.max(800, input.width ?? 1200);
  const lines = (n: number | undefined, d: number) => Math.max(1, Math.ceil(n ?? d));
  const legendH = barH + (lines(input.legendLines, 1) - 1) * 16;
  const captionHeight = Math.max(captionH, 24 + lines(input.captionLines, 2) * 14);
  const footerHeight = Math.max(footerH, 12 + lines(input.footerLines, 2) * 15);
  const title = { x: m, y: m, w: width - 2 * m, h: titleH };
  const top = title.y + titleH + gap;
  const image = { x: m, y: top, w: big, h: big };
  const overlay = { x: m + big + gap, y: top, w: big, h: big };
  const overlayBar = { x: overlay.x, y: top + big + bigCaptionH, w: big, h: legendH };
  const rightX = overlay.x + big + 2 * gap;
  const rightW = width - m - rightX;
  const predictions = { x: rightX, y: top, w: rightW, h: Math.max(0, input.predictionRows) * rowH + 24 };
  const facts = {
    x: rightX,
    y: predictions.y + predictions.h + gap,
    w: rightW,
    h: Math.max(0, input.factLines) * lineH,
  };
  let y = Math.max(overlayBar.y + overlayBar.h, facts.y + facts.h) + 2 * gap;
  const tileH = tile + 4 + tileBarH + captionHeight;
  const cols = Math.max(1, Math.floor((width - 2 * m + gap) / (tile + gap)));
  const tiles: Rect[] = [];
  const tileBars: Rect[] = [];
  for (let i = 0; i < Math.max(0, input.tiles); i++) {
    const r = Math.floor(i / cols);
    const c = i % cols;
    const t = { x: m + c * (tile + gap), y: y + r * (tileH + gap), w: tile, h: tileH };
    tiles.push(t);
    tileBars.push({ x: t.x, y: t.y + tile + 4, w: tile, h: tileBarH });
  }
  if (tiles.length > 0) y += Math.ceil(tiles.length / cols) * (tileH + gap);
  const footer = { x: m, y, w: width - 2 * m, h: footerHeight };
  return {
    width,
    height: y + footerHeight + m,
    title,
    image,
    overlay,
    overlayBar,
    predictions,
    facts,
    tiles,
    tileBars,
    captionHeight,
    footer,
  };
}
