/** Metadata of vanilla gradient saliency (no tfjs). The algorithm: run.ts. */
import { defineMeta, ONE_GRADIENT_PASS, REDUCTION_OPTIONS, type Reduction } from '../../meta';
import type { ConfigSpec } from '../../types';

/** Configuration of saliency and gradient × input. */
export type GradientMapConfig = {
  /** How the c channel values of a pixel become one number. */
  reduction: Reduction;
  /** Take |v| before reducing (unsigned map). */
  absolute: boolean;
};

/** The spec shared by saliency and gradient × input. */
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

/** What saliency and gradient × input share: one input-gradient pass; signed unless `absolute`. */
export const gradientMapCommon = {
  requires: ['inputGradients'],
  signed: (c: GradientMapConfig) => !c.absolute,
  configSpec: gradientMapSpec,
  ...ONE_GRADIENT_PASS,
} as const;

export const saliencyMeta = defineMeta<GradientMapConfig, 'saliency'>({
  id: 'saliency',
  label: 'Saliency (gradient)',
  description: 'How much a tiny change of each pixel would change the class score.',
  unit: 'gradient of the {score}',
  help:
    'Shows the gradient of the class score with respect to each pixel: bright pixels are those where a small ' +
    'change would move the score most. It is fast (one pass) but noisy and local: it says what the score is ' +
    'sensitive to right here, not what the model "looked at", and saturated features can show no gradient at all.',
  misleads:
    'Plain saliency is speckled and local: a bright pixel means "the score is sensitive to this pixel right now", ' +
    'not "the model looked here". It can look like an edge detector whatever the model does (Adebayo et al., ' +
    '*Sanity Checks for Saliency Maps*, https://arxiv.org/abs/1810.03292). Use it as a quick first look, never as ' +
    'the only evidence.',
  referenceUrl: 'https://arxiv.org/abs/1312.6034',
  ...gradientMapCommon,
  defaultConfig: { reduction: 'max-abs', absolute: true },
});
