/**
 * Keras models in the browser: `.keras` (Keras 3) and legacy `.h5`, read with h5wasm and fflate and
 * turned into a tfjs LayersModel that the layers adapter and our layer interpreter run unchanged.
 */
export { loadKerasModel, isKerasFileName, sniffKeras, type KerasFormat, type KerasLoadOptions, type KerasLoadStage, type LoadedKerasModel } from './load';
export { readKerasFile, type KerasArchive, type KerasWeight } from './read';
export { buildKerasModel, type BuiltKerasModel } from './build';
export { convertKerasConfig, SUPPORTED_LAYERS, type ConvertedConfig } from './config';
export { loadH5wasm } from './h5';
