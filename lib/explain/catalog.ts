/**
 * The method catalog: every explanation method's plain metadata (label, help text, reference, default
 * configuration, parameter specs, compatibility) and the lookups the UI needs, WITHOUT the code that runs
 * a method. It imports no TensorFlow.js, directly or indirectly, so the page (main thread) can import it
 * without pulling tfjs into its bundle; tfjs lives only in the worker (lib/runtime/worker.ts), which uses
 * registry.ts (each method file builds its `ExplainMethod` as `{ ...xxxMeta, run }` from the objects here).
 * Keep this file tfjs-free: only `import type` from modules that import tfjs.
 */
import { ExplainError, type ConfigSpec, type ImageInput, type MethodId, type MethodMeta } from './types';
import type { ModelInfo } from '@/lib/models/types';

/** How the c channel values of a pixel become one number (see `reduceChannels` in common.ts). */
export type Reduction = 'max-abs' | 'mean' | 'sum';

export const REDUCTION_OPTIONS = [
  { value: 'max-abs', label: 'Largest magnitude' },
  { value: 'mean', label: 'Mean' },
  { value: 'sum', label: 'Sum' },
] as const;

/** Configuration of saliency and gradient × input. */
export type GradientMapConfig = {
  /** How the c channel values of a pixel become one number. */
  reduction: Reduction;
  /** Take |v| before reducing (unsigned map). */
  absolute: boolean;
};

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

export type GradCamConfig = {
  /** Layer (or graph node) name; '' = the last of `info.spatialLayers`. */
  layer: string;
};

export const camConfigSpec = {
  layer: {
    kind: 'layer',
    label: 'Layer',
    help: 'Which convolutional layer to read. Later layers show coarser, more "semantic" regions; earlier ones finer detail.',
  },
} as const;

export type OcclusionFill = 'zero' | 'mean' | 'blur' | 'grey';

export type OcclusionConfig = {
  windowSize: number;
  stride: number;
  fill: OcclusionFill;
  batchSize: number;
  /** Extra classes to map from the same passes; null = all (≤ 32 classes) or the 10 most probable. */
  classes: number[] | null;
};

export type RiseConfig = {
  numMasks: number;
  gridSize: number;
  /** Probability that a grid cell is kept. */
  p: number;
  batchSize: number;
  seed: number;
};

export const saliencyMeta: MethodMeta<GradientMapConfig> = {
  id: 'saliency',
  label: 'Saliency (gradient)',
  description: 'How much a tiny change of each pixel would change the class score.',
  help:
    'Shows the gradient of the class score with respect to each pixel: bright pixels are those where a small ' +
    'change would move the score most. It is fast (one pass) but noisy and local: it says what the score is ' +
    'sensitive to right here, not what the model "looked at", and saturated features can show no gradient at all.',
  referenceUrl: 'https://arxiv.org/abs/1312.6034',
  requires: ['inputGradients'],
  signed: (c) => !c.absolute,
  defaultConfig: { reduction: 'max-abs', absolute: true },
  configSpec: gradientMapSpec,
  isCompatible: () => true,
};

export const gradientXInputMeta: MethodMeta<GradientMapConfig> = {
  id: 'gradient-x-input',
  label: 'Gradient × input',
  description: 'Each pixel’s gradient times its value: a first-order estimate of its contribution.',
  help:
    'Multiplies the gradient by the pixel value, so it estimates how much each pixel adds to the score compared ' +
    'with a black image. Red pushes towards the class, blue against it. Black pixels always get zero, even when ' +
    'their darkness matters, and for strongly non-linear models the estimate can be far off (see Integrated Gradients).',
  referenceUrl: 'https://arxiv.org/abs/1605.01713',
  requires: ['inputGradients'],
  signed: (c) => !c.absolute,
  defaultConfig: { reduction: 'sum', absolute: false },
  configSpec: gradientMapSpec,
  isCompatible: () => true,
};

