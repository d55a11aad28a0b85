/**
 * Evaluation maths over plain arrays (no tensors, no DOM): confusion and per-class metrics, misclassification
 * cost and decision rules, prior shift, class merging, calibration, and model/map comparison.
 * Safe to import on the main thread, in a worker, or on the server.
 */
export * from './common';
export * from './confusion';
export * from './cost';
export * from './csv';
export * from './priors';
export * from './merge';
export * from './calibration';
export * from './compare';
export * from './analysis';
