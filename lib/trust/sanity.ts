/**
 * The sanity check of Adebayo et al. 2018 (cascading model-parameter randomisation, §3.1 of
 * https://arxiv.org/abs/1810.03292) on a tfjs LayersModel: the layers with weights are re-drawn from the
 * top (the output) down, one more per step and cumulatively, and the map is recomputed after each step. A
 * method whose map does not change while the model is destroyed cannot be explaining the model.
 *
 * The model given here is a COPY the caller made for this purpose (the worker loads the model again from its
 * source): its weights are overwritten. Worker side: imports tfjs.
 */
import * as tf from '@tensorflow/tfjs';
import { abortError, now } from '@/lib/explain/common';
import { ExplainError } from '@/lib/models/adapter-types';
import { sanityVerdict, spearmanAbs, ssimAbs, type SanityVerdict } from './similarity';

export interface SanityStep {
  /** The layer randomised at this step (every layer of the earlier steps stays randomised). */
  layer: string;
  /** The map after this step, H×W. */
  values: Float32Array;
  /** Spearman ρ and SSIM of |map| against the original |map|. */
  spearman: number;
  ssim: number;
}

export interface SanityResult {
  original: Float32Array;
  width: number;
  height: number;
  steps: SanityStep[];
  verdict: SanityVerdict;
  ms: number;
}

/** Layers with trainable weights, from the output to the input (the cascade's order). */
export function layersTopDown(model: tf.LayersModel): tf.layers.Layer[] {
  return model.layers.filter((l) => l.weights.length > 0).reverse();
}

/**
 * Re-draws every weight of `layer` from N(0, σ²), σ = the standard deviation of that weight's current values
 * (the layer keeps its scale; a zero bias stays zero), seeded. Synchronous; disposes what it creates.
 */
export function randomiseLayer(layer: tf.layers.Layer, seed: number): void {
  tf.tidy(() => {
    const next = layer.weights.map((w, i) => {
      const v = w.read();
      const sd = tf.moments(v).variance.sqrt().dataSync()[0] ?? 0;
      return tf.randomNormal(v.shape, 0, sd, 'float32', seed + i);
    });
    layer.setWeights(next);
  });
}

/**
 * Cascading randomisation of `model` (a copy: its weights are overwritten). `mapOf` computes the method's
 * map (H×W = `size`) on the model as it is now; it is called once for the original and once per step.
 * `maxSteps` limits the cascade to the top layers (default: all layers with weights).
 */
export async function cascadingRandomisation(
  model: tf.LayersModel,
  mapOf: () => Promise<Float32Array>,
  size: { width: number; height: number },
  opts: { seed?: number; maxSteps?: number; signal?: AbortSignal; onProgress?: (f: number) => void } = {},
): Promise<SanityResult> {
  const t0 = now();
  const layers = layersTopDown(model).slice(0, opts.maxSteps ?? Infinity);
  if (layers.length === 0) throw new ExplainError('this model has no layer with weights to randomise');
  const check = () => {
    if (opts.signal?.aborted) throw abortError();
  };
  check();
  const original = await mapOf();
  const total = layers.length + 1;
  opts.onProgress?.(1 / total);
  const steps: SanityStep[] = [];
  for (const [i, layer] of layers.entries()) {
    check();
    randomiseLayer(layer, (opts.seed ?? 1) * 1000 + i * 16);
    const values = await mapOf();
    steps.push({
      layer: layer.name,
      values,
      spearman: spearmanAbs(original, values),
      ssim: ssimAbs(original, values, size.width, size.height),
    });
    opts.onProgress?.((i + 2) / total);
  }
  return { original, width: size.width, height: size.height, steps, verdict: sanityVerdict(steps), ms: now() - t0 };
}
