/**
 * lib/models' entry for the page: model and manifest types, parsing of the bundled manifest and model
 * cards (with clear errors), top-k and the model description. No tfjs. Loading, validation, artifacts,
 * adapters and saved-model storage (load.ts, validate.ts, artifacts.ts, adapter.ts, store-idb.ts, keras/,
 * onnx/) run in the worker and are imported there directly.
 */
export * from './types';
export * from './json';
export * from './card';
export * from './manifest';
export * from './describe';
export * from './topk';
export * from './url-download';
export * from './output-kind';
