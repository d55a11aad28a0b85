import { describe, expect, it } from 'vitest';
import { getMethodMeta } from './catalog';
import { callMs, estimateMs, formatDuration, imagesMs, runBatch, sliceBatch, type PassTimings } from './estimate';
import {
  budgetCandidates,
  cheaperAlternative,
  doneEstimateMs,
  occlusionCandidates,
  planRun,
  QUALITY_FLOORS,
  sizeToBudget,
} from './estimate-budget';

/** 10 ms fixed + 2 ms per image forward; gradients 30 ms fixed + 6 ms per image (measured at 1 and 5). */
const T: PassTimings = {
  backend: 'wasm',
  batch: 5,
  forwardMs: { one: 12, batch: 20 },
  gradientMs: { one: 36, batch: 60 },
};
const S224: [number, number, number] = [224, 224, 3];
const S28: [number, number, number] = [28, 28, 1];

describe('estimate', () => {
  it('call time is linear in the batch through the two measured calls', () => {
    expect(callMs(T.forwardMs, 5, 1)).toBe(12);
    expect(callMs(T.forwardMs, 5, 5)).toBe(20);
    expect(callMs(T.forwardMs, 5, 11)).toBe(32);
    // A batched call measured faster than a single one (noise): never below the batch-1 time.
    expect(callMs({ one: 10, batch: 8 }, 4, 4)).toBe(10);
  });

  it('images in calls: full calls plus a smaller last one', () => {
    expect(imagesMs(T.forwardMs, 5, 0, 4)).toBe(0);
    expect(imagesMs(T.forwardMs, 5, 10, 4)).toBe(2 * 18 + 14);
    expect(imagesMs(T.forwardMs, 5, 3, 1)).toBe(36);
  });

  it('methods: gradients from fe/3, forward passes from the rest, batch from the config and the cap', () => {
    const ig = getMethodMeta('integrated-gradients');
    // Trapezoid 64 steps: 65 gradient images (fe 195), batch 16: 4 calls of 16 + 1 of 1.
    const c = { ...ig.defaultConfig, rule: 'trapezoid', steps: 64, batchSize: 16 };
    expect(estimateMs(ig, c, S28, T)).toBeCloseTo(4 * callMs(T.gradientMs, 5, 16) + 36, 9);
    // Gauss–Legendre 16 points: 16 gradient images + one forward call over [x′, x].
    const gl = { ...c, rule: 'gauss-legendre', steps: 16 };
    expect(estimateMs(ig, gl, S28, T)).toBeCloseTo(callMs(T.gradientMs, 5, 16) + callMs(T.forwardMs, 5, 2), 9);
    // Capped at batch 4.
    expect(estimateMs(ig, gl, S28, T, 4)).toBeCloseTo(4 * callMs(T.gradientMs, 5, 4) + 14, 9);
    const rise = getMethodMeta('rise');
    expect(estimateMs(rise, { ...rise.defaultConfig, numMasks: 64, batchSize: 32 }, S28, T)).toBe(2 * (10 + 2 * 32));
    expect(runBatch({ batchSize: 32 }, 8)).toBe(8);
    expect(runBatch({})).toBe(1);
  });

  it('slices batches so one call stays under the slice time (never below 1)', () => {
    expect(sliceBatch(64, T.gradientMs, 5, 150)).toBe(16); // 30 + 6·16 = 126 ms; 32 → 222 ms
    expect(sliceBatch(64, { one: 400, batch: 1600 }, 4, 150)).toBe(1);
    expect(sliceBatch(8, T.forwardMs, 5, 150)).toBe(8);
  });

  it('formats durations in words', () => {
    expect(formatDuration(40)).toBe('under 0.1 s');
    expect(formatDuration(2500)).toBe('about 2.5 s');
    expect(formatDuration(40_400)).toBe('about 40 s');
    expect(formatDuration(226_000)).toBe('about 4 min');
    expect(formatDuration(Number.NaN)).toBe('unknown');
  });
});

