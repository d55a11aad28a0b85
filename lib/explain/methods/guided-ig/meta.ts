/** Metadata of Guided Integrated Gradients (no tfjs). The algorithm: run.ts and path.ts. */
import { configNumber, defineMeta, type Reduction } from '../../meta';
import { absoluteSpec, baselineSpec, reductionSpec, seedSpec, stepsSpec } from '../../param-specs';

export type GuidedIgBaseline = 'black' | 'white' | 'blurred' | 'noise';

export type GuidedIgConfig = {
  /** Number of steps along the path (one gradient pass each). */
  steps: number;
  /** Share of the features (those with the smallest |gradient|) moved towards the input at each inner iteration. */
  fraction: number;
  /** How far (in path progress α) a feature may run ahead of the straight-line schedule. */
  maxDist: number;
  baseline: GuidedIgBaseline;
  /** Seed of the uniform-noise baseline. */
  seed: number;
  reduction: Reduction;
  absolute: boolean;
};

export const guidedIgMeta = defineMeta<GuidedIgConfig, 'guided-ig'>({
  id: 'guided-ig',
  label: 'Guided Integrated Gradients',
  description: 'Integrated Gradients along a path that first moves the pixels the score is least sensitive to.',
  unit: 'share of the {score} difference',
  help:
    'Like Integrated Gradients it walks from a baseline to your image and adds up gradients, so the shares still ' +
    'add up to the score difference. Instead of a straight line it picks its own path: at each step it first ' +
    'moves the pixels whose gradient is smallest, which avoids passing through odd in-between images where the ' +
    'gradients are large but meaningless. The result is usually less noisy than plain Integrated Gradients. It ' +
    'runs one gradient pass per step, one after another.',
  misleads:
    'It shares Integrated Gradients’ dependence on the baseline (black pixels get no credit against a black ' +
    'baseline). The path adapts to the model, so two models are explained along different paths; with few steps ' +
    'the completeness error grows, so check it before trusting small differences.',
  referenceUrl: 'https://arxiv.org/abs/2106.09788',
  requires: ['inputGradients'],
  signed: (c) => !c.absolute,
  defaultConfig: {
    steps: 64,
    fraction: 0.25,
    maxDist: 0.02,
    baseline: 'black',
    seed: 0,
    reduction: 'sum',
    absolute: false,
  },
  configSpec: {
    steps: stepsSpec('Steps along the path, one gradient pass each (more = more exact, slower).', 2),
    fraction: {
      kind: 'number',
      label: 'Fraction per move',
      help: 'Share of the pixels moved at once: those with the smallest gradient (0.25 as in the paper).',
      min: 0.01,
      max: 1,
      step: 0.01,
    },
    maxDist: {
      kind: 'number',
      label: 'Maximum lead',
      help: 'How far a pixel may run ahead of or lag behind the straight path, as a share of the way (0.02 as in the paper).',
      min: 0,
      max: 1,
      step: 0.01,
    },
    baseline: baselineSpec(false),
    seed: seedSpec('Seed of the noise baseline.'),
    reduction: reductionSpec(),
    absolute: absoluteSpec(),
  },
  quickConfig: { steps: 4 },
  // `steps` sequential forward+backward passes, plus one forward pass over [x′, x] for the completeness check.
  cost: (config) => {
    const steps = configNumber(config, 'steps');
    return { fe: 3 * steps + 2, formula: `${steps} × 3 + 2` };
  },
});
