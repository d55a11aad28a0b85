/**
 * Gradient × input (Shrikumar et al. 2016, https://arxiv.org/abs/1605.01713): map = reduce_c( x ⊙ ∂S/∂x ),
 * in pixel space, so it is the first-order Taylor contribution of each pixel relative to a black image.
 * For a linear model it is exact: Σ map = S(x) − S(0).
 */
import { defineMethod } from '../../define';
import { gradientMap } from '../saliency/run';
import { gradientXInputMeta } from './meta';

export const gradientXInput = defineMethod(gradientXInputMeta, (ctx) => gradientMap(true, ctx));
