/** Metadata of RISE (no tfjs). The algorithm: run.ts. */
import { configNumber, defineMeta } from '../../meta';

export type RiseConfig = {
  numMasks: number;
  gridSize: number;
  /** Probability that a grid cell is kept. */
  p: number;
  batchSize: number;
  seed: number;
};

export const riseMeta = defineMeta<RiseConfig, 'rise'>({
  id: 'rise',
  label: 'RISE',
  description: 'Random masks: which visible regions keep the class probability high.',
  help:
    'Shows the image many times with random parts hidden and averages the masks weighted by the class ' +
    'probability: regions whose presence keeps the probability high light up. It needs only the model’s outputs ' +
    '(no gradients), so it works for any model. It is slow and slightly random: too few masks give a blotchy map; ' +
    'the grid size sets how fine the regions can be.',
  misleads:
    'Slightly random (the seed fixes it) and blotchy with few masks; the grid size limits how fine the regions can ' +
    'be. Masked images are unusual inputs, like occlusion patches. Regions of zero pixels (black background) are not ' +
    'changed by masking, so they cannot light up.',
  referenceUrl: 'https://arxiv.org/abs/1806.07421',
  requires: [],
  signed: false,
  defaultConfig: { numMasks: 500, gridSize: 7, p: 0.5, batchSize: 32, seed: 0 },
  configSpec: {
    numMasks: {
      kind: 'number',
      label: 'Masks',
      help: 'Number of random masks (more = smoother, slower; 500–4000 is typical).',
      min: 1,
      max: 20_000,
      step: 1,
      integer: true,
    },
    gridSize: {
      kind: 'number',
      label: 'Grid size',
      help: 'Cells per side of the random grid: larger = finer regions.',
      min: 2,
      max: 64,
      step: 1,
      integer: true,
    },
    p: {
      kind: 'number',
      label: 'Keep probability',
      help: 'Chance that a cell stays visible.',
      min: 0.05,
      max: 0.95,
      step: 0.05,
    },
    batchSize: {
      kind: 'number',
      label: 'Batch size',
      help: 'Masked images per model call.',
      min: 1,
      max: 1024,
      step: 1,
      integer: true,
    },
    seed: {
      kind: 'number',
      label: 'Random seed',
      help: 'Same seed, same masks, same map.',
      min: 0,
      max: 2 ** 31 - 1,
      step: 1,
      integer: true,
    },
  },
  quickConfig: { numMasks: 20, batchSize: 8 },
  // numMasks forward passes (probabilities only).
  cost: (config) => {
    const n = configNumber(config, 'numMasks');
    return { fe: n, formula: `${n}` };
  },
});
