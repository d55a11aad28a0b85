/** Metadata of Integrated Gradients (no tfjs). The algorithm: run.ts. */
import { configNumber, defineMeta, type Reduction } from '../../meta';
import { absoluteSpec, baselineSpec, batchSizeSpec, reductionSpec, seedSpec, stepsSpec } from '../../param-specs';
import { includesEndPoints, quadraturePointCount, type QuadratureRule } from '../../quadrature';
import type { ImageInput } from '../../types';

export type IgBaseline = 'black' | 'white' | 'blurred' | 'noise' | 'image';
/** The integration rule (lib/explain/quadrature.ts); the old name, kept for importers. */
export type RiemannRule = QuadratureRule;

export type IntegratedGradientsConfig = {
  steps: number;
  baseline: IgBaseline;
  /** Used when baseline = 'image': an ImageInput of the model's size. */
  baselineImage: ImageInput | null;
  rule: RiemannRule;
  /**
   * Trapezoid only: start with 8 even intervals and bisect the ones with the largest local error (the
   * adaptive trapezoid, lib/explain/quadrature-adaptive.ts) until the relative completeness error is at most
   * this (0 = always `steps` even intervals); `steps` + 1 points are then the most it evaluates.
   */
  targetError: number;
  /**
   * Adaptive trapezoid only: seconds after which no further refinement starts (0 = none). The first 8
   * intervals always run; a batch that would end past the limit (judged by the previous batch's time) is not
   * started. The budget (estimate-budget.ts) sets it instead of cutting `steps` when the default is too slow
   * here, so an easy path still stops at the target after a few steps and a hard one uses the time it has.
   */
  timeLimit: number;
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
  unit: 'share of the {score} difference',
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
    targetError: 0.01,
    timeLimit: 0,
    batchSize: 128,
    seed: 0,
    reduction: 'sum',
    absolute: false,
  },
  configSpec: {
    steps: stepsSpec(
      'Gradient evaluations along the path: intervals for the Riemann rules and the trapezoid, points for ' +
        'Gauss–Legendre (more = more exact, slower).',
    ),
    baseline: baselineSpec(true),
    baselineImage: { kind: 'image', label: 'Baseline image', help: 'Used when the baseline is "Another image".' },
    rule: {
      kind: 'select',
      label: 'Integration rule',
      help:
        'How the path integral is approximated. The trapezoid (default) refines itself up to the steps above, ' +
        'adding points where the path bends; Gauss–Legendre is exact for smooth paths but not better on ReLU ' +
        'networks (README, budget bench).',
      options: [
        { value: 'gauss-legendre', label: 'Gauss–Legendre' },
        { value: 'trapezoid', label: 'Trapezoid' },
        { value: 'midpoint', label: 'Midpoint' },
        { value: 'left', label: 'Left Riemann' },
        { value: 'right', label: 'Right Riemann' },
      ],
    },
    targetError: {
      kind: 'number',
      label: 'Stop at completeness error',
      help:
        'Trapezoid: start with 8 steps, then add steps where the shares and the score disagree most, until they ' +
        'add up to the score difference within this fraction (0.01 = 1 %); the steps above are then the most it ' +
        'uses. 0: always all steps, evenly spaced.',
      min: 0,
      max: 0.5,
      step: 0.005,
    },
    timeLimit: {
      kind: 'number',
      label: 'Time limit (s)',
      help:
        'Trapezoid with a completeness target: stop adding steps after this many seconds (0 = no limit). The ' +
        'first 8 steps always run. Set for you when all the steps would take longer than about 10 s here.',
      min: 0,
      max: 600,
      step: 1,
    },
    batchSize: batchSizeSpec('Path points per model call.', 256),
    seed: seedSpec('Seed of the noise baseline.'),
    reduction: reductionSpec(),
    absolute: absoluteSpec(),
  },
  quickConfig: { steps: 6, batchSize: 3 },
  // points forward+backward passes (trapezoid: steps + 1 points, else steps), +2 forward passes (x′ and x)
  // when the rule does not evaluate both ends.
  cost: (config) => {
    const steps = configNumber(config, 'steps');
    const rule = config.rule ?? 'trapezoid';
    const points = quadraturePointCount(steps, rule);
    return includesEndPoints(rule)
      ? { fe: 3 * points, formula: `${points} × 3` }
      : { fe: 3 * points + 2, formula: `${points} × 3 + 2` };
  },
});
