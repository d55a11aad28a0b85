import { describe, expect, it } from 'vitest';
import {
  checkOutputRange,
  classCount,
  decisionPanelsUnavailable,
  detectOutputKind,
  explainedScoreText,
  formatOutput,
  labelsFor,
  parseOutputKind,
  probabilitiesFromRaw,
  scoresFromRaw,
} from './output-kind';

const close = (a: ArrayLike<number>, b: number[]) => {
  expect(a.length).toBe(b.length);
  b.forEach((v, i) => expect(Math.abs((a[i] as number) - v)).toBeLessThan(1e-5 * Math.max(1, Math.abs(v))));
};

describe('detectOutputKind', () => {
  it('reads the final op first', () => {
    expect(detectOutputKind('softmax', [5, 7], 1, 2)).toMatchObject({ kind: 'softmax', reason: 'the last op is Softmax' });
    expect(detectOutputKind('log-softmax', [-1, -2], 1, 2).kind).toBe('logits');
    expect(detectOutputKind('sigmoid', [0.3], 1, 1)).toMatchObject({ kind: 'sigmoid-binary', reason: 'the last op is Sigmoid on one output' });
    expect(detectOutputKind('sigmoid', [0.3, 0.9, 0.8], 1, 3).kind).toBe('multi-label');
  });
  it('one output: in [0, 1] → binary sigmoid; outside, or a known linear layer → regression (reason names the range)', () => {
    expect(detectOutputKind(undefined, [0.2, 0.7, 0.9], 3, 1).kind).toBe('sigmoid-binary');
    const age = detectOutputKind(undefined, [33.5, 35.25, 29], 3, 1);
    expect(age.kind).toBe('regression');
    expect(age.reason).toContain('29 … 35.25');
    expect(detectOutputKind('linear', [0.2, 0.7, 0.9], 3, 1).kind).toBe('regression');
  });
  it('several outputs: rows summing to 1 → softmax, else logits', () => {
    expect(detectOutputKind(undefined, [0.25, 0.75, 0.5, 0.5], 2, 2).kind).toBe('softmax');
    const l = detectOutputKind(undefined, [0.25, 0.8, 0.5, 0.5], 2, 2);
    expect(l.kind).toBe('logits');
    expect(l.reason).toContain('1.05');
  });
});

describe('checkOutputRange', () => {
  it('names the offending value: never "3352 %"', () => {
    const msg = checkOutputRange('softmax', [33.526, 30.1], 2, 1);
    expect(msg).toBe(
      'declared as probabilities (softmax) but the model output 33.526, outside [0, 1]. Choose "logits" or "regression" if these are not probabilities',
    );
    expect(checkOutputRange('multi-label', [0.2, -0.5], 1, 2)).toContain('output -0.5, outside [0, 1]');
    expect(checkOutputRange('sigmoid-binary', [1.5], 1, 1)).toContain('a probability (one sigmoid) but the model output 1.5');
  });
  it('softmax rows must sum to 1; multi-label rows need not', () => {
    expect(checkOutputRange('softmax', [0.5, 0.7], 1, 2)).toContain('sums to 1.2, not 1');
    expect(checkOutputRange('multi-label', [0.5, 0.7], 1, 2)).toBeNull();
    expect(checkOutputRange('softmax', [0.25, 0.75], 1, 2)).toBeNull();
  });
  it('a binary sigmoid has one output; logits and regression take any values', () => {
    expect(checkOutputRange('sigmoid-binary', [0.5, 0.5], 1, 2)).toContain('the model has 2 outputs');
    expect(checkOutputRange('logits', [1e6, -3], 1, 2)).toBeNull();
    expect(checkOutputRange('regression', [3352.6], 1, 1)).toBeNull();
    expect(checkOutputRange('softmax', [Number.NaN, 1], 1, 2)).toContain('non-finite');
  });
});

describe('score transforms', () => {
  it('binary sigmoid: two classes [1 − p, p]', () => {
    expect(classCount('sigmoid-binary', 1)).toBe(2);
    close(scoresFromRaw('sigmoid-binary', [0.8, 0.1], 2, 1), [0.2, 0.8, 0.9, 0.1]);
    close(probabilitiesFromRaw('sigmoid-binary', [0.8], 1, 1), [0.2, 0.8]);
  });
  it('one logit z: scores [−z, z] (log-odds), probabilities [σ(−z), σ(z)]', () => {
    expect(classCount('logits', 1)).toBe(2);
    close(scoresFromRaw('logits', [2], 1, 1), [-2, 2]);
    const s = 1 / (1 + Math.exp(-2));
    close(probabilitiesFromRaw('logits', [2], 1, 1), [1 - s, s]);
  });
  it('multi-label probabilities are not normalised; regression values pass unchanged', () => {
    const p = probabilitiesFromRaw('multi-label', [0.9, 0.8, 0.7], 1, 3);
    close(p, [0.9, 0.8, 0.7]);
    expect(p[0]! + p[1]! + p[2]!).toBeCloseTo(2.4, 6);
    close(probabilitiesFromRaw('regression', [34.2, -1], 1, 2), [34.2, -1]);
  });
  it('softmax of logits, row by row', () => {
    const e = [Math.exp(0), Math.exp(1)];
    close(probabilitiesFromRaw('logits', [0, 1, 5, 5], 2, 2), [e[0]! / (e[0]! + e[1]!), e[1]! / (e[0]! + e[1]!), 0.5, 0.5]);
  });
});

describe('labels, text and gating', () => {
  it('binary labels: 2 given, 1 given (the positive class), or negative/positive', () => {
    expect(labelsFor('sigmoid-binary', 1, ['real', 'fake'])).toEqual({ labels: ['real', 'fake'] });
    expect(labelsFor('sigmoid-binary', 1, ['spoof'])).toEqual({ labels: ['not spoof', 'spoof'] });
    expect(labelsFor('logits', 1)).toEqual({ labels: ['negative', 'positive'] });
    expect(labelsFor('sigmoid-binary', 1, ['a', 'b', 'c'])).toEqual({ error: expect.stringContaining('binary output has 2 classes') });
    expect(labelsFor('regression', 1)).toEqual({ labels: ['value'] });
    expect(labelsFor('regression', 2, ['age'])).toEqual({ error: 'there are 1 labels but the model gives 2 values' });
  });
  it('formats probabilities as percentages and values with their unit', () => {
    expect(formatOutput('regression', 34.2, 'years')).toBe('34.2 years');
    expect(formatOutput('regression', 0.5)).toBe('0.5');
    expect(formatOutput('softmax', 0.5)).toBe('50.0 %');
    expect(formatOutput('multi-label', Number.NaN)).toBe('—');
  });
  it('says what is explained, and which panels do not apply', () => {
    expect(explainedScoreText('sigmoid-binary', 1, 0, 'real')).toBe('the probability of real (1 − p)');
    expect(explainedScoreText('logits', 1, 0, 'negative')).toBe('the log-odds of negative (the negated logit)');
    expect(explainedScoreText('regression', 1, 0, 'age', 'years')).toBe('the value of age (years)');
    expect(decisionPanelsUnavailable('regression')).toMatch(/regression/);
    expect(decisionPanelsUnavailable('multi-label')).toMatch(/one class per image/);
    expect(decisionPanelsUnavailable('sigmoid-binary')).toBeNull();
  });
  it('parses kinds; the old "probabilities" reads as softmax', () => {
    expect(parseOutputKind('probabilities')).toBe('softmax');
    expect(parseOutputKind('multi-label')).toBe('multi-label');
    expect(parseOutputKind('scores')).toBeUndefined();
  });
});
