/**
 * Feature visualisation (issue 15 item 4; Olah et al., "Feature Visualization", Distill 2017,
 * https://distill.pub/2017/feature-visualization/): the image that makes one channel of a conv layer fire
 * most — activation maximisation of the channel's mean over its h'×w' positions ("channel objective"),
 * with or without the jitter / blur regularisers, by the same optimiser as fooling images
 * (`gradientAscent`). Needs the adapter's optional `channelGradients` (TF.js layers and graph models).
 * Worker side: imports tfjs.
 */
import type { ImageInput, ModelAdapter } from '@/lib/models/adapter-types';
import { ExplainError } from '@/lib/models/adapter-types';
import { gradientAscent, type AscentResult, type FoolingOptions } from './fooling';

/** Whether this adapter can visualise channels (it has `channelGradients`). */
export function canVisualiseChannels(adapter: ModelAdapter): boolean {
  return typeof adapter.channelGradients === 'function';
}

/**
 * Gradient ascent on the mean activation of `channel` of spatial `layer`. `trajectory` is that mean before
 * the first step and after each step (length steps + 1); `data` the image reached (HWC, [0, 1]).
 */
export async function channelVisualisation(
  adapter: ModelAdapter,
  shape: Pick<ImageInput, 'height' | 'width' | 'channels'>,
  layer: string,
  channel: number,
  opts: FoolingOptions = {},
): Promise<AscentResult> {
  const grad = adapter.channelGradients?.bind(adapter);
  if (!grad)
    throw new ExplainError(
      'Feature visualisation needs the gradient of a layer channel, which this model format does not offer yet (TF.js layers and graph models do).',
    );
  if (!adapter.info.spatialLayers.includes(layer))
    throw new ExplainError(`"${layer}" is not a spatial layer of this model (pick one of its convolutional layers)`);
  return gradientAscent(
    shape,
    { gradient: (x) => grad(x, layer, channel).grads, value: (x) => grad(x, layer, channel).means },
    opts,
  );
}
