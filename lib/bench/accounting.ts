/**
 * How the benchmark counts work, as pure functions (tested in accounting.test.ts).
 *
 * Forward-equivalents (FE): the cost of a method in units of "one forward pass over one image".
 * - A forward pass over one image = 1 FE.
 * - A forward + backward pass over one image (input gradients, or Grad-CAM's gradient at a layer) = 3 FE:
 *   the backward pass of a conv net costs about twice its forward (gradient w.r.t. activations + the
 *   bookkeeping of the tape); this is the usual convention (e.g. Kaplan et al. 2020's 3× rule,
 *   https://arxiv.org/abs/2001.08361 §2.1). Weight gradients are not needed, so 3 is an upper bound.
 * Per method, the formula is the `cost` of its metadata (lib/explain/methods/<id>/meta.ts), e.g.
 *   saliency, gradient × input, Grad-CAM, Grad-CAM++  1 image fwd+bwd          = 3
 *   SmoothGrad                                        numSamples fwd+bwd       = 3·numSamples
 *   Integrated Gradients                              points fwd+bwd (+2 fwd)  = 3·points (+2)
 *   occlusion                                         windows + 1 reference    = windows + 1
 *   RISE                                              numMasks forward         = numMasks
 * (the README's benchmark section lists them all). This module reads the tfjs-free catalog only.
 * Overhead ratio = method wall time ÷ (FE × best batched forward time per image): 1 means the method costs
 * exactly its model passes at full batch efficiency; everything above is batching loss, transfers,
 * JS-side work (building batches, accumulating maps) and scheduling.
 */
import { getMethodMeta, isMethodId } from '@/lib/explain/catalog';
import type { ForwardEquivalents } from '@/lib/explain/types';

export type { ForwardEquivalents } from '@/lib/explain/types';

export interface AccountingInput {
  method: string;
  /** The method's full configuration (defaults filled in). */
  config: Record<string, unknown>;
  /** Model input [h, w, c]. */
  inputShape: readonly [number, number, number];
}

/** Forward-equivalents of one run: the method's own cost formula (see module doc). Throws for an unknown method. */
export function forwardEquivalents({ method, config, inputShape }: AccountingInput): ForwardEquivalents {
  if (!isMethodId(method)) throw new Error(`no forward-equivalent accounting for method "${method}"`);
  return getMethodMeta(method).cost(config, inputShape);
}

/** method time ÷ (FE × forward time per image); NaN when the denominator is not positive. */
export function overheadRatio(methodMs: number, fe: number, forwardMsPerImage: number): number {
  const ideal = fe * forwardMsPerImage;
  return ideal > 0 ? methodMs / ideal : Number.NaN;
}

// The timing helpers moved to the tfjs-free timing.ts (the page needs them); re-exported for importers here.
export { median, tasksDuring, type TaskSpan } from './timing';
