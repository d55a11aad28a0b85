/**
 * Caps a method's `batchSize` by the size of one input, so large models do not run the WASM heap out of
 * memory: the layer interpreter keeps every activation of a batch until the batch finishes, and at 224×224
 * batches of 16–32 were seen to fail with "memory access out of bounds". The budget allows 8 images of
 * 224×224×3 per batch (≈1.2 M input values); 28×28 models are never capped in practice.
 */
export const MAX_BATCH_INPUT_VALUES = 224 * 224 * 3 * 8;

export function maxBatchFor(height: number, width: number, channels: number): number {
  return Math.max(1, Math.floor(MAX_BATCH_INPUT_VALUES / Math.max(1, height * width * channels)));
}

/**
 * Returns `config` with `batchSize` (when the method has one) no larger than maxBatchFor(input). The
 * result's config reports the batch size actually used.
 */
export function capBatchSize<C extends Record<string, unknown>>(
  config: C,
  defaults: Record<string, unknown>,
  input: { height: number; width: number; channels: number },
): C {
  const requested = config.batchSize ?? defaults.batchSize;
  if (typeof requested !== 'number') return config;
  const cap = maxBatchFor(input.height, input.width, input.channels);
  return requested > cap ? { ...config, batchSize: cap } : config;
}
