/**
 * The naive occlusion loop that the batched method (lib/explain/occlusion.ts) is measured against: one
 * model call per window, each one uploading a 1-image batch and reading its probabilities back before the
 * next window starts — how PAIR saliency's `Occlusion` and Picasso's occlusion visualizer do it.
 *
 * Same windows (`windowStarts`), same fill, same score (drop of the target PROBABILITY), same averaging
 * over covering windows as the batched method, so the maps are equal up to float rounding; only the
 * number of model calls differs: 1 + windows here vs 1 + ceil(windows / batchSize) there.
 * Benchmark helper: no progress, no cancellation.
 */
import * as tf from '@tensorflow/tfjs';
import { windowStarts } from '@/lib/explain/occlusion';
import type { ImageInput, ModelAdapter } from '@/lib/explain/types';

export interface NaiveOcclusionConfig {
  windowSize: number;
  stride: number;
  /** 'zero' (black) or 'grey' (0.5): the two fills that need no image statistics. */
  fill: 'zero' | 'grey';
}

export interface NaiveOcclusionResult {
  /** H×W map, row-major: mean probability drop of the windows covering each pixel. */
  values: Float32Array;
  windows: number;
  /** Model calls made: 1 reference + 1 per window. */
  calls: number;
}

async function targetProbability(
  adapter: ModelAdapter,
  data: Float32Array,
  input: ImageInput,
  target: number,
): Promise<number> {
  const p = tf.tidy(() =>
    tf.slice(
      adapter.probabilities(tf.tensor4d(data, [1, input.height, input.width, input.channels])),
      [0, target],
      [1, 1],
    ),
  );
  try {
    return (await p.data())[0] as number;
  } finally {
    p.dispose();
  }
}

/** Occlusion map of `target`, one model call per window (see module doc). */
export async function naiveOcclusion(
  adapter: ModelAdapter,
  input: ImageInput,
  target: number,
  config: NaiveOcclusionConfig,
): Promise<NaiveOcclusionResult> {
  const { height: H, width: W, channels: C } = input;
  const ys = windowStarts(H, config.windowSize, config.stride);
  const xs = windowStarts(W, config.windowSize, config.stride);
  const wy = Math.min(config.windowSize, H);
  const wx = Math.min(config.windowSize, W);
  const fillValue = config.fill === 'grey' ? 0.5 : 0;
  const ref = await targetProbability(adapter, input.data, input, target);
  let calls = 1;
  const sums = new Float64Array(H * W);
  const counts = new Uint32Array(H * W);
  const img = new Float32Array(input.data.length);
  for (const y0 of ys) {
    for (const x0 of xs) {
      img.set(input.data);
      for (let y = y0; y < y0 + wy; y++) img.fill(fillValue, (y * W + x0) * C, (y * W + x0 + wx) * C);
      const drop = ref - (await targetProbability(adapter, img, input, target));
      calls += 1;
      for (let y = y0; y < y0 + wy; y++) {
        for (let x = x0; x < x0 + wx; x++) {
          sums[y * W + x] = (sums[y * W + x] as number) + drop;
          counts[y * W + x] = (counts[y * W + x] as number) + 1;
        }
      }
    }
  }
  const values = Float32Array.from(sums, (v, i) => ((counts[i] as number) > 0 ? v / (counts[i] as number) : 0));
  return { values, windows: ys.length * xs.length, calls };
}
