/** Metadata of gradient × input (no tfjs). The algorithm: run.ts. */
import { defineMeta } from '../../meta';
import { gradientMapCommon, type GradientMapConfig } from '../saliency/meta';

export const gradientXInputMeta = defineMeta<GradientMapConfig, 'gradient-x-input'>({
  id: 'gradient-x-input',
  label: 'Gradient × input',
  description: 'Each pixel’s gradient times its value: a first-order estimate of its contribution.',
  unit: 'gradient × pixel value ({score})',
  help:
    'Multiplies the gradient by the pixel value, so it estimates how much each pixel adds to the score compared ' +
    'with a black image. Red pushes towards the class, blue against it. Black pixels always get zero, even when ' +
    'their darkness matters, and for strongly non-linear models the estimate can be far off (see Integrated Gradients).',
  misleads:
    'Black pixels always get zero, so a model that relies on a dark region looks as if it ignored it. On strongly ' +
    'non-linear models the first-order estimate can be far from the true contribution; Integrated Gradients is the ' +
    'careful version.',
  referenceUrl: 'https://arxiv.org/abs/1605.01713',
  ...gradientMapCommon,
  defaultConfig: { reduction: 'sum', absolute: false },
});
