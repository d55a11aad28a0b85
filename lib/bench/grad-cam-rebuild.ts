/**
 * Grad-CAM the way the tfjs-examples "visualize-convnet" demo computes it
 * (https://github.com/tensorflow/tfjs-examples/blob/master/visualize-convnet/cam.js): on EVERY call it
 * builds two sub-models, input → layer (`tf.model({inputs: model.inputs, outputs: layer.output})`) and
 * layer → output (a new `tf.input` pushed through every later layer with `layer.apply`), then runs the
 * first and differentiates the second. The benchmark compares it with our adapter, which plans those
 * sub-graphs once per (model, layer) and caches them.
 *
 * Differences from the demo, so that the maps equal ours: the score is the target LOGIT picked with
 * `slice` (the demo's `gather` has no gradient kernel on WASM), the pixel-space input is normalised like
 * the adapter does, and the later layers run in inference mode (the demo passes `training: true`, which
 * would switch dropout on). Like the demo, it only works for a plain chain of layers after `layer`
 * (`model.layers` order); Grad-CAM map: ReLU(Σ_k mean_ij(∂S/∂A_ijk) · A_k), h'×w' (not upsampled).
 *
 * Note: each call adds inbound nodes to the model's layers (that is what rebuilding costs in tfjs-layers)
 * and raises the reference count of every layer after `layer`, so `model.dispose()` no longer frees their
 * weights (see `disposeRaw` in worker-bench.ts). Give this function its own copy of the model.
 */
import * as tf from '@tensorflow/tfjs';
import { normalizeTensor } from '@/lib/models/adapter';
import type { ImageInput } from '@/lib/explain/types';
import type { Preprocessing } from '@/lib/models/types';

export interface RebuildCamResult {
  /** h'×w' map, row-major. */
  cam: Float32Array;
  camHeight: number;
  camWidth: number;
}

/** One Grad-CAM call that rebuilds both sub-models first (see module doc). */
export async function gradCamRebuild(
  model: tf.LayersModel,
  preprocessing: Preprocessing,
  input: ImageInput,
  target: number,
  layerName: string,
): Promise<RebuildCamResult> {
  const index = model.layers.findIndex((l) => l.name === layerName);
  if (index < 0) throw new Error(`layer "${layerName}" is not in this model`);
  const layer = model.layers[index] as tf.layers.Layer;
  const layerOutput = layer.output as tf.SymbolicTensor;
  const subModel1 = tf.model({ inputs: model.inputs, outputs: layerOutput });
  const newInput = tf.input({ shape: layerOutput.shape.slice(1) as number[] });
  let y: tf.SymbolicTensor = newInput;
  for (const later of model.layers.slice(index + 1)) y = later.apply(y) as tf.SymbolicTensor;
  const subModel2 = tf.model({ inputs: newInput, outputs: y });

  const camT = tf.tidy(() => {
    const x = normalizeTensor(tf.tensor4d(input.data, [1, input.height, input.width, input.channels]), preprocessing);
    const A = subModel1.apply(x) as tf.Tensor4D;
    const score = (a: tf.Tensor) => tf.sum(tf.slice(subModel2.apply(a) as tf.Tensor2D, [0, target], [-1, 1]));
    const G = tf.grad(score)(A);
    const alpha = tf.mean(G, [1, 2], true);
    return tf.relu(tf.sum(tf.mul(A, alpha), 3)) as tf.Tensor3D;
  });
  const [, camHeight, camWidth] = camT.shape;
  try {
    const cam = new Float32Array(await camT.data());
    return { cam, camHeight, camWidth };
  } finally {
    camT.dispose();
  }
}
