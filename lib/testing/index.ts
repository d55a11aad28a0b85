/**
 * lib/testing's entry (tests only, Node): backend switching (cpu / wasm), known-answer models and seeded
 * images, hand-written graph models, and the shared explanation-method checks (leak, target, finiteness).
 * Imports tfjs, vitest and node: modules — never import it from app code. The real-model corpus
 * (corpus.ts) is imported directly by the coverage tests that need it (it reads files from disk).
 */
export * from './backends';
export * from './explain';
export * from './graph-model';
export * from './models';
