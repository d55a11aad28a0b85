/**
 * The gradients we add to or change in tfjs 4.22 so that input and layer gradients run through any
 * converted CNN on every shipped backend (CPU, WASM, WebGL) without ever needing a weight gradient:
 *
 * | op (tape name)                | why                                                                 | file              |
 * | ----------------------------- | ------------------------------------------------------------------- | ----------------- |
 * | `fusedConv2d__op`             | tfjs computes the filter gradient eagerly: WASM lacks Conv2DBackpropFilter | fused.ts   |
 * | `fusedDepthwiseConv2d__op`    | same, and WASM lacks both depthwise backprop kernels                | fused.ts          |
 * | `fusedMatMul__op`             | same (eager weight gradient; wasted work)                           | fused.ts          |
 * | `DepthwiseConv2dNative`       | WASM lacks DepthwiseConv2dNativeBackpropInput                       | depthwise.ts      |
 * | `StridedSlice`                | no gradient in tfjs at all                                          | strided-slice.ts  |
 * | `MaxPool` (WASM)              | WASM's MaxPoolGrad is wrong for windows of negative values          | max-pool.ts       |
 *
 * `installGradients()` registers them all (idempotent): the worker calls it when it picks a backend
 * (`chooseBackend`, lib/runtime/backend.ts), the tests through `switchBackend` (lib/testing/backends.ts). The list came from running every method on the real models of the corpus
 * (lib/models/corpus.test.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { installDepthwiseGradient } from './depthwise';
import { installMaxPoolGradient } from './max-pool';
import { fusedConv2dGradConfig, fusedDepthwiseConv2dGradConfig, fusedMatMulGradConfig } from './fused';
import { stridedSliceGradConfig } from './strided-slice';
import { installFusedAttrCapture } from './tape-attrs';

export { depthwiseInputGradient } from './depthwise';
export { stridedSliceGradient } from './strided-slice';
export { maxPoolGradient } from './max-pool';

let registered = false;

/** Whether `installGradients()` has run in this realm (the model adapter's blocker check reads it). */
export function gradientsInstalled(): boolean {
  return registered;
}

/** Registers every gradient of this folder (idempotent; call again after importing a new backend). */
export function installGradients(): void {
  installFusedAttrCapture();
  if (registered) return;
  for (const config of [
    fusedConv2dGradConfig,
    fusedDepthwiseConv2dGradConfig,
    fusedMatMulGradConfig,
    stridedSliceGradConfig,
  ])
    tf.registerGradient(config);
  installDepthwiseGradient();
  installMaxPoolGradient();
  registered = true;
}
