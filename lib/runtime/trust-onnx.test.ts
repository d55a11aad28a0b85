/**
 * The Trust checks that re-draw weights or differentiate a channel, on an ONNX model (issue 15: "works on
 * user models — TF.js, and ONNX/Keras once they load"). The bundled fashion model rebuilt in PyTorch from its
 * own weights and exported with torch.onnx.export (the test corpus) against the bundled TF.js model:
 * - feature visualisation's channel gradient through the ONNX plan equals the TF.js one (same weights);
 * - the sanity check re-draws a fresh copy's weighted nodes top-down (Gemm, Gemm, Conv, Conv, Conv), the map
 *   changes, the user's model is untouched, and no tensor is left.
 */
import 'fake-indexeddb/auto';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { createLayersAdapter } from '@/lib/models/adapter';
import { loadModelFromFiles } from '@/lib/models/load';
import type { Manifest } from '@/lib/models/types';
import { pearson } from '@/lib/metrics';
import { switchBackend } from '@/lib/testing/backends';
import { loadOnnxModel } from '@/lib/models/onnx/load';
import { weightsTopDown } from '@/lib/models/onnx';
import { CORPUS_DIR, corpusFiles, corpusManifest, diskFile } from '@/lib/models/onnx/test-corpus';
import { createWorkerCore } from './worker-core';

const ROOT = process.cwd();
const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'models', 'manifest.json'), 'utf8')) as Manifest;
const ID = 'fashion-finetuned';
const entry = () => {
  const e = corpusManifest().models.find((m) => m.bundledId === ID);
  if (!e) throw new Error(`the ONNX corpus has no export of ${ID}`);
  return e;
};
const bundled = () => manifest.models.find((m) => m.id === ID) as Manifest['models'][number];

beforeAll(() => switchBackend('wasm'));

/** Test image 1 of the bundled set (a trouser) as model input. */
function trouser(): { data: Float32Array; pixels: Uint8Array } {
  const ds = manifest.datasets.find((d) => d.id === bundled().datasetId);
  if (!ds) throw new Error('no bundled set');
  const px = ds.height * ds.width * ds.channels;
  const pixels = fs.readFileSync(path.join(ROOT, 'models', ds.imagesUrl)).subarray(px, 2 * px);
  return { pixels: Uint8Array.from(pixels), data: Float32Array.from(pixels, (b) => b / 255) };
}

describe('Trust on an ONNX model', () => {
  it('channel gradients through the ONNX plan equal the TF.js ones on the same weights', async () => {
    const m = bundled();
    const dir = path.join(ROOT, 'models', path.dirname(m.modelUrl));
    const tfjs = await loadModelFromFiles(
      fs
        .readdirSync(dir)
        .filter((f) => /\.(json|bin)$/.test(f) && f !== 'card.json' && f !== 'labels.json')
        .map((f) => diskFile(path.join(dir, f))),
      { preset: { preprocessing: m.preprocessing, labels: m.labels, outputKind: m.outputKind } },
    );
    const ta = createLayersAdapter(tfjs.model as tf.LayersModel, tfjs.info);
    const { adapter: oa, info } = await loadOnnxModel(corpusFiles(entry()), {
      card: { labels: m.labels, normalization: m.preprocessing.normalization, outputKind: m.outputKind },
    });
    const before = tf.memory().numTensors;
    try {
      expect(typeof oa.channelGradients).toBe('function');
      const tLayer = tfjs.info.spatialLayers.at(-1) as string;
      const oLayer = info.spatialLayers.at(-1) as string;
      const x = tf.tensor4d(trouser().data, [1, 28, 28, 1]);
      for (const channel of [0, 7, 31]) {
        const t = ta.channelGradients!(x, tLayer, channel);
        const o = oa.channelGradients(x, oLayer, channel);
        const [tm, om, tg, og] = await Promise.all([t.means.data(), o.means.data(), t.grads.data(), o.grads.data()]);
        expect(Math.abs((om[0] as number) - (tm[0] as number))).toBeLessThan(
          1e-4 * Math.max(1, Math.abs(tm[0] as number)),
        );
        const r = pearson(tg as Float32Array, og as Float32Array);
        if ((tm[0] as number) > 0) expect(r, `channel ${channel}`).toBeGreaterThan(0.9999);
        tf.dispose([t.grads, t.means, o.grads, o.means]);
      }
      expect(() => oa.channelGradients(x, oLayer, 10_000)).toThrow(/out of range/);
      x.dispose();
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      ta.dispose();
      oa.dispose();
    }
  }, 120_000);

  it('weightsTopDown lists the learned nodes from the output down, never a structural constant', async () => {
    const { adapter } = await loadOnnxModel(corpusFiles(entry()), {});
    try {
      const steps = weightsTopDown(adapter.plan);
      const ops = steps.map((s) => adapter.plan.steps.find((p) => p.name === s.name)?.op);
      expect(ops).toEqual(['Gemm', 'Gemm', 'Conv', 'Conv', 'Conv']);
      // Conv: filter and bias; Gemm: matrix and bias (the bundled model has 130,890 parameters).
      const total = steps.flatMap((s) => s.weights).reduce((a, w) => a + w.size, 0);
      expect(total).toBe(adapter.plan.paramCount);
      expect(steps.every((s) => s.weights.length === 2)).toBe(true);
    } finally {
      adapter.dispose();
    }
  }, 60_000);

  it("the sanity check re-draws a copy's weighted nodes top-down; the user's model is untouched; no tensor left", async () => {
    const core = createWorkerCore();
    const files = entry().files.map((f) => {
      const bytes = fs.readFileSync(path.join(CORPUS_DIR, f));
      return new File([Uint8Array.from(bytes)], f);
    });
    const { info } = await core.api.loadFromFiles(files, {});
    expect(info.format).toBe('onnx');
    const img = await core.api.addPixels(trouser().pixels, 28, 28, 1, 'trouser');
    const req = { modelId: info.id, imageId: img.id, method: 'saliency' as const, target: 1, config: {} };
    const predBefore = await core.api.predict(info.id, img.id);
    const mapBefore = (await core.api.explain('m', req)).values;
    const r = await core.api.sanityCheck('s', req);
    expect(r.steps).toHaveLength(5);
    expect(r.original).toEqual(mapBefore); // the copy starts as the user's model
    // Re-drawing the classifier already changes a gradient map; with every layer re-drawn it is unrelated.
    expect(r.steps[0]!.spearman).toBeLessThan(0.9);
    expect(Math.abs(r.steps.at(-1)!.spearman)).toBeLessThan(0.5);
    expect(r.verdict).toBe('passes');
    expect((await core.api.predict(info.id, img.id)).probs).toEqual(predBefore.probs);
    expect((await core.api.explain('m', req)).values).toEqual(mapBefore);
    const before = tf.memory().numTensors;
    await core.api.sanityCheck('s', { ...req, maxSteps: 2 });
    expect(tf.memory().numTensors).toBe(before);
    await core.api.unload(info.id);
  }, 180_000);
});
