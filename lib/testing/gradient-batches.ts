/**
 * Tests only: two different images stacked as one batch for a model's input (a smooth ramp and a seeded
 * pattern), and the largest difference between two gradients with the scale it is judged against — shared by
 * the tests that compare an input gradient taken in pieces with the one-piece gradient; and the check that a
 * Cancel stops a gradient in pieces at the next piece.
 */
import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';
import type { ModelAdapter } from '@/lib/explain/types';
import type { GradientSegments } from '@/lib/models/gradient-segments';
import { inputGradientsInPieces, planPieces } from '@/lib/runtime/segmented-gradients';

export function twoImageBatch(adapter: ModelAdapter): { data: Float32Array; shape: [number, number, number, number] } {
  const [h, w, c] = adapter.info.inputShape;
  const size = h * w * c;
  const data = new Float32Array(2 * size);
  for (let i = 0; i < size; i++) {
    data[i] = 0.1 + (0.8 * (i % (w * c))) / (w * c);
    data[size + i] = ((i * 7919) % 997) / 997;
  }
  return { data, shape: [2, h, w, c] };
}

/** max |a − b| and max |b| (the reference's scale). */
export function maxAbsDiff(a: Float32Array, b: Float32Array): { diff: number; scale: number } {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs((a[i] as number) - (b[i] as number)));
    scale = Math.max(scale, Math.abs(b[i] as number));
  }
  return { diff, scale };
}

/**
 * Cancel in pieces: an abort raised while the third piece runs (as a Cancel message handled during a yield
 * would) stops the pass with an AbortError before the next piece, and no tensor is left — twice.
 */
export async function expectAbortStopsAtNextPiece(
  segments: GradientSegments,
  data: Float32Array,
  shape: readonly [number, number, number, number],
): Promise<void> {
  let controller = new AbortController();
  let runs = 0;
  const counting: GradientSegments = {
    ...segments,
    run: (...args: Parameters<GradientSegments['run']>) => {
      runs += 1;
      if (runs === 3) controller.abort();
      return segments.run(...args);
    },
  };
  expect(planPieces(segments, 8).bounds.length - 1).toBeGreaterThan(4);
  for (let run = 0; run < 2; run++) {
    runs = 0;
    controller = new AbortController();
    const before = tf.memory().numTensors;
    const settled = await inputGradientsInPieces(counting, data, shape, 0, {
      pieces: 8,
      signal: controller.signal,
    }).then(
      () => 'finished',
      (e: Error) => e.name,
    );
    expect(settled).toBe('AbortError');
    expect(runs).toBe(3); // the piece in flight finished; no piece ran after it
    expect(tf.memory().numTensors).toBe(before);
  }
}
