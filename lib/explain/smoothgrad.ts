/**
 * SmoothGrad (Smilkov et al. 2017, https://arxiv.org/abs/1706.03825): average a gradient map over
 * `numSamples` noisy copies x + ε, ε ~ N(0, σ²), σ = noiseStdFraction × (input range = 1).
 * Wraps saliency (∂S/∂x at the noisy input) or gradient × input ((x+ε) ⊙ ∂S/∂x at x+ε, as Captum's
 * NoiseTunnel does). `magnitude` averages squared values (the paper's "SmoothGrad-Squared" variant), which
 * makes the map unsigned. Noise is drawn from a seeded PRNG, so a (seed, config) pair is reproducible; it is
 * not clipped to [0, 1]. Forward+backward passes = ceil(numSamples / batchSize).
 */
import {
  checkInput,
  checkRange,
  checkTarget,
  chunks,
  finite,
  gaussian,
  mulberry32,
  nextTick,
  now,
  reduceChannels,
  resolveConfig,
  throwIfAborted,
  REDUCTION_OPTIONS,
  type Reduction,
} from './common';
import { gradientBatch } from './gradients';
import type { ExplainMethod, ScoreKind } from './types';

export type SmoothGradConfig = {
  base: 'saliency' | 'gradient-x-input';
  numSamples: number;
  noiseStdFraction: number;
  magnitude: boolean;
  batchSize: number;
  seed: number;
  reduction: Reduction;
  absolute: boolean;
};

export const smoothgrad: ExplainMethod<SmoothGradConfig> = {
  id: 'smoothgrad',
  label: 'SmoothGrad',
  description: 'Gradient maps averaged over many noisy copies of the image: less speckle.',
  help:
    'Adds a little random noise to the image many times and averages the gradient maps, which removes much of ' +
    'the speckle of plain saliency. More samples give a cleaner map at more cost. Too much noise blurs the map ' +
    'into a blob; too little brings the speckle back. It still shows sensitivity, not causal importance.',
  referenceUrl: 'https://arxiv.org/abs/1706.03825',
  requires: ['inputGradients'],
  signed: (c) => !c.absolute && !c.magnitude,
  defaultConfig: {
    base: 'saliency',
    numSamples: 25,
    noiseStdFraction: 0.15,
    magnitude: false,
    batchSize: 8,
    seed: 0,
    reduction: 'max-abs',
    absolute: true,
  },
  configSpec: {
    base: {
      kind: 'select',
      label: 'Gradient method',
      help: 'Which map is averaged: the plain gradient or gradient × input.',
      options: [
        { value: 'saliency', label: 'Saliency (gradient)' },
        { value: 'gradient-x-input', label: 'Gradient × input' },
      ],
    },
    numSamples: { kind: 'number', label: 'Samples', help: 'Number of noisy copies (10–50 is typical).', min: 1, max: 500, step: 1, integer: true },
    noiseStdFraction: {
      kind: 'number',
      label: 'Noise level',
      help: 'Standard deviation of the noise as a fraction of the pixel range (0.1–0.2 is typical; 0 = plain gradient).',
      min: 0,
      max: 1,
      step: 0.01,
    },
    magnitude: { kind: 'boolean', label: 'Square before averaging', help: 'Average squared values (SmoothGrad²): sharper, always positive.' },
    batchSize: { kind: 'number', label: 'Batch size', help: 'Noisy copies per model call: larger is faster but needs more memory.', min: 1, max: 128, step: 1, integer: true },
    seed: { kind: 'number', label: 'Random seed', help: 'Same seed, same noise, same map.', min: 0, max: 2 ** 31 - 1, step: 1, integer: true },
    reduction: { kind: 'select', label: 'Channel reduction', help: 'How the colour channels of a pixel are combined.', options: REDUCTION_OPTIONS },
    absolute: { kind: 'boolean', label: 'Magnitude only', help: 'Ignore the sign (push up or down) of each pixel.' },
  },
  isCompatible: () => true,
  async run(adapter, input, target, partial, opts) {
    const t0 = now();
    const config = resolveConfig(smoothgrad.defaultConfig, partial);
    checkTarget(adapter, target);
    checkInput(adapter, input);
    checkRange('numSamples', config.numSamples, 1, 10_000, true);
    checkRange('noiseStdFraction', config.noiseStdFraction, 0, 10);
    checkRange('batchSize', config.batchSize, 1, 1024, true);
    const size = input.data.length;
    const acc = new Float64Array(size);
    const normal = gaussian(mulberry32(config.seed));
    const sigma = config.noiseStdFraction;
    const parts = chunks(config.numSamples, config.batchSize);
    let scoreKind: ScoreKind = 'logit';
    let done = 0;
    for (const [, n] of parts) {
      throwIfAborted(opts?.signal);
      const batch = new Float32Array(n * size);
      for (let b = 0; b < n; b++) for (let i = 0; i < size; i++) batch[b * size + i] = (input.data[i] as number) + (sigma > 0 ? sigma * normal() : 0);
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
      opts?.onProgress?.(done / config.numSamples);
      await nextTick();
    }
    const mean = new Float32Array(size);
    for (let i = 0; i < size; i++) mean[i] = (acc[i] as number) / config.numSamples;
    const values = finite(reduceChannels(mean, input.height, input.width, input.channels, config.reduction, config.absolute));
    return {
      method: 'smoothgrad',
      target,
      width: input.width,
      height: input.height,
      values,
      signed: !config.absolute && !config.magnitude,
      scoreKind,
      config: { ...config },
      timings: { totalMs: now() - t0, forwardPasses: parts.length },
    };
  },
};
