/** In-browser head fine-tuning: plain types, options, sampling and scores (no tfjs; the worker side is lib/runtime/headtune-jobs.ts). */
export * from './types';
export * from './sampling';
export * from './metrics';
export * from './classes';
