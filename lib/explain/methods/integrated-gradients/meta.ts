/** Metadata of Integrated Gradients (no tfjs). The algorithm: run.ts. */
import { configNumber, defineMeta, REDUCTION_OPTIONS, type Reduction } from '../../meta';
import type { ImageInput } from '../../types';

export type IgBaseline = 'black' | 'white' | 'blurred' | 'noise' | 'image';
export type RiemannRule = 'trapezoid' | 'left' | 'right' | 'midpoint';

export type IntegratedGradientsConfig = {
  steps: number;
  baseline: IgBaseline;
  /** Used when baseline = 'image': an ImageInput of the model's size. */
  baselineImage: ImageInput | null;
  rule: RiemannRule;
  batchSize: number;
  /** Seed of the uniform-noise baseline. */
  seed: number;
  reduction: Reduction;
  absolute: boolean;
};

export const integratedGradientsMeta = defineMeta<IntegratedGradientsConfig, 'integrated-gradients'>({
  id: 'integrated-gradients',
  label: 'Integrated Gradients',
  description: 'Each pixel’s share of the score difference between a baseline image and this image.',
  help:
    'Walks in small steps from a baseline (by default a black image) to your image, adds up the gradients on the ' +
    'way and multiplies by how much each pixel changed. The shares add up to the score difference, which is ' +
    'checked and reported as the completeness error. The answer depends on the baseline: with a black baseline, ' +
    'black pixels get no credit even if their darkness matters; try a blurred or noise baseline to compare.',
  misleads:
    'Everything is relative to the baseline. With a black baseline, black pixels get no credit even when their ' +
    'darkness matters (on Fashion-MNIST the background is black, so the garment gets all the credit by ' +
    'construction). Compare two baselines before you trust a detail. The completeness error tells you whether the ' +
    'number of steps was enough.',
  referenceUrl: 'https://arxiv.org/abs/1703.01365',
  requires: ['inputGradients'],
  signed: (c) => !c.absolute,
  defaultConfig: {
    steps: 64,
    baseline: 'black',
    baselineImage: null,
    rule: 'trapezoid',
    batchSize: 16,
    seed: 0,
    reduction: 'sum',
    absolute: false,
  },
  configSpec: {
    steps: {
      kind: 'number',
      label: 'Steps',
      help: 'Number of intervals between baseline and image (more = more exact, slower).',
      min: 1,
      max: 1024,
      step: 1,
      integer: true,
    },
    baseline: {
      kind: 'select',
      label: 'Baseline',
      help: 'The "absence of signal" the image is compared with.',
      options: [
        { value: 'black', label: 'Black image' },
        { value: 'white', label: 'White image' },
        { value: 'blurred', label: 'Blurred copy of the image' },
        { value: 'noise', label: 'Uniform noise' },
        { value: 'image', label: 'Another image' },
      ],
    },
    baselineImage: { kind: 'image', label: 'Baseline image', help: 'Used when the baseline is "Another image".' },
    rule: {
      kind: 'select',
      label: 'Integration rule',
      help: 'How the path integral is approximated. Trapezoid is the most accurate for the same number of steps.',
      options: [
        { value: 'trapezoid', label: 'Trapezoid' },
        { value: 'left', label: 'Left Riemann' },
        { value: 'right', label: 'Right Riemann' },
        { value: 'midpoint', label: 'Midpoint' },
      ],
    },
    batchSize: {
      kind: 'number',
      label: 'Batch size',
      help: 'Path points per model call.',
      min: 1,
      max: 256,
      step: 1,
      integer: true,
    },
    seed: {
      kind: 'number',
      label: 'Random seed',
      help: 'Seed of the noise baseline.',
      min: 0,
      max: 2 ** 31 - 1,
      step: 1,
      integer: true,
    },
    reduction: {
      kind: 'select',
      label: 'Channel reduction',
      help: 'How the colour channels of a pixel are combined (sum keeps completeness).',
      options: REDUCTION_OPTIONS,
    },
    absolute: { kind: 'boolean', label: 'Magnitude only', help: 'Ignore whether a pixel pushes the score up or down.' },
  },
  quickConfig: { steps: 6, batchSize: 3 },
  // points forward+backward passes (trapezoid: steps + 1 points, else steps), +2 forward passes (x′ and x)
  // when the rule does not evaluate both ends.
  cost: (config) => {
    const steps = configNumber(config, 'steps');
    const trapezoid = (config.rule ?? 'trapezoid') === 'trapezoid';
    const points = trapezoid ? steps + 1 : steps;
    return trapezoid
      ? { fe: 3 * points, formula: `${points} × 3` }
      : { fe: 3 * points + 2, formula: `${points} × 3 + 2` };
  },
});
