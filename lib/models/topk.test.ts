import { describe, expect, it } from 'vitest';
import { predictionNote, predictionRows, topK } from './topk';

describe('topK', () => {
  it('returns the largest entries first, ties by index', () => {
    expect(topK([0.1, 0.5, 0.2, 0.5], 3)).toEqual([
      { index: 1, value: 0.5 },
      { index: 3, value: 0.5 },
      { index: 2, value: 0.2 },
    ]);
  });
  it('clamps k', () => {
    expect(topK(new Float32Array([1, 2]), 5).map((r) => r.index)).toEqual([1, 0]);
    expect(topK([1, 2], -1)).toEqual([]);
  });
});

describe('predictionRows', () => {
  it('binary sigmoid: p and 1 − p as two rows', () => {
    const rows = predictionRows('sigmoid-binary', new Float32Array([0.25, 0.75]), 5, ['real', 'spoof']);
    expect(rows.map((r) => [r.label, r.text, r.bar])).toEqual([
      ['spoof', '75.0 %', 0.75],
      ['real', '25.0 %', 0.25],
    ]);
  });
  it('multi-label: each probability as it is (not normalised)', () => {
    const rows = predictionRows('multi-label', [0.9, 0.8, 0.7], 5);
    expect(rows.map((r) => r.text)).toEqual(['90.0 %', '80.0 %', '70.0 %']);
    expect(rows.reduce((s, r) => s + r.value, 0)).toBeCloseTo(2.4, 6);
  });
  it('regression: the value with its unit, in output order, no bar — never a percentage', () => {
    const rows = predictionRows('regression', [34.2], 5, ['age'], 'years');
    expect(rows).toEqual([{ index: 0, label: 'age', value: 34.2, text: '34.2 years', bar: null }]);
    expect(predictionRows('regression', [3, 9, 1], 2).map((r) => r.index)).toEqual([0, 1]);
  });
  it('notes per kind', () => {
    expect(predictionNote('multi-label', 3)).toMatch(/need not sum/);
    expect(predictionNote('regression', 1)).toBe('The value the model predicts (regression).');
    expect(predictionNote('softmax', 3)).toBeNull();
  });
});
