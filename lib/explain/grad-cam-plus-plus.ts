/**
 * Grad-CAM++ (Chattopadhyay et al. 2018, https://arxiv.org/abs/1710.11063): like Grad-CAM, but each
 * feature map's weight counts only its positive gradients, weighted per position, which helps when the class
 * appears several times. Maths in grad-cam.ts (`runCam`).
 */
import { resolveConfig } from './common';
import { camConfigSpec, runCam, type GradCamConfig } from './grad-cam';
import type { ExplainMethod } from './types';

export const gradCamPlusPlus: ExplainMethod<GradCamConfig> = {
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
  run(adapter, input, target, config, opts) {
    return runCam('grad-cam-plus-plus', adapter, input, target, resolveConfig(gradCamPlusPlus.defaultConfig, config), opts);
  },
};
