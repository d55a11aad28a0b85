/** Metadata of Grad-CAM (no tfjs); the layer spec is shared with Grad-CAM++. The algorithm: run.ts. */
import { defineMeta, ONE_GRADIENT_PASS } from '../../meta';
import type { ConfigSpec } from '../../types';

export type GradCamConfig = {
  /** Layer (or graph node) name; '' = the last of `info.spatialLayers`. */
  layer: string;
};

export const camConfigSpec: ConfigSpec<GradCamConfig> = {
  layer: {
    kind: 'layer',
    label: 'Layer',
    help: 'Which convolutional layer to read. Later layers show coarser, more "semantic" regions; earlier ones finer detail.',
  },
};

/** What Grad-CAM and Grad-CAM++ share: the layer, unsigned layer evidence, and the cost of one pass. */
export const camMetaCommon = {
  unit: 'layer evidence (relative)',
  requires: ['layerGradients'],
  signed: false,
  defaultConfig: { layer: '' },
  configSpec: camConfigSpec,
  ...ONE_GRADIENT_PASS,
} as const;

export const gradCamMeta = defineMeta<GradCamConfig, 'grad-cam'>({
  id: 'grad-cam',
  label: 'Grad-CAM',
  ...camMetaCommon,
  description: 'Which regions of a convolutional layer’s feature maps support the class.',
  help:
    'Weights the feature maps of a convolutional layer by how much the class score depends on them, and shows ' +
    'where the positively weighted features are active. The map is coarse (the layer’s resolution, scaled up), ' +
    'so it shows regions, not pixels. It only shows evidence for the class, never against, and can highlight ' +
    'the same region for different classes.',
  misleads:
    'The map is as coarse as the chosen layer (7×7 on the bundled 28×28 models, scaled up), so it shows regions, ' +
    'not pixels. It shows evidence for the class only, and different classes can light up the same region. An ' +
    'earlier layer gives finer but less class-specific maps.',
  referenceUrl: 'https://arxiv.org/abs/1610.02391',
});
