/**
 * Gradient × input (Shrikumar et al. 2016, https://arxiv.org/abs/1605.01713): map = reduce_c( x ⊙ ∂S/∂x ),
 * in pixel space, so it is the first-order Taylor contribution of each pixel relative to a black image.
 * For a linear model it is exact: Σ map = S(x) − S(0).
 */
import { resolveConfig } from './common';
import { gradientMapSpec, runGradientMap, type GradientMapConfig } from './saliency';
import type { ExplainMethod } from './types';

export const gradientXInput: ExplainMethod<GradientMapConfig> = {
  id: 'gradient-x-input',
  label: 'Gradient × input',
  description: 'Each pixel’s gradient times its value: a first-order estimate of its contribution.',
  help:
    'Multiplies the gradient by the pixel value, so it estimates how much each pixel adds to the score compared ' +
    'with a black image. Red pushes towards the class, blue against it. Black pixels always get zero, even when ' +
    'their darkness matters, and for strongly non-linear models the estimate can be far off (see Integrated Gradients).',
  referenceUrl: 'https://arxiv.org/abs/1605.01713',
  requires: ['inputGradients'],
  signed: (c) => !c.absolute,
  defaultConfig: { reduction: 'sum', absolute: false },
  configSpec: gradientMapSpec,
  isCompatible: () => true,
  run(adapter, input, target, config, opts) {
    return runGradientMap('gradient-x-input', true, adapter, input, target, resolveConfig(gradientXInput.defaultConfig, config), opts);
  },
};
