/** Compatibility path for importers outside lib/explain (lib/bench): the method lives in methods/occlusion/. */
export {
  occlusion,
  occlusionPasses,
  windowStarts,
  type OcclusionConfig,
  type OcclusionExtras,
  type OcclusionFill,
} from './methods/occlusion/run';
