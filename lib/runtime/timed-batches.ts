/**
 * Runs a set-level job (every image of an evaluation set through the model) in batches sized by time, and
 * lets the worker's queued messages run between them. On the CPU backend `await tensor.data()` resolves in
 * a microtask, so a loop of batches never gives the event loop a turn: a prediction, a Cancel or a memory
 * query sent meanwhile waited for the whole set (30 s and more on CPU — CI's `?backend=cpu` failure). Here
 * every batch is followed by a macrotask yield, and the batch size follows the measured time per image so
 * one batch takes about `targetMs` (starting small, never above `maxBatch`).
 */
import { nextTick } from '@/lib/explain/common';

export interface TimedBatchOptions {
  /** The largest batch (memory bound, e.g. maxBatchFor). */
  maxBatch: number;
  /** The first batch (before anything is measured). Default min(8, maxBatch). */
  firstBatch?: number;
  /** Wanted milliseconds per batch. Default 100. */
  targetMs?: number;
  /** Checked before every batch: an aborted signal throws an AbortError. */
  signal?: AbortSignal;
  /** Clock (tests). Default performance.now. */
  now?: () => number;
}

/** The next batch size from the last one's time: about targetMs per batch, within [1, maxBatch]. */
export function nextBatchSize(lastSize: number, lastMs: number, targetMs: number, maxBatch: number): number {
  if (!(lastMs > 0)) return Math.min(maxBatch, lastSize * 2);
  const perImage = lastMs / lastSize;
  const wanted = Math.floor(targetMs / perImage);
  // Grow at most 4× per step (a fast first batch may have been a warm-up outlier), shrink at once.
  return Math.max(1, Math.min(maxBatch, lastSize * 4, wanted));
}

/**
 * Calls `run(start, size)` for consecutive ranges covering [0, n), yielding to queued events after each.
 * Returns the batch sizes used (for tests and reports).
 */
export async function forEachTimedBatch(
  n: number,
  opts: TimedBatchOptions,
  run: (start: number, size: number) => Promise<void>,
): Promise<number[]> {
  const clock = opts.now ?? (() => performance.now());
  const target = opts.targetMs ?? 100;
  const maxBatch = Math.max(1, Math.floor(opts.maxBatch));
  let size = Math.max(1, Math.min(maxBatch, opts.firstBatch ?? 8));
  const sizes: number[] = [];
  for (let start = 0; start < n;) {
    if (opts.signal?.aborted) throw new DOMException('Cancelled', 'AbortError');
    const m = Math.min(size, n - start);
    const t0 = clock();
    await run(start, m);
    const ms = clock() - t0;
    sizes.push(m);
    start += m;
    if (m === size) size = nextBatchSize(m, ms, target, maxBatch);
    await nextTick();
  }
  return sizes;
}
