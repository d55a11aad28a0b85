/**
 * lib/trust's entry for the page: can an explanation, and the model, be believed? The pure maths
 * (faithfulness.ts: deletion / insertion games) and the worker jobs' plain types. No tfjs: the tfjs side
 * (curves.ts) is imported by worker code directly.
 */
export * from './faithfulness';
export * from './types';
export * from './rank';
export * from './similarity';
export * from './robustness';
export * from './feature-maps';