export const smoothgradMeta: MethodMeta<SmoothGradConfig> = {
  id: 'smoothgrad',
  label: 'SmoothGrad',
  description: 'Gradient maps averaged over many noisy copies of the image: less speckle.',
  help:
    'Adds a little random noise to the image many times and averages the gradient maps, which removes much of ' +
    'the speckle of plain saliency. More samples give a cleaner map at more cost. Too much noise blurs the map ' +
    'into a blob; too little brings the speckle back. It still shows sensitivity, not causal importance.',
  referenceUrl: 'https://arxiv.org/abs/1706.03825',
  requires: ['inputGradients'],
  signed: (c) => !c.absolute && !c.magnitude,
  defaultConfig: {
    base: 'saliency',
    numSamples: 25,
    noiseStdFraction: 0.15,
    magnitude: false,
    batchSize: 8,
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
    numSamples: { kind: 'number', label: 'Samples', help: 'Number of noisy copies (10–50 is typical).', min: 1, max: 500, step: 1, integer: true },
    noiseStdFraction: {
      kind: 'number',
      label: 'Noise level',
      help: 'Standard deviation of the noise as a fraction of the pixel range (0.1–0.2 is typical; 0 = plain gradient).',
      min: 0,
      max: 1,
      step: 0.01,
    },
    magnitude: { kind: 'boolean', label: 'Square before averaging', help: 'Average squared values (SmoothGrad²): sharper, always positive.' },
    batchSize: { kind: 'number', label: 'Batch size', help: 'Noisy copies per model call: larger is faster but needs more memory.', min: 1, max: 128, step: 1, integer: true },
    seed: { kind: 'number', label: 'Random seed', help: 'Same seed, same noise, same map.', min: 0, max: 2 ** 31 - 1, step: 1, integer: true },
    reduction: { kind: 'select', label: 'Channel reduction', help: 'How the colour channels of a pixel are combined.', options: REDUCTION_OPTIONS },
    absolute: { kind: 'boolean', label: 'Magnitude only', help: 'Ignore the sign (push up or down) of each pixel.' },
  },
  isCompatible: () => true,
};

export const integratedGradientsMeta: MethodMeta<IntegratedGradientsConfig> = {
  id: 'integrated-gradients',
  label: 'Integrated Gradients',
  description: 'Each pixel’s share of the score difference between a baseline image and this image.',
  help:
    'Walks in small steps from a baseline (by default a black image) to your image, adds up the gradients on the ' +
    'way and multiplies by how much each pixel changed. The shares add up to the score difference, which is ' +
    'checked and reported as the completeness error. The answer depends on the baseline: with a black baseline, ' +
    'black pixels get no credit even if their darkness matters; try a blurred or noise baseline to compare.',
  referenceUrl: 'https://arxiv.org/abs/1703.01365',
  requires: ['inputGradients'],
  signed: (c) => !c.absolute,
  defaultConfig: { steps: 64, baseline: 'black', baselineImage: null, rule: 'trapezoid', batchSize: 16, seed: 0, reduction: 'sum', absolute: false },
  configSpec: {
    steps: { kind: 'number', label: 'Steps', help: 'Number of intervals between baseline and image (more = more exact, slower).', min: 1, max: 1024, step: 1, integer: true },
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
    batchSize: { kind: 'number', label: 'Batch size', help: 'Path points per model call.', min: 1, max: 256, step: 1, integer: true },
    seed: { kind: 'number', label: 'Random seed', help: 'Seed of the noise baseline.', min: 0, max: 2 ** 31 - 1, step: 1, integer: true },
    reduction: { kind: 'select', label: 'Channel reduction', help: 'How the colour channels of a pixel are combined (sum keeps completeness).', options: REDUCTION_OPTIONS },
    absolute: { kind: 'boolean', label: 'Magnitude only', help: 'Ignore whether a pixel pushes the score up or down.' },
  },
  isCompatible: () => true,
};

export const gradCamMeta: MethodMeta<GradCamConfig> = {
  id: 'grad-cam',
  label: 'Grad-CAM',
  description: 'Which regions of a convolutional layer’s feature maps support the class.',
  help:
    'Weights the feature maps of a convolutional layer by how much the class score depends on them, and shows ' +
    'where the positively weighted features are active. The map is coarse (the layer’s resolution, scaled up), ' +
    'so it shows regions, not pixels. It only shows evidence for the class, never against, and can highlight ' +
    'the same region for different classes.',
  referenceUrl: 'https://arxiv.org/abs/1610.02391',
  requires: ['layerGradients'],
  signed: false,
  defaultConfig: { layer: '' },
  configSpec: camConfigSpec,
  isCompatible: (info) => info.spatialLayers.length > 0,
};

export const gradCamPlusPlusMeta: MethodMeta<GradCamConfig> = {
  id: 'grad-cam-plus-plus',
  label: 'Grad-CAM++',
  description: 'Grad-CAM with per-position weights: better when the class appears in several places.',
  help:
    'A refinement of Grad-CAM that weights each position of a feature map by its positive gradient, so several ' +
    'instances of the class or a large object are covered more fully. Same caveats as Grad-CAM: coarse, evidence ' +
    'for the class only, and dependent on the chosen layer.',
  referenceUrl: 'https://arxiv.org/abs/1710.11063',
  requires: ['layerGradients'],
  signed: false,
  defaultConfig: { layer: '' },
  configSpec: camConfigSpec,
  isCompatible: (info) => info.spatialLayers.length > 0,
};

