/**
 * One image's raw statistics for the check (reference.ts `ImageSample`), from what the worker has: the model
 * input, the image's RGBA as given, and the model's outputs for it.
 */
import { isSingleClass, type OutputKind } from '@/lib/models/output-kind';
import { colourfulness, confidenceStats, inputStats } from './features';
import type { ImageSample } from './reference';

/**
 * `input`: the model input (HWC, p ∈ [0, 1]); `rgba`: the image as given (4 bytes a pixel); `outputs`: its
 * probabilities [K] and class scores [K] (logits for a 'logits' model). Confidence is left out for outputs
 * that are not one distribution over classes (multi-label, regression) and for K < 2.
 */
export function imageSample(
  input: { width: number; height: number; channels: number; data: Float32Array },
  rgba: ArrayLike<number>,
  outputs: { probs: ArrayLike<number>; scores: ArrayLike<number>; kind: OutputKind },
): ImageSample {
  const single = isSingleClass(outputs.kind) && outputs.probs.length >= 2;
  return {
    input: inputStats(input),
    colour: colourfulness(rgba),
    confidence: single ? confidenceStats(outputs.probs, outputs.kind === 'logits' ? outputs.scores : null) : null,
  };
}
