import { describe, expect, it } from 'vitest';
import { groundTruth } from './ground-truth';

describe('groundTruth', () => {
  it('says true vs predicted with a mark', () => {
    expect(groundTruth('Shirt', 'T-shirt/top')).toEqual({ text: 'True: Shirt · Model: T-shirt/top ✗', correct: false });
    expect(groundTruth('Coat', 'Coat')).toEqual({ text: 'True: Coat · Model: Coat ✓', correct: true });
  });
  it('no true label → nothing; no prediction yet → the truth alone', () => {
    expect(groundTruth(undefined, 'Coat')).toBeNull();
    expect(groundTruth('', 'Coat')).toBeNull();
    expect(groundTruth('Coat', null)).toEqual({ text: 'True: Coat', correct: null });
  });
  it('a true class that is none of the model’s classes is said in words, neither right nor wrong', () => {
    const fashion = ['T-shirt/top', 'Trouser', 'Sandal'];
    expect(groundTruth('0', 'Sandal', fashion)).toEqual({
      text: 'True: 0 (not one of this model’s classes) · Model: Sandal',
      correct: null,
    });
    expect(groundTruth('Sandal', 'Sandal', fashion)).toEqual({ text: 'True: Sandal · Model: Sandal ✓', correct: true });
    expect(groundTruth('Trouser', 'Sandal', fashion)?.correct).toBe(false);
  });
});
