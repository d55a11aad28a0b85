/**
 * Evaluation maths over plain arrays (no tensors, no DOM): confusion and per-class metrics, misclassification
 * cost and decision rules, prior shift, class merging, calibration, and model/map comparison; ROC/PR curves,
 * one-vs-rest thresholds and cost curves, metrics at deployment priors, temperature scaling, Wilson intervals.
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
export * from './roc';
export * from './threshold';
export * from './prior-weighted';
export * from './temperature';
export * from './wilson';
