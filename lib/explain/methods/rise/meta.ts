/** Metadata of RISE (no tfjs). The algorithm: run.ts. */
import { configNumber, defineMeta } from '../../meta';
import { batchSizeSpec, integerSpec, seedSpec } from '../../param-specs';

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
  unit: 'mean {score} when visible',
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
    numMasks: integerSpec('Masks', 'Number of random masks (more = smoother, slower; 500–4000 is typical).', 1, 20_000),
    gridSize: integerSpec('Grid size', 'Cells per side of the random grid: larger = finer regions.', 2, 64),
    p: {
      kind: 'number',
      label: 'Keep probability',
      help: 'Chance that a cell stays visible.',
      min: 0.05,
      max: 0.95,
      step: 0.05,
    },
    batchSize: batchSizeSpec('Masked images per model call.', 1024),
    seed: seedSpec('Same seed, same masks, same map.'),
  },
  quickConfig: { numMasks: 20, batchSize: 8 },
  // numMasks forward passes (probabilities only).
  cost: (config) => {
    const n = configNumber(config, 'numMasks');
    return { fe: n, formula: `${n}` };
  },
});
