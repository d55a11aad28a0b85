/**
 * Integrated Gradients (Sundararajan, Taly & Yan 2017, https://arxiv.org/abs/1703.01365):
 *   IG_i(x) = (x_i − x'_i) · ∫₀¹ ∂S(x' + α(x − x'))/∂x_i dα,
 * approximated by a quadrature rule (lib/explain/quadrature.ts): Gauss–Legendre with `steps` points (exact for
 * a path integrand that is a polynomial of degree ≤ 2·steps − 1), the trapezoid over `steps` intervals
 * (steps+1 points, end points weighted ½), or left/right/midpoint Riemann sums (steps points).
 * Completeness: Σ_i IG_i ≈ S(x) − S(x').
 * `extras` reports the raw sum, both scores and the relative completeness error
 *   |Σ IG − (S(x) − S(x'))| / max(|S(x) − S(x')|, 1e-12).
 * The map sums channels by default, so Σ map = Σ IG (the completeness sum is computed before reduction).
 * Model calls: ceil(points / batchSize) gradient passes, plus one forward pass over [x', x] when the rule
 * does not evaluate both end points (Gauss–Legendre, left, right, midpoint).
 */
import { completeness, makeBaseline } from '../../baselines';
import { chunks, nextTick, reduceChannels } from '../../common';
import { defineMethod } from '../../define';
import { gradientBatch, targetScores } from '../../gradients';
import type { ScoreKind } from '../../types';
import { quadrature } from '../../quadrature';
import { integratedGradientsMeta, type RiemannRule } from './meta';

export type { IgBaseline, IntegratedGradientsConfig, RiemannRule } from './meta';
export { completeness, makeBaseline, type CompletenessExtras } from '../../baselines';

/** Interpolation points α_k and weights w_k of the chosen rule (Σ w_k = 1): see lib/explain/quadrature.ts. */
export function riemannPoints(steps: number, rule: RiemannRule): { alphas: number[]; weights: number[] } {
  return quadrature(steps, rule);
}

/**
 * The trapezoid's nested levels up to `steps` intervals: halve while even and ≥ 2·MIN_LEVEL_STEPS (64 → 8, 16,
 * 32, 64; 100 → 25, 50, 100; 7 → 7). Each level's points are the previous level's plus its midpoints.
 */
export function trapezoidLevels(steps: number): number[] {
  const levels = [steps];
  for (let n = steps; n % 2 === 0 && n / 2 >= MIN_LEVEL_STEPS; n /= 2) levels.unshift(n / 2);
  return levels;
}
/** The first level of the refining trapezoid has at least this many intervals (fewer agree by chance). */
const MIN_LEVEL_STEPS = 8;

export const integratedGradients = defineMethod(integratedGradientsMeta, async (ctx) => {
  const { adapter, input, target, config } = ctx;
  const baseline = makeBaseline(input, config);
  const size = input.data.length;
  const diff = new Float32Array(size);
  for (let i = 0; i < size; i++) diff[i] = (input.data[i] as number) - (baseline[i] as number);
  let scoreKind: ScoreKind = 'logit';
  let passes = 0;
  let scoreBaseline = Number.NaN;
  let scoreInput = Number.NaN;
  const refine = config.rule === 'trapezoid' && config.targetError > 0;
  const totalPoints = config.rule === 'trapezoid' ? config.steps + 1 : config.steps;
  let evaluated = 0;
  /** Gradients at the path points `alphas`, added with weights `weights` into `into` (chunked, cancellable). */
  async function accumulate(alphas: readonly number[], weights: readonly number[], into: Float64Array) {
    for (const [start, n] of chunks(alphas.length, config.batchSize)) {
      ctx.throwIfAborted();
      const batch = new Float32Array(n * size);
      for (let b = 0; b < n; b++) {
        const a = alphas[start + b] as number;
        for (let i = 0; i < size; i++) batch[b * size + i] = (baseline[i] as number) + a * (diff[i] as number);
      }
      const r = await gradientBatch(adapter, batch, n, input, target);
      passes += 1;
      scoreKind = r.scoreKind;
      for (let b = 0; b < n; b++) {
        const w = weights[start + b] as number;
        const a = alphas[start + b] as number;
        if (a === 0) scoreBaseline = r.targetScores[b] as number;
        if (a === 1) scoreInput = r.targetScores[b] as number;
        for (let i = 0; i < size; i++) into[i] = (into[i] as number) + w * (r.grads[b * size + i] as number);
      }
      evaluated += n;
      ctx.onProgress(evaluated / totalPoints);
      await nextTick();
    }
  }
  const total = (g: Float64Array, scale: number) => {
    let t = 0;
    for (let i = 0; i < size; i++) t += (diff[i] as number) * (g[i] as number) * scale;
    return t;
  };
  let gradSum = new Float64Array(size);
  let stepsUsed = config.steps;
  if (refine) {
    // Refining trapezoid: Σ f at the end points (weight ½) and the interior points, doubled level by level
    // until the completeness error is within the target (the points of a level are all reused by the next).
    const sums = new Float64Array(size);
    let prev = 0;
    for (const n of trapezoidLevels(config.steps)) {
      const alphas: number[] = [];
      const weights: number[] = [];
      for (let k = 0; k <= n; k++) {
        if (prev > 0 && k % 2 === 0) continue; // already evaluated at the previous level
        alphas.push(k / n);
        weights.push(k === 0 || k === n ? 0.5 : 1);
      }
      await accumulate(alphas, weights, sums);
      prev = n;
      stepsUsed = n;
      const delta = scoreInput - scoreBaseline;
      if (Math.abs(total(sums, 1 / n) - delta) <= config.targetError * Math.max(Math.abs(delta), 1e-12)) break;
    }
    for (let i = 0; i < size; i++) gradSum[i] = (sums[i] as number) / stepsUsed;
    if (stepsUsed < config.steps) ctx.onProgress(1);
  } else {
    const { alphas, weights } = riemannPoints(config.steps, config.rule);
    gradSum = new Float64Array(size);
    await accumulate(alphas, weights, gradSum);
  }
  if (Number.isNaN(scoreBaseline) || Number.isNaN(scoreInput)) {
    ctx.throwIfAborted();
    const [sb, si] = await targetScores(adapter, [baseline, input.data], input, target);
    passes += 1;
    scoreBaseline = sb as number;
    scoreInput = si as number;
  }
  const attributions = new Float32Array(size);
  let sum = 0;
  for (let i = 0; i < size; i++) {
    const v = (diff[i] as number) * (gradSum[i] as number);
    attributions[i] = v;
    sum += v;
  }
  const values = reduceChannels(
    attributions,
    input.height,
    input.width,
    input.channels,
    config.reduction,
    config.absolute,
  );
  const { baselineImage, ...rest } = config;
  return {
    values,
    scoreKind,
    forwardPasses: passes,
    reportedConfig: {
      ...rest,
      baselineImage: baselineImage
        ? { width: baselineImage.width, height: baselineImage.height, channels: baselineImage.channels }
        : null,
    },
    extras: { ...completeness(sum, scoreInput, scoreBaseline), stepsUsed },
  };
});
