/**
 * The input gradient in pieces (segmented-gradients.ts) is the one-piece gradient: on real corpus models
 * (residual, inverted-residual/depthwise and separable + squeeze-excite LayersModels; converted graph models
 * with fused and depthwise convolutions) on WASM and CPU, cut at every cut point and in 3 pieces, against
 * `adapter.inputGradients` on the same batch. Leaks: none, run twice, also when aborted. Cancel: an abort
 * raised while a piece runs stops the pass before the next piece.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import type { ModelAdapter } from '@/lib/explain/types';
import { gradientBatch } from '@/lib/explain/gradients';
import { TEST_BACKENDS, switchBackend } from '@/lib/testing/backends';
import { expectAbortStopsAtNextPiece, maxAbsDiff, twoImageBatch } from '@/lib/testing/gradient-batches';
import { corpusAdapter } from '@/lib/testing/corpus';
import { inputGradientsInPieces, pieceCounter, planPieces, withGradientPieces } from './segmented-gradients';

const MODELS = ['built/residual', 'built/mobilenetv2-like', 'built/separable-se', 'human/liveness', 'human/emotion'];
/** On tfjs CPU (plain-JS kernels) the 64×64 emotion model alone takes ~40 s here: WASM covers it. */
const CPU_SKIPS = new Set(['human/emotion']);

describe.each(TEST_BACKENDS)('input gradients in pieces on %s', (backend) => {
  const adapters = new Map<string, ModelAdapter>();
  beforeAll(async () => {
    await switchBackend(backend);
    for (const id of MODELS) if (backend !== 'cpu' || !CPU_SKIPS.has(id)) adapters.set(id, await corpusAdapter(id));
  });
  afterAll(() => adapters.forEach((a) => a.dispose()));

  it.each(MODELS)('%s: the same gradient as the one-piece pass, at every cut and in 3 pieces', async (id) => {
    const adapter = adapters.get(id);
    if (!adapter) return void console.log(`${backend} ${id}: skipped (${CPU_SKIPS.has(id) ? 'CPU_SKIPS' : '?'})`);
    const { data, shape } = twoImageBatch(adapter);
    const target = adapter.info.numClasses - 1;
    const input = { height: shape[1], width: shape[2], channels: shape[3], data };
    const whole = await gradientBatch(adapter, data, 2, input, target);
    const segments = adapter.gradientSegments?.(target, 2);
    if (!segments) throw new Error(`${id} cannot be split`);
    const everyCut = planPieces(segments, 10_000).bounds.length - 1;
    expect(everyCut).toBeGreaterThan(3); // really cut (not one piece)
    for (const pieces of [10_000, 3]) {
      const before = tf.memory().numTensors;
      const r = await inputGradientsInPieces(segments, data, shape, target, { pieces });
      expect(tf.memory().numTensors).toBe(before);
      const { diff, scale } = maxAbsDiff(r.grads, whole.grads);
      console.log(
        `${backend} ${id}: ${pieces === 3 ? 3 : everyCut} pieces, max |Δ| ${diff.toExponential(2)} of max |g| ${scale.toExponential(2)}`,
      );
      expect(scale).toBeGreaterThan(0);
      expect(diff).toBeLessThanOrEqual(1e-5 * scale);
      r.targetScores.forEach((v, i) => expect(v).toBeCloseTo(whole.targetScores[i] as number, 6));
    }
  });

  it('through the worker hook: gradientBatch on the wrapped adapter; no tensor left, run twice', async () => {
    const adapter = adapters.get('built/mobilenetv2-like') as ModelAdapter;
    const { data, shape } = twoImageBatch(adapter);
    const input = { height: shape[1], width: shape[2], channels: shape[3], data };
    const split = withGradientPieces(adapter, new AbortController().signal, 1000, { aboveMs: 0, pieceMs: 40 });
    expect(split).not.toBe(adapter);
    expect(withGradientPieces(adapter, new AbortController().signal, 10)).toBe(adapter); // short pass: as is
    const whole = await gradientBatch(adapter, data, 2, input, 1);
    for (let run = 0; run < 2; run++) {
      const before = tf.memory().numTensors;
      const counted = pieceCounter.backward;
      const r = await gradientBatch(split, data, 2, input, 1);
      expect(tf.memory().numTensors).toBe(before);
      expect(pieceCounter.backward - counted).toBeGreaterThan(1);
      const { diff, scale } = maxAbsDiff(r.grads, whole.grads);
      expect(diff).toBeLessThanOrEqual(1e-5 * scale);
      expect(r.scoreKind).toBe(whole.scoreKind);
    }
    await expect(gradientBatch(split, data, 2, input, 99)).rejects.toThrow(/out of range/);
  });

  it('Cancel: an abort during a piece stops the pass before the next piece; nothing leaks', async () => {
    const adapter = adapters.get('human/liveness') as ModelAdapter;
    const { data, shape } = twoImageBatch(adapter);
    const segments = adapter.gradientSegments?.(0, 2);
    if (!segments) throw new Error('liveness cannot be split');
    await expectAbortStopsAtNextPiece(segments, data, shape);
  });
});
