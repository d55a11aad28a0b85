/**
 * Measured passes of a loaded model on the active backend (issue 12 item 5): one forward and one
 * forward+backward (input gradient) call at batch 1 and at a small batch B, best of a few after an untimed
 * warm-up (kernel compilation, weight upload). Cached per model and backend; measured lazily on the first explanation or
 * estimate request for the model. Worker-only (tfjs); the result is plain data (lib/explain/estimate.ts).
 */
import * as tf from '@tensorflow/tfjs';
import type { RunBasis } from '@/lib/explain/estimate-budget';
import type { PassTimings } from '@/lib/explain/estimate';
import { gradientBatch, targetScores } from '@/lib/explain/gradients';
import type { ImageInput, ModelAdapter } from '@/lib/explain/types';
import { maxBatchFor } from './batch-cap';

/** The batch B of the second measurement (or less, when memory caps it). */
export const MEASURE_BATCH = 4;
/** A batch-1 call slower than this is not measured again at batch B: B calls of 1 are assumed (upper bound). */
export const SLOW_CALL_MS = 400;

function probeInput(shape: readonly [number, number, number]): ImageInput {
  const [height, width, channels] = shape;
  return { height, width, channels, data: new Float32Array(height * width * channels).fill(0.5) };
}

async function timeMs(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

async function best(times: number, fn: () => Promise<unknown>): Promise<number> {
  let min = Number.POSITIVE_INFINITY;
  for (let i = 0; i < times; i++) min = Math.min(min, await timeMs(fn));
  return min;
}

/**
 * Times `call(n)` at n = 1 (best of 3) and n = B (best of 2), each after an untimed warm-up; B is skipped for
 * slow models (B calls of 1 assumed). A batch measured faster than one call (noise on a loaded machine) is
 * read as no fixed cost: T(1) = T(B)/B.
 */
async function measurePair(call: (n: number) => Promise<unknown>, batch: number): Promise<PassTimings['forwardMs']> {
  await call(1);
  const one = await best(3, () => call(1));
  if (one > SLOW_CALL_MS) return { one, batch: one * batch };
  await call(batch);
  const atBatch = await best(2, () => call(batch));
  return atBatch < one ? { one: atBatch / batch, batch: atBatch } : { one, batch: atBatch };
}

/**
 * Measures `adapter` at its input shape. A model whose input gradient fails on this backend is given
 * gradient calls of 3 forward calls (the forward-equivalent convention); its gradient methods fail anyway.
 */
export async function measurePassTimings(adapter: ModelAdapter): Promise<PassTimings> {
  const shape = adapter.info.inputShape;
  const input = probeInput(shape);
  const batch = Math.max(2, Math.min(MEASURE_BATCH, maxBatchFor(shape[0], shape[1], shape[2])));
  const size = input.data.length;
  const stack = (n: number) => new Float32Array(n * size).fill(0.5);
  const forwardMs = await measurePair((n) => targetScores(adapter, Array(n).fill(input.data), input, 0), batch);
  let gradientMs: PassTimings['gradientMs'];
  try {
    gradientMs = await measurePair((n) => gradientBatch(adapter, stack(n), n, input, 0), batch);
  } catch {
    gradientMs = { one: 3 * forwardMs.one, batch: 3 * forwardMs.batch };
  }
  return { backend: tf.getBackend(), batch, forwardMs, gradientMs };
}

/** Measured passes per (model, backend), each measured once; concurrent requests share the measurement. */
export class PassTimingCache {
  private readonly cache = new Map<string, Promise<PassTimings>>();
  private readonly factors = new Map<string, Record<string, number>>();

  /** The run basis of a model: its measured passes and the worker's memory batch cap for its input. */
  async basis(modelId: string, adapter: ModelAdapter): Promise<RunBasis> {
    const key = `${modelId}|${tf.getBackend()}`;
    let p = this.cache.get(key);
    if (!p) {
      p = measurePassTimings(adapter);
      this.cache.set(key, p);
      p.catch(() => this.cache.delete(key));
    }
    const [h, w, c] = adapter.info.inputShape;
    return { timings: await p, maxBatch: maxBatchFor(h, w, c), factors: { ...this.factors.get(key) } };
  }

  /**
   * Learns from a finished run: the method's factor (measured ÷ estimated ms) moves halfway (geometric mean)
   * towards this run's ratio, clamped to [0.2, 20], so the next estimate includes the method's own work.
   */
  record(modelId: string, methodId: string, measuredMs: number, estimatedMs: number): void {
    if (!(measuredMs > 0) || !(estimatedMs > 0)) return;
    const key = `${modelId}|${tf.getBackend()}`;
    const f = this.factors.get(key) ?? {};
    const ratio = Math.min(20, Math.max(0.2, measuredMs / estimatedMs));
    f[methodId] = Math.sqrt((f[methodId] ?? ratio) * ratio);
    this.factors.set(key, f);
  }

  /** Drops the measurements of a model (unloaded or replaced). */
  forget(modelId: string): void {
    for (const key of [...this.cache.keys()]) if (key.startsWith(`${modelId}|`)) this.cache.delete(key);
    for (const key of [...this.factors.keys()]) if (key.startsWith(`${modelId}|`)) this.factors.delete(key);
  }
}
