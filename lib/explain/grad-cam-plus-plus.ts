/**
 * Grad-CAM++ (Chattopadhyay et al. 2018, https://arxiv.org/abs/1710.11063): like Grad-CAM, but each
 * feature map's weight counts only its positive gradients, weighted per position, which helps when the class
 * appears several times. Maths in grad-cam.ts (`runCam`).
 */
import { resolveConfig } from './common';
import { gradCamPlusPlusMeta, type GradCamConfig } from './catalog';
import { runCam } from './grad-cam';
import type { ExplainMethod } from './types';

export const gradCamPlusPlus: ExplainMethod<GradCamConfig> = {
  ...gradCamPlusPlusMeta,
  run(adapter, input, target, config, opts) {
    return runCam('grad-cam-plus-plus', adapter, input, target, resolveConfig(gradCamPlusPlus.defaultConfig, config), opts);
  },
};
