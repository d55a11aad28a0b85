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

export const integratedGradients = defineMethod(integratedGradientsMeta, async (ctx) => {
  const { adapter, input, target, config } = ctx;
  const baseline = makeBaseline(input, config);
  const size = input.data.length;
  const diff = new Float32Array(size);
  for (let i = 0; i < size; i++) diff[i] = (input.data[i] as number) - (baseline[i] as number);
  const { alphas, weights } = riemannPoints(config.steps, config.rule);
  const gradSum = new Float64Array(size);
  let scoreKind: ScoreKind = 'logit';
  let passes = 0;
  let scoreBaseline = Number.NaN;
  let scoreInput = Number.NaN;
  const parts = chunks(alphas.length, config.batchSize);
  for (const [start, n] of parts) {
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
      for (let i = 0; i < size; i++) gradSum[i] = (gradSum[i] as number) + w * (r.grads[b * size + i] as number);
    }
    ctx.onProgress((start + n) / alphas.length);
    await nextTick();
  }
  if (Number.isNaN(scoreBaseline) || Number.isNaN(scoreInput)) {
    ctx.throwIfAborted();
    const [sb, si] = await targetScores(adapter, [baseline, input.data], input, target);
    passes += 1;
    scoreBaseline = sb as number;
    scoreInput = si as number;
  }
  const attributions = new Float32Array(size);
  let total = 0;
  for (let i = 0; i < size; i++) {
    const v = (diff[i] as number) * (gradSum[i] as number);
    attributions[i] = v;
    total += v;
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
    extras: completeness(total, scoreInput, scoreBaseline),
  };
});
