/**
 * SmoothGrad (Smilkov et al. 2017, https://arxiv.org/abs/1706.03825): average a gradient map over
 * `numSamples` noisy copies x + ε, ε ~ N(0, σ²), σ = noiseStdFraction × (input range = 1).
 * Wraps saliency (∂S/∂x at the noisy input) or gradient × input ((x+ε) ⊙ ∂S/∂x at x+ε, as Captum's
 * NoiseTunnel does). `magnitude` averages squared values (the paper's "SmoothGrad-Squared" variant), which
 * makes the map unsigned. Noise is drawn from a seeded PRNG, so a (seed, config) pair is reproducible; it is
 * not clipped to [0, 1]. Forward+backward passes = ceil(numSamples / batchSize).
 */
import { chunks, evenBatch, gaussian, mulberry32, nextTick, reduceChannels } from '../../common';
import { defineMethod } from '../../define';
import { gradientBatch } from '../../gradients';
import type { ScoreKind } from '../../types';
import { smoothgradMeta } from './meta';

export type { SmoothGradConfig } from './meta';

export const smoothgrad = defineMethod(smoothgradMeta, async (ctx) => {
  const { adapter, input, target, config } = ctx;
  const size = input.data.length;
  const acc = new Float64Array(size);
  const normal = gaussian(mulberry32(config.seed));
  const sigma = config.noiseStdFraction;
  const parts = chunks(config.numSamples, evenBatch(config.numSamples, config.batchSize));
  let scoreKind: ScoreKind = 'logit';
  let done = 0;
  for (const [, n] of parts) {
    ctx.throwIfAborted();
    const batch = new Float32Array(n * size);
    for (let b = 0; b < n; b++)
      for (let i = 0; i < size; i++)
        batch[b * size + i] = (input.data[i] as number) + (sigma > 0 ? sigma * normal() : 0);
    const r = await gradientBatch(adapter, batch, n, input, target);
    scoreKind = r.scoreKind;
    for (let b = 0; b < n; b++) {
      for (let i = 0; i < size; i++) {
        let v = r.grads[b * size + i] as number;
        if (config.base === 'gradient-x-input') v *= batch[b * size + i] as number;
        acc[i] = (acc[i] as number) + (config.magnitude ? v * v : v);
      }
    }
    done += n;
    ctx.onProgress(done / config.numSamples);
    await nextTick();
  }
  const mean = new Float32Array(size);
  for (let i = 0; i < size; i++) mean[i] = (acc[i] as number) / config.numSamples;
  const values = reduceChannels(mean, input.height, input.width, input.channels, config.reduction, config.absolute);
  return { values, scoreKind, forwardPasses: parts.length, extras: undefined };
});
