/**
 * The report the expert keeps: a multi-page A4 PDF made in the browser with jsPDF (built-in Helvetica,
 * no font download). Page 1: title, the image, the prediction with the true label, the top classes, the
 * model card summary, the evaluation facts and cost, the date and the app version. Then one page per
 * computed method: its name and one-line meaning, the map over the image, its colour bar with ticks, unit
 * and words. All text is text (never HTML), wrapped to its box, in the fonts' character set (text.ts).
 * Units are PDF points (1/72 inch).
 */
import { jsPDF } from 'jspdf';
import type { Attribution, ImageInput } from '@/lib/explain/types';
import { colourBarFor, composeView, paintColourBar, type LookSettings } from '@/lib/render';
import { encodePng } from './png';
import { pdfText, wrapLines } from './text';

export interface ReportMethod {
  /** Method name, e.g. "Occlusion". */
  label: string;
  /** One line: what the map means (the method's description). */
  meaning: string;
  /** The map's unit in words (its colour bar). */
  unit: string;
  attribution: Attribution;
  /** Further facts, one line each (class explained, time, parameters). */
  details: string[];
}

export interface ReportInput {
  title: string;
  subtitle: string;
  /** "True: Shirt · Model: T-shirt/top ✗" and whether the model was right (null: not known). */
  truth: { text: string; correct: boolean | null } | null;
  /** Top classes, most probable first; p in [0, 1]. */
  predictions: { label: string; p: number; chosen: boolean }[];
  /** The model card summary, one line each. */
  model: string[];
  /** Evaluation-set facts and the decision's cost; empty when not computed. */
  facts: string[];
  /** What the model sees: HWC pixels in [0, 1]. */
  image: ImageInput;
  /** One page each, in order (at least one). */
  methods: ReportMethod[];
  look: LookSettings;
  date: Date;
  /** App version, e.g. "0.1.0". */
  version: string;
  footer: string;
}

export interface Report {
  bytes: ArrayBuffer;
  pages: number;
  /** Pages before the first method page (1 unless page 1's text ran over). */
  summaryPages: number;
}

const PAGE = { w: 595.28, h: 841.89, m: 48 } as const;
const INK = [15, 23, 42] as const;
const MUTED = [71, 85, 105] as const;

/** A cursor over the pages: writes wrapped text, starts a new page when the next block would not fit. */
class Writer {
  y: number = PAGE.m;
  constructor(readonly doc: jsPDF) {}
  get width() {
    return PAGE.w - 2 * PAGE.m;
  }
  room(h: number) {
    if (this.y + h > PAGE.h - PAGE.m - 24) {
      this.doc.addPage();
      this.y = PAGE.m;
    }
  }
  font(size: number, bold = false, color: readonly number[] = INK) {
    this.doc.setFont('helvetica', bold ? 'bold' : 'normal');
    this.doc.setFontSize(size);
    this.doc.setTextColor(color[0] ?? 0, color[1] ?? 0, color[2] ?? 0);
  }
  lines(text: string, width: number): string[] {
    return wrapLines(pdfText(text), width, (s) => this.doc.getTextWidth(s));
  }
  /** Wrapped text at x (default the margin), `size` pt; returns the lines written. */
  text(text: string, size: number, opts: { bold?: boolean; color?: readonly number[]; x?: number; w?: number } = {}) {
    this.font(size, opts.bold, opts.color);
    const lh = size * 1.3;
    const out = this.lines(text, opts.w ?? this.width);
    for (const line of out) {
      this.room(lh);
      this.doc.text(line, opts.x ?? PAGE.m, this.y, { baseline: 'top' });
      this.y += lh;
    }
    return out;
  }
  gap(h: number) {
    this.y += h;
  }
}

/** RGBA pixels placed as an image (through PNG: jsPDF stores raw RGBA uncompressed, PNG as a flate stream). */
function placeRgba(
  doc: jsPDF,
  rgba: Uint8ClampedArray,
  w: number,
  h: number,
  x: number,
  y: number,
  bw: number,
  bh: number,
) {
  doc.addImage(encodePng(rgba, w, h), 'PNG', x, y, bw, bh, undefined, 'MEDIUM');
}

/** A ✓ or ✗ drawn as lines (the built-in fonts have neither), `s` pt high, top-left at (x, y). */
function drawMark(doc: jsPDF, correct: boolean, x: number, y: number, s: number) {
  doc.setLineWidth(s / 7);
  if (correct) {
    doc.setDrawColor(21, 128, 61);
    doc.lines(
      [
        [s * 0.35, s * 0.4],
        [s * 0.65, -s * 0.85],
      ],
      x,
      y + s * 0.5,
    );
  } else {
    doc.setDrawColor(185, 28, 28);
    doc.line(x, y + s * 0.1, x + s * 0.8, y + s * 0.9);
    doc.line(x + s * 0.8, y + s * 0.1, x, y + s * 0.9);
  }
}

