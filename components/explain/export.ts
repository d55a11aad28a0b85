'use client';
/**
 * Exports of the Explain view: the overlay as PNG, raw values as .npy / JSON, and a one-page summary PNG
 * drawn on a canvas (layout from lib/explain-view/summary-layout.ts). Downloads go through a temporary
 * object URL; nothing leaves the browser.
 */
import type { Attribution, ImageInput } from '@/lib/explain';
import {
  composeView,
  type LookSettings,
  attributionToJson,
  colourBarFor,
  colourBarHeight,
  drawColourBar,
  encodeNpy,
} from '@/lib/render';
import { summaryLayout, type GroundTruth, type Rect } from '@/lib/explain-view';
import { pct } from '@/lib/format';
import { wrapLines } from '@/lib/report';

function canvasToPng(canvas: HTMLCanvasElement): Promise<Blob> {
  return new Promise((resolve, reject) =>
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('the browser could not encode the PNG'))), 'image/png'),
  );
}

function rgbaCanvas(rgba: Uint8ClampedArray, w: number, h: number): HTMLCanvasElement {
  const c = document.createElement('canvas');
  c.width = w;
  c.height = h;
  c.getContext('2d')?.putImageData(new ImageData(new Uint8ClampedArray(rgba), w, h), 0, 0);
  return c;
}

/** The overlay at `size` px with its colour bar (scale and `unit`) underneath. */
export async function overlayPng(
  input: ImageInput,
  a: Attribution,
  look: LookSettings,
  unit: string,
  size = 512,
): Promise<Blob> {
  const out = composeView(
    { image: input, values: a.values, mapWidth: a.width, mapHeight: a.height, signed: a.signed },
    look,
    size,
  );
  const pad = 10;
  const canvas = document.createElement('canvas');
  canvas.width = out.width;
  canvas.height = out.height + 2 * pad + colourBarHeight(14, 12);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('this browser cannot draw on a canvas');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.putImageData(new ImageData(new Uint8ClampedArray(out.rgba), out.width, out.height), 0, 0);
  drawColourBar(ctx, colourBarFor(a.values, a.signed, look, unit), {
    x: pad,
    y: out.height + pad,
    w: out.width - 2 * pad,
  });
  return canvasToPng(canvas);
}

export function npyBlob(a: Attribution): Blob {
  return new Blob([encodeNpy(a.values, a.height, a.width) as Uint8Array<ArrayBuffer>], {
    type: 'application/octet-stream',
  });
}

export function jsonBlob(a: Attribution, extra: Record<string, unknown>): Blob {
  return new Blob([JSON.stringify({ ...attributionToJson(a), ...extra }, null, 1)], { type: 'application/json' });
}

export interface SummaryTile {
  title: string;
  caption: string;
  attribution: Attribution;
  /** The map's unit in words (its colour bar). */
  unit: string;
}

export interface SummaryInput {
  title: string;
  subtitle: string;
  /** The original image (display URL) — drawn if it loads, else the model input. */
  imageUrl: string;
  input: ImageInput;
  main: Attribution;
  mainUnit: string;
  mainTitle: string;
  truth: GroundTruth | null;
  predictions: { label: string; p: number; chosen: boolean }[];
  facts: string[];
  tiles: SummaryTile[];
  look: LookSettings;
  footer: string;
  dark?: boolean;
}

function loadImage(url: string): Promise<HTMLImageElement | null> {
  return new Promise((resolve) => {
    const img = new Image();
    img.onload = () => resolve(img);
    img.onerror = () => resolve(null);
    img.src = url;
  });
}

function drawMap(ctx: CanvasRenderingContext2D, r: Rect, input: ImageInput, a: Attribution | null, look: LookSettings) {
  const out = composeView(
    a
      ? { image: input, values: a.values, mapWidth: a.width, mapHeight: a.height, signed: a.signed }
      : { image: input, signed: false },
    a ? look : { ...look, mode: 'image' },
    r.w,
  );
  const h = Math.min(r.h, out.height);
  ctx.drawImage(rgbaCanvas(out.rgba, out.width, out.height), r.x, r.y, r.w, h);
}

const FONT = {
  fact: '14px system-ui, sans-serif',
  legend: '12px system-ui, sans-serif',
  caption: '11px system-ui, sans-serif',
  footer: '12px system-ui, sans-serif',
} as const;

/** `text` wrapped to `maxW` in `font` (every word kept; a word wider than the box is split). */
function linesOf(ctx: CanvasRenderingContext2D, font: string, text: string, maxW: number): string[] {
  ctx.font = font;
  return wrapLines(text, maxW, (t) => ctx.measureText(t).width);
}

function drawLines(ctx: CanvasRenderingContext2D, lines: readonly string[], x: number, y: number, lineH: number) {
  lines.forEach((l, i) => ctx.fillText(l, x, y + i * lineH));
}

