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
 * normalised (the renderer clips by percentile); an all-zero map stays all-zero (divisions are guarded).
 * One forward+backward pass.
 */
import * as tf from '@tensorflow/tfjs';
import { gradCamMeta, type GradCamConfig } from './catalog';
import { checkInput, checkTarget, finite, now, resizeBilinear, resolveConfig, take, throwIfAborted } from './common';
import { ExplainError, type Attribution, type ExplainMethod, type ImageInput, type ModelAdapter, type RunOptions, type ScoreKind } from './types';
import type { ModelInfo } from '@/lib/models/types';

export { camConfigSpec, type GradCamConfig } from './catalog';

/** The layer a CAM method will use: `layer`, or the last spatial layer of the model. */
export function resolveCamLayer(info: ModelInfo, layer: string): string {
  if (layer === '') {
    const last = info.spatialLayers[info.spatialLayers.length - 1];
    if (!last) throw new ExplainError('this model has no spatial layer, so class-activation maps are not available');
    return last;
  }
  if (!info.spatialLayers.includes(layer)) {
    throw new ExplainError(`"${layer}" is not a spatial layer of this model (choose one of: ${info.spatialLayers.join(', ')})`);
  }
  return layer;
}

export async function runCam(
  variant: 'grad-cam' | 'grad-cam-plus-plus',
  adapter: ModelAdapter,
  input: ImageInput,
  target: number,
  config: GradCamConfig,
  opts: RunOptions | undefined,
): Promise<Attribution> {
  const t0 = now();
  checkTarget(adapter, target);
  checkInput(adapter, input);
  const layer = resolveCamLayer(adapter.info, config.layer);
  throwIfAborted(opts?.signal);
  let scoreKind: ScoreKind = 'logit';
  const [camT, weightT] = tf.tidy(() => {
    const x = tf.tensor4d(input.data, [1, input.height, input.width, input.channels]);
    const r = adapter.layerGradients(x, layer, target);
    scoreKind = r.scoreKind;
    const A = r.activations;
    const G = r.grads;
    let alpha: tf.Tensor; // [1, 1, 1, k]
    if (variant === 'grad-cam') {
      alpha = tf.mean(G, [1, 2], true);
    } else {
      const g2 = tf.square(G);
      const g3 = tf.mul(g2, G);
      const sumA = tf.sum(A, [1, 2], true);
      const denom = tf.add(tf.mul(g2, 2), tf.mul(sumA, g3));
      const safe = tf.where(tf.notEqual(denom, 0), denom, tf.onesLike(denom));
      const a = tf.div(g2, safe);
      alpha = tf.sum(tf.mul(a, tf.relu(G)), [1, 2], true);
    }
    const cam = tf.relu(tf.sum(tf.mul(A, alpha), 3)); // [1, h', w']
    return [cam, tf.reshape(alpha, [-1])];
  });
  const camShape = camT.shape;
  const [cam, channelWeights] = await Promise.all([take(camT), take(weightT)]);
  opts?.onProgress?.(1);
  const h = camShape[1] as number;
  const w = camShape[2] as number;
  finite(cam);
  const values = finite(resizeBilinear(cam, h, w, input.height, input.width));
  return {
    method: variant,
    target,
    width: input.width,
    height: input.height,
    values,
    signed: false,
    scoreKind,
    config: { ...config, layer },
    timings: { totalMs: now() - t0, forwardPasses: 1 },
    extras: { layer, camWidth: w, camHeight: h, cam, channelWeights },
  };
}

export const gradCam: ExplainMethod<GradCamConfig> = {
  ...gradCamMeta,
  run(adapter, input, target, config, opts) {
    return runCam('grad-cam', adapter, input, target, resolveConfig(gradCam.defaultConfig, config), opts);
  },
};