function firstPage(w: Writer, r: ReportInput) {
  const { doc } = w;
  w.text(r.title, 18, { bold: true });
  w.text(r.subtitle, 10, { color: MUTED });
  w.gap(10);
  const top = w.y;
  const size = 200;
  const img = composeView({ image: r.image, signed: false }, { ...r.look, mode: 'image' }, 400);
  placeRgba(doc, img.rgba, img.width, img.height, PAGE.m, top, size, (size * img.height) / img.width);
  const x = PAGE.m + size + 20;
  const cw = PAGE.w - PAGE.m - x;
  w.y = top;
  w.text('Prediction', 13, { bold: true, x, w: cw });
  if (r.truth) {
    const mark = r.truth.correct === null ? '' : r.truth.text.replace(/\s*[✓✗]$/, '');
    const color = r.truth.correct === false ? [185, 28, 28] : r.truth.correct ? [21, 128, 61] : INK;
    const lines = w.text(mark || r.truth.text, 11, { bold: true, color, x, w: cw - 60 });
    if (r.truth.correct !== null) {
      const last = lines[lines.length - 1] ?? '';
      w.font(11, true);
      const mx = x + doc.getTextWidth(last) + 5;
      drawMark(doc, r.truth.correct, mx, w.y - 13.5, 10);
      doc.text(r.truth.correct ? 'right' : 'wrong', mx + 13, w.y - 14.3, { baseline: 'top' });
    }
  }
  w.gap(4);
  for (const p of r.predictions) {
    const barW = cw - 50;
    doc.setFillColor(226, 232, 240);
    doc.rect(x, w.y, barW, 16, 'F');
    if (p.chosen) doc.setFillColor(2, 132, 199);
    else doc.setFillColor(125, 211, 252);
    doc.rect(x, w.y, barW * Math.max(0, Math.min(1, p.p)), 16, 'F');
    w.font(10, p.chosen);
    const label = w.lines(p.label, barW - 8)[0] ?? '';
    doc.text(label, x + 4, w.y + 3.5, { baseline: 'top' });
    doc.text(`${(p.p * 100).toFixed(1)} %`, x + barW + 6, w.y + 3.5, { baseline: 'top' });
    w.gap(20);
  }
  w.y = Math.max(w.y, top + size) + 18;
  w.text('Model', 13, { bold: true });
  for (const line of r.model) w.text(line, 10);
  w.gap(8);
  w.text('On the evaluation set', 13, { bold: true });
  if (r.facts.length) for (const f of r.facts) w.text(f, 10);
  else w.text('Not computed for this report: open Evaluate for this model, then export again.', 10, { color: MUTED });
  w.gap(8);
  w.text('Methods in this report (one page each)', 13, { bold: true });
  for (const m of r.methods) w.text(`${m.label}: ${m.meaning}`, 10);
  w.gap(12);
  w.text(`Made on ${r.date.toISOString().replace('T', ' ').slice(0, 16)} UTC with Why? version ${r.version}.`, 9, {
    color: MUTED,
  });
  w.text(r.footer, 9, { color: MUTED });
}

function methodPage(w: Writer, r: ReportInput, m: ReportMethod) {
  const { doc } = w;
  doc.addPage();
  w.y = PAGE.m;
  w.text(m.label, 18, { bold: true });
  w.text(m.meaning, 11, { color: MUTED });
  w.gap(10);
  const a = m.attribution;
  const size = 380;
  const x = (PAGE.w - size) / 2;
  const out = composeView(
    { image: r.image, values: a.values, mapWidth: a.width, mapHeight: a.height, signed: a.signed },
    r.look,
    760,
  );
  const h = (size * out.height) / out.width;
  placeRgba(doc, out.rgba, out.width, out.height, x, w.y, size, h);
  w.y += h + 10;
  const bar = colourBarFor(a.values, a.signed, r.look, m.unit);
  placeRgba(doc, paintColourBar(bar.colormap, 256, 1), 256, 1, x, w.y, size, 14);
  w.y += 16;
  w.font(9);
  for (const t of bar.ticks) {
    const align = t.at === 0 ? 'left' : t.at === 1 ? 'right' : 'center';
    doc.text(t.text, x + t.at * size, w.y, { baseline: 'top', align });
  }
  w.y += 14;
  w.text(`${bar.unit} · ${bar.words}`, 10, { x, w: size });
  w.gap(10);
  for (const d of m.details) w.text(d, 10, { x, w: size, color: MUTED });
}

/** Builds the report. Throws for a report without methods. */
export function reportPdf(r: ReportInput): Report {
  if (!r.methods.length) throw new Error('reportPdf: a report needs at least one computed method');
  const doc = new jsPDF({ unit: 'pt', format: 'a4', compress: true });
  doc.setProperties({ title: pdfText(r.title), creator: `Why? ${r.version}`, subject: 'Explanation report' });
  const w = new Writer(doc);
  firstPage(w, r);
  const summaryPages = doc.getNumberOfPages();
  for (const m of r.methods) methodPage(w, r, m);
  const pages = doc.getNumberOfPages();
  for (let i = 1; i <= pages; i++) {
    doc.setPage(i);
    w.font(8, false, MUTED);
    doc.text(`${i} / ${pages}`, PAGE.w - PAGE.m, PAGE.h - PAGE.m + 10, { align: 'right', baseline: 'top' });
  }
  return { bytes: doc.output('arraybuffer'), pages, summaryPages };
}
