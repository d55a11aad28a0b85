/**
 * Gradient × input (Shrikumar et al. 2016, https://arxiv.org/abs/1605.01713): map = reduce_c( x ⊙ ∂S/∂x ),
 * in pixel space, so it is the first-order Taylor contribution of each pixel relative to a black image.
 * For a linear model it is exact: Σ map = S(x) − S(0).
 */
import { resolveConfig } from './common';
import { gradientXInputMeta, type GradientMapConfig } from './catalog';
import { runGradientMap } from './saliency';
import type { ExplainMethod } from './types';

export const gradientXInput: ExplainMethod<GradientMapConfig> = {
  ...gradientXInputMeta,
  run(adapter, input, target, config, opts) {
    return runGradientMap('gradient-x-input', true, adapter, input, target, resolveConfig(gradientXInput.defaultConfig, config), opts);
  },
};
