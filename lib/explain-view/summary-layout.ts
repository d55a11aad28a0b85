/**
 * Layout of the one-page summary PNG (image, overlay, predictions, facts, one tile per chosen explanation,
 * footer). Pure geometry in CSS pixels; the component draws into these rectangles on a canvas.
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
  /** Lines of text in the facts block (decision + model card). */
  factLines: number;
  /** Page width; default 1200. */
  width?: number;
}

export interface SummaryLayout {
  width: number;
  height: number;
  title: Rect;
  image: Rect;
  overlay: Rect;
  predictions: Rect;
  facts: Rect;
  tiles: Rect[];
  /** Height of a tile's caption area below its picture (inside the tile rect). */
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
} as const;

export function summaryLayout(input: SummaryLayoutInput): SummaryLayout {
  const { margin: m, gap, titleH, big, rowH, lineH, tile, captionH, footerH } = SUMMARY;
  const width = Math.max(800, input.width ?? 1200);
  const title = { x: m, y: m, w: width - 2 * m, h: titleH };
  const top = title.y + titleH + gap;
  const image = { x: m, y: top, w: big, h: big };
  const overlay = { x: m + big + gap, y: top, w: big, h: big };
  const rightX = overlay.x + big + 2 * gap;
  const rightW = width - m - rightX;
  const predictions = { x: rightX, y: top, w: rightW, h: Math.max(0, input.predictionRows) * rowH + 24 };
  const facts = {
    x: rightX,
    y: predictions.y + predictions.h + gap,
    w: rightW,
    h: Math.max(0, input.factLines) * lineH,
  };
  let y = Math.max(image.y + big, facts.y + facts.h) + 2 * gap;
  const cols = Math.max(1, Math.floor((width - 2 * m + gap) / (tile + gap)));
  const tiles: Rect[] = [];
  for (let i = 0; i < Math.max(0, input.tiles); i++) {
    const r = Math.floor(i / cols);
    const c = i % cols;
    tiles.push({ x: m + c * (tile + gap), y: y + r * (tile + captionH + gap), w: tile, h: tile + captionH });
  }
  if (tiles.length > 0) y += Math.ceil(tiles.length / cols) * (tile + captionH + gap);
  const footer = { x: m, y, w: width - 2 * m, h: footerH };
  return {
    width,
    height: y + footerH + m,
    title,
    image,
    overlay,
    predictions,
    facts,
    tiles,
    captionHeight: captionH,
    footer,
  };
}
