import { describe, expect, it } from 'vitest';
import { getMethodMeta, METHOD_IDS } from '@/lib/explain/catalog';
import { forwardEquivalents, median, overheadRatio, tasksDuring } from './accounting';

const FASHION: [number, number, number] = [28, 28, 1];
const fe = (method: string, config: Record<string, unknown> = {}, inputShape = FASHION) =>
  forwardEquivalents({ method, config: { ...getMethodMeta(method).defaultConfig, ...config }, inputShape });

describe('forwardEquivalents', () => {
  it('one forward+backward = 3 for the single-gradient and CAM methods', () => {
    for (const m of ['saliency', 'gradient-x-input', 'grad-cam', 'grad-cam-plus-plus']) expect(fe(m).fe).toBe(3);
  });

  it('SmoothGrad = 3 × samples; IG = 3 × points (trapezoid: steps + 1), +2 forward passes for other rules', () => {
    expect(fe('smoothgrad')).toEqual({ fe: 75, formula: '25 × 3' }); // default 25 samples
    expect(fe('integrated-gradients')).toEqual({ fe: 195, formula: '65 × 3' }); // default 64 steps, trapezoid
    expect(fe('integrated-gradients', { steps: 16, rule: 'midpoint' })).toEqual({ fe: 50, formula: '16 × 3 + 2' });
  });

  it('occlusion = windows + 1 reference; 28×28 with 8/4 has 6 × 6 windows, 224×224 with 32/32 has 7 × 7', () => {
    expect(fe('occlusion')).toEqual({ fe: 37, formula: '36 + 1' });
    expect(fe('occlusion', { windowSize: 32, stride: 32 }, [224, 224, 3]).fe).toBe(50);
    // 10 px with window 4, stride 4: starts 0, 4 and a final flush window at 6 ⇒ 3 × 3
    expect(fe('occlusion', { windowSize: 4, stride: 4 }, [10, 10, 1]).fe).toBe(10);
  });

  it('every catalog method has a positive count for its defaults (the formula lives in its meta.ts)', () => {
    expect(METHOD_IDS.length).toBeGreaterThan(0);
    for (const id of METHOD_IDS) {
      const r = fe(id);
      expect(r.fe, id).toBeGreaterThan(0);
      expect(Number.isInteger(r.fe), id).toBe(true);
      expect(r.formula, id).toMatch(/\d/);
    }
  });

  it('RISE = masks (forward only); unknown methods throw', () => {
    expect(fe('rise').fe).toBe(500);
    expect(() => forwardEquivalents({ method: 'nope', config: {}, inputShape: FASHION })).toThrow(
      /no forward-equivalent/,
    );
    expect(() => forwardEquivalents({ method: 'smoothgrad', config: {}, inputShape: FASHION })).toThrow(/numSamples/);
  });
});

describe('overheadRatio, median, tasksDuring', () => {
  it('ratio of measured to ideal time', () => {
    expect(overheadRatio(130, 100, 1)).toBeCloseTo(1.3);
    expect(overheadRatio(30, 3, 5)).toBeCloseTo(2);
    expect(overheadRatio(10, 0, 1)).toBeNaN();
  });

  it('median of odd and even lists, unsorted input untouched', () => {
    const xs = [5, 1, 3];
    expect(median(xs)).toBe(3);
    expect(xs).toEqual([5, 1, 3]);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow();
  });

  it('keeps only tasks overlapping the window', () => {
    const tasks = [
      { startTime: 0, duration: 60 }, // ends at 60, before
      { startTime: 90, duration: 60 }, // overlaps the start
      { startTime: 120, duration: 55 }, // inside
      { startTime: 200, duration: 70 }, // starts at the end: outside
    ];
    expect(tasksDuring(tasks, 100, 200)).toEqual([tasks[1], tasks[2]]);
  });
});
