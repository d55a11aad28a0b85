/** Metadata of occlusion (no tfjs). The algorithm: run.ts. */
import { configNumber, defineMeta } from '../../meta';
import { batchSizeSpec, integerSpec } from '../../param-specs';
import { windowCount } from './windows';

export type OcclusionFill = 'zero' | 'mean' | 'blur' | 'grey';

export type OcclusionConfig = {
  windowSize: number;
  stride: number;
  fill: OcclusionFill;
  batchSize: number;
  /** Extra classes to map from the same passes; null = all (≤ 32 classes) or the 10 most probable. */
  classes: number[] | null;
};

/**
 * Which path computed an occlusion map (both give the same map, max |Δ| < 1e-5):
 * - `incremental`: exact incremental inference (incremental.ts): the first `regionLayers` of the model's
 *   `layers` steps recomputed only the box each patch can change, from the full image's cached activations;
 *   from `fullFrom` on (null: none) the rest ran on full maps. `estimatedWork`: its multiply-adds as a
 *   fraction of plain occlusion's (from the layer shapes).
 * - `plain`: every patched image through the whole model; `reason` says why the incremental path did not run.
 */
export type OcclusionPath =
  | {
      kind: 'incremental';
      regionLayers: number;
      layers: number;
      fullFrom: string | null;
      fullFromReason: string | null;
      estimatedWork: number;
    }
  | { kind: 'plain'; reason: string };

export const occlusionMeta = defineMeta<OcclusionConfig, 'occlusion'>({
  id: 'occlusion',
  label: 'Occlusion',
  description: 'How much the class probability drops when each patch of the image is hidden.',
  unit: 'drop in {score} when hidden',
  help:
    'Hides one square patch at a time and measures how much the probability of the class drops. Red: hiding the ' +
    'patch hurts the class (the model relies on it); blue: hiding it helps. It needs no gradients and is easy to ' +
    'trust, but it is slow (one model run per patch), the result depends on patch size and fill, and a hidden patch ' +
    'is itself an unusual input, so large drops can partly be the model reacting to the patch.',
  misleads:
    'The answer depends on the patch size, the stride and the fill: a black patch on a black background changes ' +
    'nothing, so the background looks unimportant by construction. A hidden patch is itself an unusual image, so ' +
    'part of a big drop can be the model reacting to the patch. Slow for fine strides.',
  referenceUrl: 'https://arxiv.org/abs/1311.2901',
  requires: [],
  signed: true,
  defaultConfig: { windowSize: 8, stride: 4, fill: 'zero', batchSize: 32, classes: null },
  configSpec: {
    windowSize: integerSpec('Patch size', 'Side of the hidden square, in pixels.', 1, 512),
    stride: integerSpec('Stride', 'Step between patches, in pixels (smaller = finer and slower).', 1, 512),
    fill: {
      kind: 'select',
      label: 'Fill',
      help: 'What the hidden patch is replaced with.',
      options: [
        { value: 'zero', label: 'Black' },
        { value: 'grey', label: 'Grey (0.5)' },
        { value: 'mean', label: 'Image mean colour' },
        { value: 'blur', label: 'Blurred image' },
      ],
    },
    batchSize: batchSizeSpec('Patches per model call.', 1024),
    classes: {
      kind: 'classes',
      label: 'Also map classes',
      help: 'Other classes to map from the same runs (empty = automatic).',
    },
  },
  quickConfig: { windowSize: 4, stride: 2, batchSize: 4 },
  // One forward pass per window plus the unoccluded reference.
  cost: (config, [h, w]) => {
    const windows = windowCount(h, w, configNumber(config, 'windowSize'), configNumber(config, 'stride'));
    return { fe: windows + 1, formula: `${windows} + 1` };
  },
});
