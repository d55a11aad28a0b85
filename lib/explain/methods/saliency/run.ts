/**
 * Vanilla gradient saliency (Simonyan, Vedaldi & Zisserman 2013, https://arxiv.org/abs/1312.6034):
 * map = reduce_c( ∂ S_target / ∂ x ), x in pixel space [0, 1]. S is the logit when the model exposes
 * logits, the probability otherwise (`Attribution.scoreKind`). One forward+backward pass.
 */
import { reduceChannels } from '../../common';
import type { AlgorithmResult, MethodContext } from '../../define';
import { defineMethod } from '../../define';
import { gradientBatch } from '../../gradients';
import { saliencyMeta, type GradientMapConfig } from './meta';

export { gradientMapSpec, type GradientMapConfig } from './meta';

/** Shared by saliency and gradient × input: one gradient pass, optional × input, channel reduction. */
export async function gradientMap(
  timesInput: boolean,
  ctx: MethodContext<GradientMapConfig>,
): Promise<AlgorithmResult<undefined>> {
  const { adapter, input, target, config } = ctx;
  const { grads, scoreKind } = await gradientBatch(adapter, input.data, 1, input, target);
  if (timesInput) for (let i = 0; i < grads.length; i++) grads[i] = (grads[i] as number) * (input.data[i] as number);
  ctx.onProgress(1);
  const values = reduceChannels(grads, input.height, input.width, input.channels, config.reduction, config.absolute);
  return { values, scoreKind, forwardPasses: 1, extras: undefined };
}

export const saliency = defineMethod(saliencyMeta, (ctx) => gradientMap(false, ctx));
