/**
 * Grad-CAM (Selvaraju et al. 2017, https://arxiv.org/abs/1610.02391) and the shared class-activation-map
 * core used by Grad-CAM++.
 *
 * For a spatial layer with activations A [h', w', k] and gradients G = ∂S_target/∂A:
 *   Grad-CAM:   α_k = mean_ij G_ijk,                     map = ReLU(Σ_k α_k A_k)
 *   Grad-CAM++: a_ijk = G² / max-guarded(2G² + Σ_ab A_abk · G³),  α_k = Σ_ij a_ijk · ReLU(G_ijk),
 *               map = ReLU(Σ_k α_k A_k)   (Chattopadhyay et al. 2018, https://arxiv.org/abs/1710.11063,
 *               with the first-order gradient powers of the authors' implementation).
 * The h'×w' map is upsampled bilinearly (half-pixel centres) to the input size. Values are not
 * normalised (the renderer clips by percentile); an all-zero map stays all-zero (the Grad-CAM++ division
 * is guarded: where 2G² + ΣA·G³ = 0 the denominator is 1, so 0/0 never makes a NaN).
 * One forward+backward pass.
 */
import * as tf from '@tensorflow/tfjs';
import type { ModelInfo } from '@/lib/models/types';
import { resize } from '@/lib/resize';
import { finite, take } from '../../common';
import type { AlgorithmResult, MethodContext } from '../../define';
import { defineMethod } from '../../define';
import { ExplainError, type ScoreKind } from '../../types';
import { gradCamMeta, type GradCamConfig } from './meta';

export { camConfigSpec, type GradCamConfig } from './meta';

/** Extras of Grad-CAM and Grad-CAM++. */
export type CamExtras = {
  /** The layer used (the resolved default when the config said ''). */
  layer: string;
  camWidth: number;
  camHeight: number;
  /** The layer-resolution map before upsampling, camHeight × camWidth, row-major. */
  cam: Float32Array;
  /** α_k, one per channel of the layer. */
  channelWeights: Float32Array;
};

/** The layer a CAM method will use: `layer`, or the last spatial layer of the model. */
export function resolveCamLayer(info: ModelInfo, layer: string): string {
  if (layer === '') {
    const last = info.spatialLayers[info.spatialLayers.length - 1];
    if (!last) throw new ExplainError('this model has no spatial layer, so class-activation maps are not available');
    return last;
  }
  if (!info.spatialLayers.includes(layer)) {
    throw new ExplainError(
      `"${layer}" is not a spatial layer of this model (choose one of: ${info.spatialLayers.join(', ')})`,
    );
  }
  return layer;
}

/**
 * The Grad-CAM++ weights a_ijk = G² / (2G² + ΣA·G³), with 1 as the denominator wherever it is 0 (then G = 0
 * or the sum cancels, and the numerator is 0 too, so the weight is 0, not NaN). Tensors [n, h', w', k].
 * Call inside tf.tidy. Exported for its test.
 */
export function camPlusPlusWeights(A: tf.Tensor4D, G: tf.Tensor4D): tf.Tensor4D {
  const g2 = tf.square(G);
  const g3 = tf.mul(g2, G);
  const sumA = tf.sum(A, [1, 2], true);
  const denom = tf.add(tf.mul(g2, 2), tf.mul(sumA, g3));
  const safe = tf.where(tf.notEqual(denom, 0), denom, tf.onesLike(denom));
  return tf.div(g2, safe);
}

/** The CAM algorithm of both variants. */
export async function cam(
  variant: 'grad-cam' | 'grad-cam-plus-plus',
  ctx: MethodContext<GradCamConfig>,
): Promise<AlgorithmResult<CamExtras>> {
  const { adapter, input, target, config } = ctx;
  const layer = resolveCamLayer(adapter.info, config.layer);
  let scoreKind: ScoreKind = 'logit';
  const [camT, weightT] = tf.tidy(() => {
    const x = tf.tensor4d(input.data, [1, input.height, input.width, input.channels]);
    const r = adapter.layerGradients(x, layer, target);
    scoreKind = r.scoreKind;
    const A = r.activations;
    const G = r.grads;
    const alpha =
      variant === 'grad-cam'
        ? tf.mean(G, [1, 2], true)
        : tf.sum(tf.mul(camPlusPlusWeights(A, G), tf.relu(G)), [1, 2], true); // [1, 1, 1, k]
    const map = tf.relu(tf.sum(tf.mul(A, alpha), 3)); // [1, h', w']
    return [map, tf.reshape(alpha, [-1])];
  });
  const camShape = camT.shape;
  const [coarse, channelWeights] = await Promise.all([take(camT), take(weightT)]);
  ctx.onProgress(1);
  const h = camShape[1] as number;
  const w = camShape[2] as number;
  finite(coarse);
  const values = resize(coarse, { width: w, height: h }, { width: input.width, height: input.height });
  return {
    values,
    scoreKind,
    forwardPasses: 1,
    reportedConfig: { ...config, layer },
    extras: { layer, camWidth: w, camHeight: h, cam: coarse, channelWeights },
  };
}

export const gradCam = defineMethod(gradCamMeta, (ctx) => cam('grad-cam', ctx));
