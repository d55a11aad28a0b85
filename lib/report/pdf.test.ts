import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Attribution } from '@/lib/explain/types';
import { DEFAULT_LOOK } from '@/lib/render';
import { reportPdf, type ReportInput } from './pdf';

const map = (signed: boolean): Attribution => ({
  method: 'saliency',
  target: 1,
  width: 4,
  height: 4,
  values: Float32Array.from({ length: 16 }, (_, i) => (signed ? i - 8 : i)),
  signed,
  scoreKind: 'logit',
  config: {},
  timings: { totalMs: 12, forwardPasses: 1 },
});

const input = (methods: number, facts: string[] = ['When the model predicts Shirt, it is right 71 % of the time.']) =>
  ({
    title: 'Why “Shirt”? — fashion-test-2k #12 (Shirt)',
    subtitle: 'Fashion CNN · explained with Occlusion · backend wasm · 2026-12-02',
    truth: { text: 'True: Shirt · Model: T-shirt/top ✗', correct: false },
    predictions: [
      { label: 'T-shirt/top', p: 0.61, chosen: true },
      { label: 'Shirt', p: 0.3, chosen: false },
    ],
    model: ['Model: Fashion CNN (version 3) · tfjs-layers · 52,138 parameters · input 28×28×1'],
    facts,
    image: { data: new Float32Array(16).fill(0.5), width: 4, height: 4, channels: 1 },
    methods: Array.from({ length: methods }, (_, i) => ({
      label: `Method ${i}`,
      meaning: 'How much the class probability drops when each patch of the image is hidden.',
      unit: 'drop in probability when hidden',
      attribution: map(i % 2 === 0),
      details: ['Explained class: Shirt'],
    })),
    look: DEFAULT_LOOK,
    date: new Date('2026-12-02T03:00:00Z'),
    version: '0.1.0',
    footer: 'Made in the browser; nothing was uploaded.',
  }) satisfies ReportInput;

/** The PDF's text with every flate stream inflated (the content streams carry the page text). */
function text(bytes: ArrayBuffer): string {
  const raw = Buffer.from(bytes);
  let out = raw.toString('latin1');
  const re = /stream\r?\n/g;
  for (let m = re.exec(out); m; m = re.exec(out)) {
    const start = m.index + m[0].length;
    const end = raw.indexOf('endstream', start);
    try {
      out += inflateSync(raw.subarray(start, end)).toString('latin1');
    } catch {
      // not a flate stream (or an image's): skipped
    }
  }
  return out;
}
const pageCount = (pdf: string) => (pdf.match(/\/Type \/Page\b(?!s)/g) ?? []).length;

describe('reportPdf', () => {
  it('a valid PDF: one summary page and one page per method, with the words on them', () => {
    const r = reportPdf(input(3));
    const pdf = text(r.bytes);
    const raw = Buffer.from(r.bytes).toString('latin1');
    expect(raw.startsWith('%PDF-')).toBe(true);
    expect(raw.trimEnd().endsWith('%%EOF')).toBe(true);
    expect([r.pages, r.summaryPages]).toEqual([4, 1]);
    expect(pageCount(pdf)).toBe(4);
    for (const s of [
      'True: Shirt',
      'T-shirt/top',
      'wrong',
      'Method 2',
      'drop in probability when hidden',
      '0.1.0',
      '2026-12-02',
    ])
      expect(pdf, s).toContain(s);
    expect(pdf).not.toContain('✗');
    expect(r.bytes.byteLength).toBeLessThan(400_000);
  });
  it('long facts wrap onto more lines (and pages), never cut', () => {
    const long = Array.from({ length: 60 }, (_, i) => `Fact ${i}: ${'word '.repeat(30)}end${i}.`);
    const r = reportPdf(input(1, long));
    expect(r.summaryPages).toBeGreaterThan(1);
    expect(r.pages).toBe(r.summaryPages + 1);
    const pdf = text(r.bytes);
    expect(pdf).toContain('end59.');
  });
  it('no method: a clear error', () => {
    expect(() => reportPdf(input(0))).toThrow(/at least one computed method/);
  });
});
