/**
 * ONNX models (as `torch.onnx.export` writes them) translated to TensorFlow.js ops, behind the one
 * `ModelAdapter` contract: every explanation method works, gradients and Grad-CAM layers included.
 * See layout.ts for the NCHW → NHWC rule and convert.ts for the op list.
 */
export { loadOnnxModel, summarize, type LoadedOnnxModel, type OnnxLoadOptions } from './load';
export { OnnxAdapter } from './adapter';
export { buildPlan, disposePlan, SUPPORTED_OPS, weightsTopDown, type OnnxPlan } from './convert';
export { decodeModel } from './proto';
