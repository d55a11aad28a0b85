/**
 * lib/evaluate's entry: the Evaluate view's plain-data helpers — CSV/JSON exports of an analysis,
 * cost-matrix and class-merge settings, and which class an evaluation row explains. No tfjs, no DOM.
 */
export * from './explain-target';
export * from './export';
export * from './settings';
export * from './operating-point';
export * from './scenario';
