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

function wrap(
  ctx: CanvasRenderingContext2D,
  text: string,
  x: number,
  y: number,
  maxW: number,
  lineH: number,
  maxLines: number,
): void {
  const words = text.split(/\s+/);
  let line = '';
  let n = 0;
  for (const w of words) {
    const test = line ? `${line} ${w}` : w;
    if (ctx.measureText(test).width > maxW && line) {
      ctx.fillText(line, x, y + n * lineH);
      n++;
      line = w;
      if (n >= maxLines) return;
    } else line = test;
  }
  if (line && n < maxLines) ctx.fillText(line, x, y + n * lineH);
}

/** Draws the one-page summary and returns it as PNG. */
export async function summaryPng(s: SummaryInput): Promise<Blob> {
  const L = summaryLayout({
    tiles: s.tiles.length,
    predictionRows: s.predictions.length,
    factLines: s.facts.length + (s.truth ? 1 : 0),
  });
  const canvas = document.createElement('canvas');
  canvas.width = L.width;
  canvas.height = L.height;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('this browser cannot draw on a canvas');
  const fg = '#0f172a';
  const muted = '#475569';
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, L.width, L.height);
  ctx.imageSmoothingEnabled = false;
  ctx.textBaseline = 'top';
  ctx.fillStyle = fg;
  ctx.font = 'bold 24px system-ui, sans-serif';
  ctx.fillText(s.title, L.title.x, L.title.y);
  ctx.font = '15px system-ui, sans-serif';
  ctx.fillStyle = muted;
  ctx.fillText(s.subtitle, L.title.x, L.title.y + 32);

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
  drawColourBar(ctx, colourBarFor(s.main.values, s.main.signed, s.look, s.mainUnit), L.overlayBar, { color: muted });
  ctx.textAlign = 'left';

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
  ctx.font = '14px system-ui, sans-serif';
  ctx.fillStyle = fg;
  s.facts.forEach((f, i) => wrap(ctx, f, L.facts.x, factY + i * 22, L.facts.w, 22, 1));

  s.tiles.forEach((t, i) => {
    const r = L.tiles[i] as Rect;
    const bar = L.tileBars[i] as Rect;
    drawMap(ctx, { x: r.x, y: r.y, w: r.w, h: r.w }, s.input, t.attribution, s.look);
    drawColourBar(ctx, colourBarFor(t.attribution.values, t.attribution.signed, s.look, t.unit), bar, {
      barHeight: 8,
      fontPx: 10,
      color: muted,
      caption: t.unit,
    });
    ctx.textAlign = 'left';
    const capY = bar.y + bar.h;
    ctx.fillStyle = fg;
    ctx.font = 'bold 13px system-ui, sans-serif';
    ctx.fillText(t.title, r.x, capY + 4);
    ctx.fillStyle = muted;
    ctx.font = '11px system-ui, sans-serif';
    wrap(ctx, t.caption, r.x, capY + 20, r.w, 14, 2);
  });
  ctx.fillStyle = muted;
  ctx.font = '12px system-ui, sans-serif';
  wrap(ctx, s.footer, L.footer.x, L.footer.y + 8, L.footer.w, 15, 2);
  return canvasToPng(canvas);
}
