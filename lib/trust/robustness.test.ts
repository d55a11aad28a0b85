import { describe, expect, it } from 'vitest';
import { medianWithCensored, summariseRobustness, type RobustnessRow } from './robustness';

describe('robustness summary', () => {
  it('median counts a missing flip as above every ε', () => {
    expect(medianWithCensored([0.1, null, 0.3])).toBe(0.3);
    expect(medianWithCensored([0.1, 0.2, null, null])).toBeNull();
    expect(medianWithCensored([0.1, 0.2, 0.4, null])).toBeCloseTo(0.3);
    expect(medianWithCensored([])).toBeNull();
  });

  it('accuracy per level and per class, hand-counted', () => {
    const rows: RobustnessRow[] = [
      { label: 0, clean: 0, fgsm: [0, 1], noise: [0], flip: 0.02 },
      { label: 0, clean: 0, fgsm: [1, 1], noise: [0], flip: 0.01 },
      { label: 1, clean: 1, fgsm: [1, 1], noise: [0], flip: null },
      { label: 1, clean: 0, fgsm: [0, 0], noise: [1], flip: 0.05 },
    ];
    const s = summariseRobustness(rows, 3, [1 / 255, 2 / 255], [0.1]);
    expect(s.n).toBe(4);
    expect(s.cleanAccuracy).toBe(0.75);
    expect(s.fgsmAccuracy).toEqual([0.5, 0.25]);
    expect(s.noiseAccuracy).toEqual([0.75]);
    expect(s.classCounts).toEqual([2, 2, 0]);
    expect(s.fgsmByClass[0]).toEqual([0.5, 0]);
    expect(s.fgsmByClass[1]).toEqual([0.5, 0.5]);
    expect(s.fgsmByClass[2]!.every(Number.isNaN)).toBe(true);
    expect(s.fgsmByClass[2]).toHaveLength(2);
    expect(s.noiseByClass[1]).toEqual([0.5]);
    expect(s.medianFlip).toBeCloseTo(0.035);
    expect(s.medianFlipPgd).toBeUndefined(); // not searched
    const pgd = rows.map((r, i) => ({ ...r, flipPgd: [0.01, 0.01, null, 0.03][i] as number | null }));
    expect(summariseRobustness(pgd, 3, [1 / 255, 2 / 255], [0.1]).medianFlipPgd).toBeCloseTo(0.02);
  });
});
