/**
 * The sanity check on a user's TF.js graph model through the real worker core (tfjs CPU, fake IndexedDB):
 * the hand-written GraphDef of the model fixtures is loaded from files, the cascade re-draws a fresh copy's
 * weighted ops from the output down, and the user's model gives the same outputs and map afterwards.
 */
import 'fake-indexeddb/auto';
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { makeGraphModel } from '@/lib/models/__fixtures__/corpus';
import { switchBackend } from '@/lib/testing/backends';
import { createWorkerCore } from './worker-core';

beforeAll(() => switchBackend('cpu'));

function graphFiles(): File[] {
  const saved = makeGraphModel({ softmax: false });
  return [
    new File([JSON.stringify(saved.json)], 'model.json'),
    ...[...saved.shards].map(([name, bytes]) => new File([bytes.slice()], name)),
  ];
}

describe('sanity check on a graph model (worker core)', () => {
  it("re-draws a copy's weighted ops top-down; the user's model is untouched; no tensor left", async () => {
    const core = createWorkerCore();
    const { info } = await core.api.loadFromFiles(graphFiles(), {});
    expect(info.format).toBe('graph');
    const pixels = Uint8Array.from({ length: 16 }, (_, i) => (i * 37) % 256);
    const img = await core.api.addPixels(pixels, 4, 4, 1, 'x');
    const req = { modelId: info.id, imageId: img.id, method: 'saliency' as const, target: 1, config: {} };
    const predBefore = await core.api.predict(info.id, img.id);
    const mapBefore = (await core.api.explain('m', req)).values;
    const r = await core.api.sanityCheck('s', req);
    // Identity 'out' ← MatMul 'logits' (w2) ← Reshape ← Relu ← Conv2D 'conv' (w1): two weighted ops.
    expect(r.steps.map((s) => s.layer)).toEqual(['logits', 'conv']);
    expect(r.original).toEqual(mapBefore); // the copy starts as the user's model
    expect(r.steps[0]!.spearman).toBeLessThan(0.9);
    expect((await core.api.predict(info.id, img.id)).probs).toEqual(predBefore.probs);
    expect((await core.api.explain('m', req)).values).toEqual(mapBefore);
    const before = tf.memory().numTensors;
    await core.api.sanityCheck('s', req);
    await core.api.sanityCheck('s', { ...req, maxSteps: 1 });
    expect(tf.memory().numTensors).toBe(before);
    await core.api.unload(info.id);
  });
});
