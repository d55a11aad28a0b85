/**
 * lib/compare's entry: the Compare view's maths and URL state — attribution maps of two models on one grid
 * (resample), their agreement (pair-maps), paired model comparison on an evaluation set, and the shareable
 * configuration. No tfjs.
 */
export * from './config';
export * from './pair-maps';
export * from './paired';
export * from './resample';
export * from './sides';
export * from './url';
