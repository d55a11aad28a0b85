/**
 * Honest time estimates and budget-sized defaults (issue 12 item 5). Pure maths over plain numbers, no
 * tfjs: the worker measures one model's passes (lib/runtime/pass-timing.ts), the page and the worker both
 * turn them into "about 40 s" and into defaults that finish in about `BUDGET_MS`.
 *
 * Time model: a model call of batch b costs T(b) = T(1) + (T(B) − T(1))·(b − 1)/(B − 1) ms (a fixed part and
 * a part per image, fitted through the two measured batches 1 and B; never below T(1)). A method's work
 * comes from its `cost` in forward-equivalents (lib/bench/accounting.ts: a gradient pass counts 3, a forward
 * pass 1): a method that needs gradients runs ⌊fe/3⌋ gradient images and fe mod 3 forward images, one that
 * does not runs fe forward images; images go in calls of its (effective) batch size.
 */
import type { MethodConfig, MethodMeta } from './types';

/** What is sized to the budget: about ten seconds per run. */
export const BUDGET_MS = 10_000;

/** Longest a single model call should take, so that Cancel frees the worker within ~200 ms. */
export const SLICE_MS = 150;

/** Measured call times (ms) at batch 1 and at batch `batch` of one model on one backend. */
export interface PassTimings {
  /** The backend measured on ('wasm', 'cpu', 'webgl', …). */
  backend: string;
  /** The larger measured batch B (≥ 2). */
  batch: number;
  /** One forward call: batch 1 and batch B, ms. */
  forwardMs: { one: number; batch: number };
  /** One forward + backward call (input gradients): batch 1 and batch B, ms. */
  gradientMs: { one: number; batch: number };
}

type PassPair = PassTimings['forwardMs'];

/** Milliseconds of one call of `b` images (b ≥ 1) from the two measured calls (see the module comment). */
export function callMs(pair: PassPair, measuredBatch: number, b: number): number {
  const perImage = Math.max(0, (pair.batch - pair.one) / Math.max(1, measuredBatch - 1));
  return pair.one + perImage * Math.max(0, b - 1);
}

/** Milliseconds of `images` images in calls of at most `batch` (the last call may be smaller). */
export function imagesMs(pair: PassPair, measuredBatch: number, images: number, batch: number): number {
  if (images <= 0) return 0;
  const b = Math.max(1, Math.floor(batch));
  const full = Math.floor(images / b);
  const rest = images - full * b;
  return full * callMs(pair, measuredBatch, b) + (rest > 0 ? callMs(pair, measuredBatch, rest) : 0);
}

/**
 * The largest batch (1 … requested) whose call stays within `sliceMs`: Cancel is checked between calls, so
 * this bounds how long a cancelled run can hold the worker. Never below 1.
 */
export function sliceBatch(requested: number, pair: PassPair, measuredBatch: number, sliceMs = SLICE_MS): number {
  let b = Math.max(1, Math.floor(requested));
  while (b > 1 && callMs(pair, measuredBatch, b) > sliceMs) b = Math.max(1, Math.floor(b / 2));
  return b;
}

/** Whether a method's work is gradient passes (input or layer gradients) or forward passes only. */
export function usesGradients(meta: Pick<MethodMeta, 'requires'>): boolean {
  return meta.requires.includes('inputGradients') || meta.requires.includes('layerGradients');
}

/** The batch size a run uses: the config's `batchSize` (1 when it has none) capped by `maxBatch`. */
export function runBatch(config: MethodConfig, maxBatch = Number.POSITIVE_INFINITY): number {
  const b = typeof config.batchSize === 'number' ? config.batchSize : 1;
  return Math.max(1, Math.min(b, maxBatch));
}

/**
 * Estimated milliseconds of one run of `meta` with the full `config` on a model of input [h, w, c], from
 * measured `timings`; `maxBatch` is the worker's batch cap (memory and slicing).
 */
export function estimateMs(
  meta: Pick<MethodMeta, 'requires' | 'cost'>,
  config: MethodConfig,
  inputShape: readonly [number, number, number],
  timings: PassTimings,
  maxBatch = Number.POSITIVE_INFINITY,
): number {
  const fe = meta.cost(config, inputShape).fe;
  const batch = runBatch(config, maxBatch);
  if (!usesGradients(meta)) return imagesMs(timings.forwardMs, timings.batch, fe, batch);
  const gradientImages = Math.floor(fe / 3);
  const forwardImages = fe - 3 * gradientImages;
  return (
    imagesMs(timings.gradientMs, timings.batch, gradientImages, batch) +
    imagesMs(timings.forwardMs, timings.batch, forwardImages, Math.max(forwardImages, 1))
  );
}

/** "about 40 s", "about 2.5 s", "under 0.1 s", "about 3 min". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return 'unknown';
  if (ms < 100) return 'under 0.1 s';
  if (ms < 10_000) return `about ${(ms / 1000).toFixed(1)} s`;
  if (ms < 90_000) return `about ${Math.round(ms / 1000)} s`;
  return `about ${Math.round(ms / 60_000)} min`;
}
