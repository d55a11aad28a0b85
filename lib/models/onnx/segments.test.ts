/**
 * An ONNX model's input gradient in pieces (segments.ts + lib/runtime/segmented-gradients.ts) is its
 * one-piece gradient: torchvision exports with residual adds (resnet18), inverted residuals and depthwise
 * convs (mobilenet_v2), concatenations (densenet121), channel shuffles (shufflenet_v2) and the op zoo, cut at
 * every cut point and in 3 pieces, on WASM (and the small ones on CPU). No tensor left; an abort raised in
 * a piece stops the pass before the next one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import type { ModelAdapter } from '@/lib/explain/types';
import { gradientBatch } from '@/lib/explain/gradients';
import { inputGradientsInPieces, planPieces } from '@/lib/runtime/segmented-gradients';
import { TEST_BACKENDS, switchBackend } from '@/lib/testing/backends';
import { expectAbortStopsAtNextPiece, maxAbsDiff, twoImageBatch } from '@/lib/testing/gradient-batches';
import { loadOnnxModel } from './load';
import { corpusEntry, corpusFiles } from './test-corpus';

const MODELS = ['resnet18', 'mobilenet_v2', 'densenet121', 'shufflenet_v2_x0_5', 'ops_zoo'];
/** tfjs CPU (plain-JS kernels) is ~10× slower: the small graphs there, all of them on WASM. */
const ON_CPU = new Set(['ops_zoo']);


describe.each(TEST_BACKENDS)('ONNX input gradients in pieces on %s', (backend) => {
  const adapters = new Map<string, ModelAdapter>();
  const models = MODELS.filter((m) => backend === 'wasm' || ON_CPU.has(m));
  beforeAll(async () => {
    await switchBackend(backend);
    for (const name of models) adapters.set(name, (await loadOnnxModel(corpusFiles(corpusEntry(name)), {})).adapter);
  }, 120_000);
  afterAll(() => adapters.forEach((a) => a.dispose()));

  it.each(models)('%s: the same gradient as the one-piece pass, at every cut and in 3 pieces', async (name) => {
    const adapter = adapters.get(name) as ModelAdapter;
    const { data, shape } = twoImageBatch(adapter);
    const target = adapter.info.numClasses - 1;
    const input = { height: shape[1], width: shape[2], channels: shape[3], data };
    const whole = await gradientBatch(adapter, data, 2, input, target);
    const segments = adapter.gradientSegments?.(target, 2);
    if (!segments) throw new Error(`${name} cannot be split`);
    const everyCut = planPieces(segments, 10_000).bounds.length - 1;
    expect(everyCut).toBeGreaterThan(3);
    for (const pieces of [10_000, 3]) {
      const before = tf.memory().numTensors;
      const r = await inputGradientsInPieces(segments, data, shape, target, { pieces });
      expect(tf.memory().numTensors).toBe(before);
      const { diff, scale } = maxAbsDiff(r.grads, whole.grads);
      console.log(`${backend} onnx ${name}: ${pieces === 3 ? 3 : everyCut} pieces, max |Δ| ${diff.toExponential(2)} of ${scale.toExponential(2)}`);
      expect(scale).toBeGreaterThan(0);
      expect(diff).toBeLessThanOrEqual(1e-5 * scale);
      r.targetScores.forEach((v, i) => expect(v).toBeCloseTo(whole.targetScores[i] as number, 5));
    }
  }, 120_000);

  it('Cancel: an abort during a piece stops the pass before the next piece; nothing leaks', async () => {
    const adapter = adapters.get(models[models.length - 1] as string) as ModelAdapter;
    const { data, shape } = twoImageBatch(adapter);
    const segments = adapter.gradientSegments?.(0, 2);
    if (!segments) throw new Error('cannot be split');
    await expectAbortStopsAtNextPiece(segments, data, shape);
  });
});
