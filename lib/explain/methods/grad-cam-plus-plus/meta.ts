/** Metadata of Grad-CAM++ (no tfjs). The algorithm: run.ts (the CAM core in ../grad-cam/run.ts). */
import { defineMeta } from '../../meta';
import { camMetaCommon, type GradCamConfig } from '../grad-cam/meta';

export const gradCamPlusPlusMeta = defineMeta<GradCamConfig, 'grad-cam-plus-plus'>({
  id: 'grad-cam-plus-plus',
  label: 'Grad-CAM++',
  ...camMetaCommon,
  description: 'Grad-CAM with per-position weights: better when the class appears in several places.',
  help:
    'A refinement of Grad-CAM that weights each position of a feature map by its positive gradient, so several ' +
    'instances of the class or a large object are covered more fully. Same caveats as Grad-CAM: coarse, evidence ' +
    'for the class only, and dependent on the chosen layer.',
  misleads:
    'Same caveats as Grad-CAM. It tends to cover more of a large object; that does not make it more correct, only differently weighted.',
  referenceUrl: 'https://arxiv.org/abs/1710.11063',
});
