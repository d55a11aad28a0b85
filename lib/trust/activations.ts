/**
 * Feature maps of a spatial layer (issue 15 item 5): the activations A [h', w', k] of one image at a layer of
 * `info.spatialLayers`, taken through `adapter.layerGradients` (the cut Grad-CAM uses, so every format that
 * explains with Grad-CAM shows its feature maps), and the per-channel means used to sort them. Worker side.
 */
import * as tf from '@tensorflow/tfjs';
import { take } from '@/lib/explain/common';
import type { ImageInput, ModelAdapter } from '@/lib/models/adapter-types';
import { ExplainError } from '@/lib/models/adapter-types';
import { channelMeans } from './feature-maps';
import type { ActivationsReport } from './types';

/** Activations of `n` stacked HWC images at `layer`: [n, h', w', k] values and the shape. One model call. */
export async function activationsOf(
  adapter: ModelAdapter,
  data: Float32Array,
  n: number,
  input: Pick<ImageInput, 'height' | 'width' | 'channels'>,
  layer: string,
): Promise<{ values: Float32Array; shape: [number, number, number, number] }> {
  if (!adapter.info.spatialLayers.includes(layer))
    throw new ExplainError(`"${layer}" is not a spatial layer of this model (pick one of its convolutional layers)`);
  let shape: [number, number, number, number] = [0, 0, 0, 0];
  const a = tf.tidy(() => {
    const x = tf.tensor4d(data, [n, input.height, input.width, input.channels]);
    // Forward only where the adapter offers it; else the activations of Grad-CAM's cut (a backward pass more).
    const act = adapter.layerActivations
      ? adapter.layerActivations(x, layer)
      : adapter.layerGradients(x, layer, 0).activations;
    shape = act.shape as [number, number, number, number];
    return act;
  });
  return { values: await take(a), shape };
}

/** The feature maps of one image at `layer`. */
export async function layerActivations(
  adapter: ModelAdapter,
  input: ImageInput,
  layer: string,
): Promise<ActivationsReport> {
  const { values, shape } = await activationsOf(adapter, input.data, 1, input, layer);
  const [, height, width, channels] = shape;
  return { layer, height, width, channels, values, means: channelMeans(values, channels) };
}
