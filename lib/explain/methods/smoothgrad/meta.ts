/** Metadata of SmoothGrad (no tfjs). The algorithm: run.ts. */
import { configNumber, defineMeta, type Reduction } from '../../meta';
import { absoluteSpec, batchSizeSpec, integerSpec, reductionSpec, seedSpec } from '../../param-specs';

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

export const smoothgradMeta = defineMeta<SmoothGradConfig, 'smoothgrad'>({
  id: 'smoothgrad',
  label: 'SmoothGrad',
  description: 'Gradient maps averaged over many noisy copies of the image: less speckle.',
  unit: 'mean gradient of the {score}',
  help:
    'Adds a little random noise to the image many times and averages the gradient maps, which removes much of ' +
    'the speckle of plain saliency. More samples give a cleaner map at more cost. Too much noise blurs the map ' +
    'into a blob; too little brings the speckle back. It still shows sensitivity, not causal importance.',
  misleads:
    'The noise level decides what you see: too much gives a blob, too little gives the speckle back. It is still ' +
    'sensitivity, not cause. Two runs with different seeds should look alike; if they do not, raise the number of ' +
    'samples.',
  referenceUrl: 'https://arxiv.org/abs/1706.03825',
  requires: ['inputGradients'],
  signed: (c) => !c.absolute && !c.magnitude,
  defaultConfig: {
    base: 'saliency',
    numSamples: 25,
    noiseStdFraction: 0.15,
    magnitude: false,
    batchSize: 64,
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
    numSamples: integerSpec('Samples', 'Number of noisy copies (10–50 is typical).', 1, 500),
    noiseStdFraction: {
      kind: 'number',
      label: 'Noise level',
      help: 'Standard deviation of the noise as a fraction of the pixel range (0.1–0.2 is typical; 0 = plain gradient).',
      min: 0,
      max: 1,
      step: 0.01,
    },
    magnitude: {
      kind: 'boolean',
      label: 'Square before averaging',
      help: 'Average squared values (SmoothGrad²): sharper, always positive.',
    },
    batchSize: batchSizeSpec('Noisy copies per model call: larger is faster but needs more memory.', 128),
    seed: seedSpec('Same seed, same noise, same map.'),
    reduction: reductionSpec('How the colour channels of a pixel are combined.'),
    absolute: absoluteSpec('Ignore the sign (push up or down) of each pixel.'),
  },
  quickConfig: { numSamples: 4, batchSize: 2 },
  // numSamples forward+backward passes.
  cost: (config) => {
    const n = configNumber(config, 'numSamples');
    return { fe: 3 * n, formula: `${n} × 3` };
  },
});
