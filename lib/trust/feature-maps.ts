/**
 * Feature maps, pure (no tfjs): per-channel means of a layer's activations A (HWK row-major), one channel's
 * H'×W' map, and the channels ordered by mean (what the Trust tab's feature-map grid shows first).
 */

/** Per-channel means of HWK values (length k). */
export function channelMeans(values: Float32Array, k: number): Float32Array {
  const out = new Float32Array(k);
  const cells = values.length / k;
  for (let i = 0; i < values.length; i++) out[i % k] = (out[i % k] as number) + (values[i] as number);
  for (let c = 0; c < k; c++) out[c] = (out[c] as number) / Math.max(1, cells);
  return out;
}

/** The H'×W' map of channel `c` of HWK values. */
export function channelMap(values: Float32Array, height: number, width: number, k: number, c: number): Float32Array {
  return Float32Array.from({ length: height * width }, (_, i) => values[i * k + c] as number);
}

/** Channel indices by descending mean (ties by index). */
export function channelsByMean(means: Float32Array): number[] {
  return Array.from(means, (_, c) => c).sort((a, b) => (means[b] as number) - (means[a] as number) || a - b);
}
