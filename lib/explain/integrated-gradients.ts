/**
 * Integrated Gradients (Sundararajan, Taly & Yan 2017, https://arxiv.org/abs/1703.01365):
 *   IG_i(x) = (x_i − x'_i) · ∫₀¹ ∂S(x' + α(x − x'))/∂x_i dα,
 * approximated with a Riemann sum over `steps` intervals (trapezoid: steps+1 points, end points weighted ½;
 * left/right: steps points; midpoint: steps points at (k+½)/steps). Completeness: Σ_i IG_i ≈ S(x) − S(x').
 * `extras` reports the raw sum, both scores and the relative completeness error
 *   |Σ IG − (S(x) − S(x'))| / max(|S(x) − S(x')|, 1e-12).
 * The map sums channels by default, so Σ map = Σ IG (the completeness sum is computed before reduction).
 * Model calls: ceil(points / batchSize) gradient passes, plus one forward pass over [x', x] when the rule
 * does not evaluate both end points (left, right, midpoint).
 */
import * as tf from '@tensorflow/tfjs';
import { integratedGradientsMeta, type IntegratedGradientsConfig, type RiemannRule } from './catalog';
import {
  checkInput,
  checkRange,
  checkTarget,
  chunks,
  defaultBlurSigma,
  finite,
  gaussianBlur,
  mulberry32,
  nextTick,
  now,
  reduceChannels,
  resolveConfig,
  take,
  throwIfAborted,
} from './common';
import { gradientBatch } from './gradients';
import { ExplainError, type ExplainMethod, type ImageInput, type ScoreKind } from './types';

export type { IgBaseline, IntegratedGradientsConfig, RiemannRule } from './catalog';

/** The baseline image x' (HWC, pixel space). Blurred: Gaussian σ = max(h, w)/10 px. Noise: U(0, 1), seeded. */
export function makeBaseline(input: ImageInput, config: Pick<IntegratedGradientsConfig, 'baseline' | 'baselineImage' | 'seed'>): Float32Array {
  const n = input.data.length;
  switch (config.baseline) {
    case 'black':
      return new Float32Array(n);
    case 'white':
      return new Float32Array(n).fill(1);
    case 'blurred':
      return gaussianBlur(input, defaultBlurSigma(input));
    case 'noise': {
      const rand = mulberry32(config.seed);
      return Float32Array.from({ length: n }, () => rand());
    }
    case 'image': {
      const b = config.baselineImage;
      if (!b) throw new ExplainError('baseline "image" needs a baseline image');
      if (b.width !== input.width || b.height !== input.height || b.channels !== input.channels || b.data.length !== n) {
        throw new ExplainError(`the baseline image must be ${input.height}×${input.width}×${input.channels} like the input`);
      }
      return Float32Array.from(b.data);
    }
  }
}

/** Interpolation points α_k and weights w_k of the chosen rule (Σ w_k = 1). */
export function riemannPoints(steps: number, rule: RiemannRule): { alphas: number[]; weights: number[] } {
  const alphas: number[] = [];
  const weights: number[] = [];
  if (rule === 'trapezoid') {
    for (let k = 0; k <= steps; k++) {
      alphas.push(k / steps);
      weights.push(k === 0 || k === steps ? 0.5 / steps : 1 / steps);
    }
  } else {
    for (let k = 0; k < steps; k++) {
      alphas.push(rule === 'left' ? k / steps : rule === 'right' ? (k + 1) / steps : (k + 0.5) / steps);
      weights.push(1 / steps);
    }
  }
  return { alphas, weights };
}

export const integratedGradients: ExplainMethod<IntegratedGradientsConfig> = {
  ...integratedGradientsMeta,
  async run(adapter, input, target, partial, opts) {
    const t0 = now();
    const config = resolveConfig(integratedGradients.defaultConfig, partial);
    checkTarget(adapter, target);
    checkInput(adapter, input);
    checkRange('steps', config.steps, 1, 100_000, true);
    checkRange('batchSize', config.batchSize, 1, 4096, true);
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
      throwIfAborted(opts?.signal);
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
      opts?.onProgress?.((start + n) / alphas.length);
      await nextTick();
    }
    if (Number.isNaN(scoreBaseline) || Number.isNaN(scoreInput)) {
      throwIfAborted(opts?.signal);
      const both = new Float32Array(2 * size);
      both.set(baseline, 0);
      both.set(input.data, size);
      const s = tf.tidy(() => tf.slice(adapter.scores(tf.tensor4d(both, [2, input.height, input.width, input.channels])), [0, target], [-1, 1]));
      const sv = await take(s);
      passes += 1;
      scoreBaseline = sv[0] as number;
      scoreInput = sv[1] as number;
    }
    const attributions = new Float32Array(size);
    let total = 0;
    for (let i = 0; i < size; i++) {
      const v = (diff[i] as number) * (gradSum[i] as number);
      attributions[i] = v;
      total += v;
    }
    const delta = scoreInput - scoreBaseline;
    const absoluteError = Math.abs(total - delta);
    const values = finite(reduceChannels(attributions, input.height, input.width, input.channels, config.reduction, config.absolute));
    const { baselineImage, ...rest } = config;
    return {
      method: 'integrated-gradients',
      target,
      width: input.width,
      height: input.height,
      values,
      signed: !config.absolute,
      scoreKind,
      config: { ...rest, baselineImage: baselineImage ? { width: baselineImage.width, height: baselineImage.height, channels: baselineImage.channels } : null },
      timings: { totalMs: now() - t0, forwardPasses: passes },
      extras: {
        completenessError: absoluteError / Math.max(Math.abs(delta), 1e-12),
        absoluteCompletenessError: absoluteError,
        sumAttributions: total,
        scoreInput,
        scoreBaseline,
        scoreDelta: delta,
      },
    };
  },
};
