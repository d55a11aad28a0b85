/**
 * Vanilla gradient saliency (Simonyan, Vedaldi & Zisserman 2013, https://arxiv.org/abs/1312.6034):
 * map = reduce_c( ∂ S_target / ∂ x ), x in pixel space [0, 1]. S is the logit when the model exposes
 * logits, the probability otherwise (`Attribution.scoreKind`). One forward+backward pass.
 */
import { saliencyMeta, type GradientMapConfig } from './catalog';
import { checkInput, checkTarget, finite, now, reduceChannels, resolveConfig, throwIfAborted } from './common';
import { gradientBatch } from './gradients';
import type { Attribution, ExplainMethod, ImageInput, MethodId, ModelAdapter, RunOptions } from './types';

export { gradientMapSpec, type GradientMapConfig } from './catalog';

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
  ...saliencyMeta,
  run(adapter, input, target, config, opts) {
    return runGradientMap('saliency', false, adapter, input, target, resolveConfig(saliency.defaultConfig, config), opts);
  },
};