describe('budget-sized defaults', () => {
  /** A slow model: a gradient image costs 300 ms, a forward image 100 ms (no fixed part). */
  const slow: PassTimings = {
    backend: 'cpu',
    batch: 2,
    forwardMs: { one: 100, batch: 200 },
    gradientMs: { one: 300, batch: 600 },
  };

  it('IG (adaptive trapezoid): a time limit instead of fewer steps; an explicit value is kept', () => {
    const ig = getMethodMeta('integrated-gradients');
    const def = ig.defaultConfig;
    const sized = sizeToBudget(ig, def, { inputShape: S224, timings: slow });
    // Every step would take 65 × 300 ms ≈ 20 s: the step limit stays, refinement stops after 10 s.
    expect(estimateMs(ig, def, S224, slow)).toBeGreaterThan(10_000);
    expect(sized.config.steps).toBe(def.steps);
    expect(sized.overrides).toEqual({ timeLimit: 10 });
    expect(sized.estimateMs).toBe(10_000);
    // A very slow model: the first 8 intervals always run, estimated above the budget (said, not hidden).
    const slower = { ...slow, gradientMs: { one: 3000, batch: 6000 } };
    const floor = sizeToBudget(ig, def, { inputShape: S224, timings: slower });
    expect(floor.overrides).toEqual({ timeLimit: 10 });
    expect(floor.estimateMs).toBeGreaterThan(10_000);
    expect(floor.estimateMs).toBeLessThan(estimateMs(ig, def, S224, slower));
    // A fast model: the method's own default, no limit.
    expect(sizeToBudget(ig, def, { inputShape: S28, timings: T }).overrides).toEqual({});
    // The user's steps or time limit are kept.
    expect(sizeToBudget(ig, { ...def, steps: 300 }, { inputShape: S224, timings: slow }).config).toMatchObject({
      steps: 300,
      timeLimit: 0,
    });
    expect(sizeToBudget(ig, { ...def, timeLimit: 30 }, { inputShape: S224, timings: slow }).overrides).toEqual({});
    // A slow explicit setting: the cheaper alternative is the time limit.
    const alt = cheaperAlternative(ig, { ...def, steps: 300 }, { inputShape: S224, timings: slow });
    expect(alt).toMatchObject({ overrides: { timeLimit: 10 }, label: 'stop adding steps after 10 s' });
  });

  it('IG with a fixed rule (no target): the most steps that fit 10 s, halving, never below the floor', () => {
    const ig = getMethodMeta('integrated-gradients');
    for (const def of [
      { ...ig.defaultConfig, targetError: 0 },
      { ...ig.defaultConfig, rule: 'gauss-legendre', targetError: 0.01 },
    ]) {
      const sized = sizeToBudget(ig, def, { inputShape: S224, timings: slow });
      expect(sized.estimateMs).toBeLessThanOrEqual(10_000);
      const steps = sized.config.steps as number;
      expect([32, 16, 8]).toContain(steps);
      expect(sized.overrides).toEqual({ steps });
      const slower = { ...slow, gradientMs: { one: 3000, batch: 6000 } };
      expect(sizeToBudget(ig, def, { inputShape: S224, timings: slower }).config.steps).toBe(
        QUALITY_FLOORS['integrated-gradients'],
      );
    }
  });

  it('occlusion: the defaults scaled to the input size (28 px keeps them), coarser only when too slow', () => {
    const occ = getMethodMeta('occlusion');
    expect(occlusionCandidates(occ, 28)[0]?.overrides).toEqual({ windowSize: 8, stride: 4 });
    expect(occlusionCandidates(occ, 224)[0]?.overrides).toEqual({ windowSize: 64, stride: 32 });
    for (const c of occlusionCandidates(occ, 224))
      expect(c.overrides.windowSize).toBe(2 * (c.overrides.stride as number));
    expect(sizeToBudget(occ, occ.defaultConfig, { inputShape: S28, timings: T }).overrides).toEqual({});
    const big = sizeToBudget(occ, occ.defaultConfig, { inputShape: S224, timings: T });
    expect(big.config).toMatchObject({ windowSize: 64, stride: 32 });
    expect(budgetCandidates(occ, { ...occ.defaultConfig, stride: 2 }, S224)).toEqual([]);
  });

  it('the cheaper alternative of a slow explicit setting, with its estimate', () => {
    const occ = getMethodMeta('occlusion');
    const fine = { ...occ.defaultConfig, windowSize: 16, stride: 8 };
    const alt = cheaperAlternative(occ, fine, { inputShape: S224, timings: slow });
    expect(alt).not.toBeNull();
    expect(alt?.estimateMs).toBeLessThan(estimateMsOf(occ, fine));
    expect(alt?.label).toMatch(/^stride \d+ \(patch \d+\)$/);
    // Fits already: none.
    expect(cheaperAlternative(occ, fine, { inputShape: S28, timings: T })).toBeNull();
    const sg = getMethodMeta('smoothgrad');
    const many = cheaperAlternative(sg, { ...sg.defaultConfig, numSamples: 400 }, { inputShape: S224, timings: slow });
    expect(many?.label).toMatch(/^\d+ samples$/);
    expect(many?.estimateMs).toBeLessThanOrEqual(10_000);
    // Methods without a knob are never sized.
    const gc = getMethodMeta('grad-cam');
    expect(sizeToBudget(gc, gc.defaultConfig, { inputShape: S224, timings: slow }).overrides).toEqual({});
  });

  it('planRun: batch sliced, work sized, the learnt factor applied to the estimate', () => {
    const rise = getMethodMeta('rise');
    const basis = { timings: slow, maxBatch: 8 };
    const plain = planRun(rise, rise.defaultConfig, S224, basis);
    expect(plain.factor).toBe(1);
    expect(plain.batch).toBe(1); // a 100 ms forward image: one per call (≤ 150 ms)
    expect(plain.config.batchSize).toBe(1);
    const learnt = planRun(rise, { ...rise.defaultConfig, numMasks: 300 }, S224, { ...basis, factors: { rise: 3 } });
    expect(learnt.factor).toBe(3);
    expect(learnt.estimateMs).toBeCloseTo(
      3 * planRun(rise, { ...rise.defaultConfig, numMasks: 300 }, S224, basis).estimateMs,
      6,
    );
  });

  it('doneEstimateMs: an IG run that stopped early is judged at the steps it used; other runs at the plan', () => {
    const ig = getMethodMeta('integrated-gradients');
    const basis = { timings: T, maxBatch: 16, factors: { 'integrated-gradients': 2 } };
    const plan = planRun(ig, ig.defaultConfig, S28, basis);
    expect(plan.config.steps).toBe(64);
    const full = plan.estimateMs / plan.factor;
    expect(doneEstimateMs(ig, plan, { stepsUsed: 64 }, S28, T)).toBeCloseTo(full, 9);
    expect(doneEstimateMs(ig, plan, undefined, S28, T)).toBeCloseTo(full, 9);
    // 16 steps = 17 gradient images instead of 65: 2 calls (16 + 1) instead of 5.
    const early = doneEstimateMs(ig, plan, { stepsUsed: 16 }, S28, T);
    expect(early).toBe(estimateMs(ig, { ...plan.config, steps: 16 }, S28, T, plan.batch));
    expect(early).toBeLessThan(full / 2);
    const gc = getMethodMeta('grad-cam');
    const gcPlan = planRun(gc, gc.defaultConfig, S28, basis);
    expect(doneEstimateMs(gc, gcPlan, { stepsUsed: 3 }, S28, T)).toBe(gcPlan.estimateMs / gcPlan.factor);
  });

  function estimateMsOf(meta: ReturnType<typeof getMethodMeta>, c: Record<string, unknown>) {
    return sizeToBudget(meta, c, { inputShape: S224, timings: slow }).estimateMs;
  }
});
