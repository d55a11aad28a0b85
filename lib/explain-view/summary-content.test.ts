import { describe, expect, it } from 'vitest';
import { modelCardLines, SUMMARY_FOOTER, summaryText, topPredictions } from './summary-content';

const names = ['cat', 'dog', 'owl', 'fox'];
const label = (k: number) => names[k] ?? `class ${k}`;
const model = { name: 'Tiny CNN', format: 'tfjs-layers', paramCount: 12345, inputShape: [28, 28, 1] };

describe('topPredictions', () => {
  it('orders by probability, marks the explained class and keeps n rows', () => {
    const rows = topPredictions([0.1, 0.5, 0.3, 0.1], 2, label, 3);
    expect(rows).toEqual([
      { label: 'dog', p: 0.5, chosen: false },
      { label: 'owl', p: 0.3, chosen: true },
      { label: 'cat', p: 0.1, chosen: false },
    ]);
  });
  it('breaks ties by the lower class index and copes with fewer classes than n', () => {
    expect(topPredictions([0.25, 0.25], 1, label, 5).map((r) => r.label)).toEqual(['cat', 'dog']);
  });
  it('rejects a negative or fractional n', () => {
    expect(() => topPredictions([1], 0, label, -1)).toThrow(/n must be/);
    expect(() => topPredictions([1], 0, label, 1.5)).toThrow(/n must be/);
  });
});

describe('modelCardLines', () => {
  it('writes version and provenance only when known', () => {
    expect(modelCardLines(model)).toEqual(['Model: Tiny CNN · tfjs-layers · 12,345 parameters · input 28×28×1']);
    expect(modelCardLines({ ...model, version: '2', provenance: 'trained here' })).toEqual([
      'Model: Tiny CNN (version 2) · tfjs-layers · 12,345 parameters · input 28×28×1',
      'Provenance: trained here',
    ]);
  });
});

describe('summaryText', () => {
  const base = {
    label,
    target: 1,
    imageName: 'pet.png',
    model,
    methodLabel: 'Grad-CAM',
    backend: 'wasm',
    totalMs: 41.6,
    probs: [0.2, 0.7, 0.05, 0.05],
    decision: ['When the model predicts dog it is right.'],
    date: new Date('2026-03-04T23:59:00Z'),
  };
  it('titles the page with the class and image, the subtitle with model, method, backend and date', () => {
    const t = summaryText(base);
    expect(t.title).toBe('Why “dog”? — pet.png');
    expect(t.subtitle).toBe('Tiny CNN · explained with Grad-CAM · backend wasm · 2026-03-04');
    expect(t.mainTitle).toBe('Grad-CAM (42 ms)');
    expect(t.predictions).toHaveLength(4);
    expect(t.predictions[0]).toEqual({ label: 'dog', p: 0.7, chosen: true });
    expect(t.facts).toEqual([
      'When the model predicts dog it is right.',
      'Model: Tiny CNN · tfjs-layers · 12,345 parameters · input 28×28×1',
    ]);
    expect(t.footer).toBe(SUMMARY_FOOTER);
    expect(t.truth).toBeNull();
  });
  it('states the true class against the model’s top class', () => {
    expect(summaryText({ ...base, trueLabel: 'owl' }).truth).toEqual({
      text: 'True: owl · Model: dog ✗',
      correct: false,
    });
    expect(summaryText({ ...base, target: 2, trueLabel: 'dog' }).truth?.correct).toBe(true);
    expect(summaryText({ ...base, trueLabel: 'dog', probs: undefined }).truth).toEqual({
      text: 'True: dog',
      correct: null,
    });
  });
  it('writes "?" for an unknown backend and no prediction rows without probabilities', () => {
    const t = summaryText({ ...base, backend: null, probs: undefined });
    expect(t.subtitle).toContain('backend ?');
    expect(t.predictions).toEqual([]);
  });
  it('rejects a negative or non-finite time', () => {
    expect(() => summaryText({ ...base, totalMs: -1 })).toThrow(/totalMs/);
    expect(() => summaryText({ ...base, totalMs: Number.NaN })).toThrow(/totalMs/);
  });
});
