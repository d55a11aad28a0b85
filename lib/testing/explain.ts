/**
 * Test helpers for explanation methods: adapters over the tiny models, and the three behaviours every
 * method must have (no leaks, target range check, cancellation).
 */
import { expect } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { createLayersAdapter } from '@/lib/models/adapter';
import type { ModelInfo } from '@/lib/models/types';
import { ExplainError, type ExplainMethod, type ImageInput, type ModelAdapter } from '@/lib/explain/types';
import { infoFor, seededImage, smallCnn } from './models';

export type CountingAdapter = ModelAdapter & {
  readonly counters: { calls: number; images: number };
  resetCounters(): void;
};

/** A layers adapter over `model` with test ModelInfo (overrides merged). Owns the model. */
export function adapterFor(model: tf.LayersModel, overrides: Parameters<typeof infoFor>[1] = {}): CountingAdapter {
  const info: ModelInfo = infoFor(model, overrides);
  return createLayersAdapter(model, info);
}

/** Runs the method twice and asserts the tensor count is unchanged. */
export async function expectNoLeak(
  method: ExplainMethod,
  adapter: ModelAdapter,
  input: ImageInput,
  target: number,
  config: Record<string, unknown> = {},
): Promise<void> {
  await method.run(adapter, input, target, config); // warm-up (lazy kernels/caches)
  const before = tf.memory().numTensors;
  await method.run(adapter, input, target, config);
  await method.run(adapter, input, target, config);
  expect(tf.memory().numTensors).toBe(before);
}

/** Out-of-range and non-integer targets reject with an ExplainError naming the range. */
export async function expectTargetErrors(
  method: ExplainMethod,
  adapter: ModelAdapter,
  input: ImageInput,
): Promise<void> {
  const k = adapter.info.numClasses;
  for (const bad of [-1, k, 1.5]) {
    const p = method.run(adapter, input, bad, {});
    await expect(p).rejects.toBeInstanceOf(ExplainError);
    await expect(method.run(adapter, input, bad, {})).rejects.toThrow(/out of range/);
  }
}

/**
 * Cancellation: an already-aborted signal rejects with a DOMException named 'AbortError'; when
 * `midRun` is set, aborting from the first onProgress callback also rejects (the method checks between
 * chunks), and no tensors are left behind.
 */
export async function expectAbort(
  method: ExplainMethod,
  adapter: ModelAdapter,
  input: ImageInput,
  target: number,
  config: Record<string, unknown>,
  midRun: boolean,
): Promise<void> {
  const pre = new AbortController();
  pre.abort();
  await expect(method.run(adapter, input, target, config, { signal: pre.signal })).rejects.toMatchObject({
    name: 'AbortError',
  });
  if (!midRun) return;
  const before = tf.memory().numTensors;
  const ctl = new AbortController();
  let progressCalls = 0;
  await expect(
    method.run(adapter, input, target, config, {
      signal: ctl.signal,
      onProgress: () => {
        progressCalls += 1;
        ctl.abort();
      },
    }),
  ).rejects.toMatchObject({ name: 'AbortError' });
  expect(progressCalls).toBe(1);
  expect(tf.memory().numTensors).toBe(before);
}

/**
 * The three checks every method's own test runs: {@link expectNoLeak} with `config`, {@link expectTargetErrors},
 * and {@link expectAbort} with `abortConfig` (default `config`; `midRun`: also aborted between chunks).
 */
export async function expectLeakTargetAbort(
  method: ExplainMethod,
  adapter: ModelAdapter,
  input: ImageInput,
  target: number,
  opts: { config?: Record<string, unknown>; abortConfig?: Record<string, unknown>; midRun?: boolean } = {},
): Promise<void> {
  const { config = {}, abortConfig = config, midRun = false } = opts;
  await expectNoLeak(method, adapter, input, target, config);
  await expectTargetErrors(method, adapter, input);
  await expectAbort(method, adapter, input, target, abortConfig, midRun);
}

/** {@link expectLeakTargetAbort} on a fresh `smallCnn(modelSeed)` (default 1) and a seeded 8×8×3 image. */
export async function expectLeakTargetAbortOnSmallCnn(
  method: ExplainMethod,
  target: number,
  opts: Parameters<typeof expectLeakTargetAbort>[4] & { modelSeed?: number } = {},
): Promise<void> {
  const adapter = adapterFor(smallCnn(opts.modelSeed ?? 1));
  try {
    await expectLeakTargetAbort(method, adapter, seededImage(8, 8, 3), target, opts);
  } finally {
    adapter.dispose();
  }
}