/** Draws the one-page summary and returns it as PNG. */
export async function summaryPng(s: SummaryInput): Promise<Blob> {
  const canvas = document.createElement('canvas');
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('this browser cannot draw on a canvas');
  // Wrap every text block first: the layout grows to fit it, so nothing is cut.
  const probe = summaryLayout({ tiles: s.tiles.length, predictionRows: s.predictions.length, factLines: 0 });
  const facts = s.facts.map((f) => linesOf(ctx, FONT.fact, f, probe.facts.w));
  const mainBar = colourBarFor(s.main.values, s.main.signed, s.look, s.mainUnit);
  const legend = linesOf(ctx, FONT.legend, `${mainBar.unit} · ${mainBar.words}`, probe.overlay.w);
  const tiles = s.tiles.map((t) => {
    const bar = colourBarFor(t.attribution.values, t.attribution.signed, s.look, t.unit);
    const w = probe.tiles[0]?.w ?? 160;
    return {
      bar,
      lines: [
        ...linesOf(ctx, FONT.caption, `${bar.unit} · ${bar.words}`, w),
        ...linesOf(ctx, FONT.caption, t.caption, w),
      ],
    };
  });
  const footer = linesOf(ctx, FONT.footer, s.footer, probe.footer.w);
  const L = summaryLayout({
    tiles: s.tiles.length,
    predictionRows: s.predictions.length,
    factLines: facts.reduce((n, f) => n + f.length, 0) + (s.truth ? 1 : 0),
    legendLines: legend.length,
    captionLines: Math.max(0, ...tiles.map((t) => t.lines.length)),
    footerLines: footer.length,
  });
  canvas.width = L.width;
  canvas.height = L.height;
  const fg = '#0f172a';
  const muted = '#475569';
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, L.width, L.height);
  ctx.imageSmoothingEnabled = false;
  ctx.textBaseline = 'top';
  ctx.fillStyle = fg;
  ctx.font = 'bold 24px system-ui, sans-serif';
  ctx.fillText(s.title, L.title.x, L.title.y, L.title.w); // a very long title is narrowed, never cut
  ctx.font = '15px system-ui, sans-serif';
  ctx.fillStyle = muted;
  ctx.fillText(s.subtitle, L.title.x, L.title.y + 32, L.title.w);

  const img = await loadImage(s.imageUrl);
  ctx.fillStyle = '#000';
  ctx.fillRect(L.image.x, L.image.y, L.image.w, L.image.h);
  if (img) {
    const k = Math.min(L.image.w / img.width, L.image.h / img.height);
    const w = img.width * k;
    const h = img.height * k;
    ctx.drawImage(img, L.image.x + (L.image.w - w) / 2, L.image.y + (L.image.h - h) / 2, w, h);
  } else drawMap(ctx, L.image, s.input, null, s.look);
  drawMap(ctx, L.overlay, s.input, s.main, s.look);
  ctx.fillStyle = muted;
  ctx.font = '13px system-ui, sans-serif';
  ctx.fillText('Image', L.image.x, L.image.y + L.image.h + 4);
  ctx.fillText(s.mainTitle, L.overlay.x, L.overlay.y + L.overlay.h + 4);
  drawColourBar(ctx, mainBar, L.overlayBar, { color: muted, caption: null });
  ctx.textAlign = 'left';
  ctx.font = FONT.legend;
  drawLines(ctx, legend, L.overlayBar.x, L.overlayBar.y + 14 + 12 + 7, 16);

  ctx.fillStyle = fg;
  ctx.font = 'bold 15px system-ui, sans-serif';
  ctx.fillText('Prediction', L.predictions.x, L.predictions.y);
  s.predictions.forEach((p, i) => {
    const y = L.predictions.y + 24 + i * 28;
    const barW = L.predictions.w - 90;
    ctx.fillStyle = '#e2e8f0';
    ctx.fillRect(L.predictions.x, y, barW, 22);
    ctx.fillStyle = p.chosen ? '#0284c7' : '#7dd3fc';
    ctx.fillRect(L.predictions.x, y, barW * Math.max(0, Math.min(1, p.p)), 22);
    ctx.fillStyle = fg;
    ctx.font = `${p.chosen ? 'bold ' : ''}14px system-ui, sans-serif`;
    ctx.fillText(p.label, L.predictions.x + 6, y + 4);
    ctx.fillText(pct(p.p), L.predictions.x + barW + 8, y + 4);
  });
  let factY = L.facts.y;
  if (s.truth) {
    ctx.font = 'bold 15px system-ui, sans-serif';
    ctx.fillStyle = s.truth.correct === false ? '#b91c1c' : s.truth.correct ? '#15803d' : fg;
    ctx.fillText(s.truth.text, L.facts.x, factY);
    factY += 22;
  }
  ctx.font = FONT.fact;
  ctx.fillStyle = fg;
  for (const f of facts) {
    drawLines(ctx, f, L.facts.x, factY, 22);
    factY += f.length * 22;
  }

  s.tiles.forEach((t, i) => {
    const r = L.tiles[i] as Rect;
    const bar = L.tileBars[i] as Rect;
    drawMap(ctx, { x: r.x, y: r.y, w: r.w, h: r.w }, s.input, t.attribution, s.look);
    drawColourBar(ctx, (tiles[i] as (typeof tiles)[number]).bar, bar, {
      barHeight: 8,
      fontPx: 10,
      color: muted,
      caption: null,
    });
    ctx.textAlign = 'left';
    const capY = bar.y + bar.h;
    ctx.fillStyle = fg;
    ctx.font = 'bold 13px system-ui, sans-serif';
    ctx.fillText(t.title, r.x, capY + 4);
    ctx.fillStyle = muted;
    ctx.font = FONT.caption;
    drawLines(ctx, (tiles[i] as (typeof tiles)[number]).lines, r.x, capY + 20, 14);
  });
  ctx.fillStyle = muted;
  ctx.font = FONT.footer;
  drawLines(ctx, footer, L.footer.x, L.footer.y + 8, 15);
  return canvasToPng(canvas);
}
