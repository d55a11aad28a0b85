/** Compatibility path for importers outside lib/explain (lib/bench): the method lives in methods/grad-cam/. */
export { camConfigSpec, gradCam, resolveCamLayer, type CamExtras, type GradCamConfig } from './methods/grad-cam/run';
