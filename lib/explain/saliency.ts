/**
 * Vanilla gradient saliency (Simonyan, Vedaldi & Zisserman 2013, https://arxiv.org/abs/1312.6034):
 * map = reduce_c( ∂ S_target / ∂ x ), x in pixel space [0, 1]. S is the logit when the model exposes
 * logits, the probability otherwise (`Attribution.scoreKind`). One forward+backward pass.
 */
import { checkInput, checkTarget, finite, now, reduceChannels, resolveConfig, throwIfAborted, REDUCTION_OPTIONS, type Reduction } from './common';
import { gradientBatch } from './gradients';
import type { Attribution, ConfigSpec, ExplainMethod, ImageInput, MethodId, ModelAdapter, RunOptions } from './types';

export type GradientMapConfig = {
  /** How the c channel values of a pixel become one number. */
  reduction: Reduction;
  /** Take |v| before reducing (unsigned map). */
  absolute: boolean;
};

export const gradientMapSpec: ConfigSpec<GradientMapConfig> = {
  reduction: {
    kind: 'select',
    label: 'Channel reduction',
    help: 'How the red, green and blue values of one pixel are combined into one number.',
    options: REDUCTION_OPTIONS,
  },
  absolute: {
    kind: 'boolean',
    label: 'Magnitude only',
    help: 'Show how strongly each pixel matters, ignoring whether it pushes the score up or down.',
  },
};

/** Shared by saliency and gradient × input: one gradient pass, optional × input, channel reduction. */
export async function runGradientMap(
  id: MethodId,
  timesInput: boolean,
  adapter: ModelAdapter,
  input: ImageInput,
  target: number,
  config: GradientMapConfig,
  opts: RunOptions | undefined,
): Promise<Attribution> {
  const t0 = now();
  checkTarget(adapter, target);
  checkInput(adapter, input);
  throwIfAborted(opts?.signal);
  const { grads, scoreKind } = await gradientBatch(adapter, input.data, 1, input, target);
  if (timesInput) for (let i = 0; i < grads.length; i++) grads[i] = (grads[i] as number) * (input.data[i] as number);
  opts?.onProgress?.(1);
  const values = finite(reduceChannels(grads, input.height, input.width, input.channels, config.reduction, config.absolute));
  return {
    method: id,
    target,
    width: input.width,
    height: input.height,
    values,
    signed: !config.absolute,
    scoreKind,
    config: { ...config },
    timings: { totalMs: now() - t0, forwardPasses: 1 },
  };
}

export const saliency: ExplainMethod<GradientMapConfig> = {
  id: 'saliency',
  label: 'Saliency (gradient)',
  description: 'How much a tiny change of each pixel would change the class score.',
  help:
    'Shows the gradient of the class score with respect to each pixel: bright pixels are those where a small ' +
    'change would move the score most. It is fast (one pass) but noisy and local: it says what the score is ' +
    'sensitive to right here, not what the model "looked at", and saturated features can show no gradient at all.',
  referenceUrl: 'https://arxiv.org/abs/1312.6034',
  requires: ['inputGradients'],
  signed: (c) => !c.absolute,
  defaultConfig: { reduction: 'max-abs', absolute: true },
  configSpec: gradientMapSpec,
  isCompatible: () => true,
  run(adapter, input, target, config, opts) {
    return runGradientMap('saliency', false, adapter, input, target, resolveConfig(saliency.defaultConfig, config), opts);
  },
};
