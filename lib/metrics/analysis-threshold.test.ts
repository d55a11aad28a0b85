import { describe, expect, it } from 'vitest';
import { analyse } from './analysis';
import { FASHION, randomLabels, randomPosteriors } from './testing';

const base = { matrix: { overrides: [] }, priors: null, merges: [] };

describe('analyse: operating point and temperature', () => {
  it('binary at threshold 0.5 is the argmax; the threshold moves decisions towards the class', () => {
    const probs = randomPosteriors(300, 2, 1);
    const labels = randomLabels(300, 2, 2);
    const a = analyse({
      probs,
      labels,
      classNames: ['good', 'default'],
      settings: { ...base, operatingPoint: { positive: 1, threshold: 0.5 } },
    });
    expect(a.threshold!.decisions).toEqual(a.argmax.decisions);
    const low = analyse({
      probs,
      labels,
      classNames: ['good', 'default'],
      settings: { ...base, operatingPoint: { positive: 1, threshold: 0.1 } },
    });
    expect(low.threshold!.perClass[1]!.recall!).toBeGreaterThan(a.threshold!.perClass[1]!.recall!);
    expect(analyse({ probs, labels, classNames: ['good', 'default'], settings: base }).threshold).toBeNull();
  });

  it('the positive class maps through merges', () => {
    const a = analyse({
      probs: randomPosteriors(100, 10, 3),
      labels: randomLabels(100, 10, 4),
      classNames: FASHION,
      settings: { ...base, merges: [[0, 6]], operatingPoint: { positive: 6, threshold: 0.2 } },
    });
    expect(a.operatingPoint).toEqual({ positive: 0, threshold: 0.2 });
  });

  it('a temperature keeps the argmax and changes the calibration; bad values are refused with a message', () => {
    const probs = randomPosteriors(400, 10, 5);
    const labels = randomLabels(400, 10, 6);
    const plain = analyse({ probs, labels, classNames: FASHION, settings: base });
    const hot = analyse({ probs, labels, classNames: FASHION, settings: base, temperature: 2 });
    expect(hot.argmax.decisions).toEqual(plain.argmax.decisions);
    expect(hot.calibration.meanConfidence!).toBeLessThan(plain.calibration.meanConfidence!);
    expect(() => analyse({ probs, labels, classNames: FASHION, settings: base, temperature: 0 })).toThrow(
      /temperature must be/,
    );
    expect(() =>
      analyse({
        probs,
        labels,
        classNames: FASHION,
        settings: { ...base, operatingPoint: { positive: 10, threshold: 0.5 } },
      }),
    ).toThrow(/class 10 is not a class index/);
    expect(() =>
      analyse({
        probs,
        labels,
        classNames: FASHION,
        settings: { ...base, operatingPoint: { positive: 1, threshold: 1.5 } },
      }),
    ).toThrow(/between 0 and 1/);
  });
});