export const occlusionMeta: MethodMeta<OcclusionConfig> = {
  id: 'occlusion',
  label: 'Occlusion',
  description: 'How much the class probability drops when each patch of the image is hidden.',
  help:
    'Hides one square patch at a time and measures how much the probability of the class drops. Red: hiding the ' +
    'patch hurts the class (the model relies on it); blue: hiding it helps. It needs no gradients and is easy to ' +
    'trust, but it is slow (one model run per patch), the result depends on patch size and fill, and a hidden patch ' +
    'is itself an unusual input, so large drops can partly be the model reacting to the patch.',
  referenceUrl: 'https://arxiv.org/abs/1311.2901',
  requires: [],
  signed: true,
  defaultConfig: { windowSize: 8, stride: 4, fill: 'zero', batchSize: 32, classes: null },
  configSpec: {
    windowSize: { kind: 'number', label: 'Patch size', help: 'Side of the hidden square, in pixels.', min: 1, max: 512, step: 1, integer: true },
    stride: { kind: 'number', label: 'Stride', help: 'Step between patches, in pixels (smaller = finer and slower).', min: 1, max: 512, step: 1, integer: true },
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
    batchSize: { kind: 'number', label: 'Batch size', help: 'Patches per model call.', min: 1, max: 1024, step: 1, integer: true },
    classes: { kind: 'classes', label: 'Also map classes', help: 'Other classes to map from the same runs (empty = automatic).' },
  },
  isCompatible: () => true,
};

export const riseMeta: MethodMeta<RiseConfig> = {
  id: 'rise',
  label: 'RISE',
  description: 'Random masks: which visible regions keep the class probability high.',
  help:
    'Shows the image many times with random parts hidden and averages the masks weighted by the class ' +
    'probability: regions whose presence keeps the probability high light up. It needs only the model’s outputs ' +
    '(no gradients), so it works for any model. It is slow and slightly random: too few masks give a blotchy map; ' +
    'the grid size sets how fine the regions can be.',
  referenceUrl: 'https://arxiv.org/abs/1806.07421',
  requires: [],
  signed: false,
  defaultConfig: { numMasks: 500, gridSize: 7, p: 0.5, batchSize: 32, seed: 0 },
  configSpec: {
    numMasks: { kind: 'number', label: 'Masks', help: 'Number of random masks (more = smoother, slower; 500–4000 is typical).', min: 1, max: 20_000, step: 1, integer: true },
    gridSize: { kind: 'number', label: 'Grid size', help: 'Cells per side of the random grid: larger = finer regions.', min: 2, max: 64, step: 1, integer: true },
    p: { kind: 'number', label: 'Keep probability', help: 'Chance that a cell stays visible.', min: 0.05, max: 0.95, step: 0.05 },
    batchSize: { kind: 'number', label: 'Batch size', help: 'Masked images per model call.', min: 1, max: 1024, step: 1, integer: true },
    seed: { kind: 'number', label: 'Random seed', help: 'Same seed, same masks, same map.', min: 0, max: 2 ** 31 - 1, step: 1, integer: true },
  },
  isCompatible: () => true,
};
/** All methods' metadata, in the order the UI lists them (the same order as registry.ts's METHODS). */
export const METHOD_METAS: readonly MethodMeta[] = [
  saliencyMeta,
  gradientXInputMeta,
  smoothgradMeta,
  integratedGradientsMeta,
  gradCamMeta,
  gradCamPlusPlusMeta,
  occlusionMeta,
  riseMeta,
];

export function listMethodMetas(): readonly MethodMeta[] {
  return METHOD_METAS;
}

/** The metadata of the method with this id; throws ExplainError for an unknown id. */
export function getMethodMeta(id: MethodId | string): MethodMeta {
  const m = METHOD_METAS.find((x) => x.id === id);
  if (!m) throw new ExplainError(`unknown explanation method "${id}"`);
  return m;
}

/** The methods this model supports (e.g. no CAM methods without a spatial layer). */
export function compatibleMethods(info: ModelInfo): MethodMeta[] {
  return METHOD_METAS.filter((m) => m.isCompatible(info));
}

/** Whether the map of `method` under `config` is signed (config is merged over the defaults). */
export function isSigned(method: MethodMeta, config: Record<string, unknown>): boolean {
  const full = { ...method.defaultConfig, ...config };
  return typeof method.signed === 'boolean' ? method.signed : method.signed(full);
}
