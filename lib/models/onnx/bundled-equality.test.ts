/**
 * Explanation equality: the bundled TF.js models, rebuilt in PyTorch from their own weights and exported
 * with torch.onnx.export (scripts/corpus/export_torchvision.py), give the same explanations through the ONNX
 * adapter as through the TF.js one: Pearson r ≥ 0.999 for every registered method, on WASM (all bundled models) and CPU (mnist-cnn).
 */
import * as tf from '@tensorflow/tfjs';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listMethods } from '@/lib/explain/registry';
import { pearson } from '@/lib/metrics';
import type { ImageInput } from '@/lib/explain/types';
import { createLayersAdapter } from '@/lib/models/adapter';
import { loadModelFromFiles } from '@/lib/models/load';
import type { Manifest } from '@/lib/models/types';
import { switchBackend, TEST_BACKENDS } from '@/lib/testing/backends';
import { loadOnnxModel } from './load';
import { corpusFiles, corpusManifest, diskFile } from './test-corpus';

const ROOT = process.cwd();
const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'models', 'manifest.json'), 'utf8')) as Manifest;
const bundled = corpusManifest().models.filter((m) => m.bundledId);

const CONFIGS: Record<string, Record<string, unknown>> = {
  smoothgrad: { numSamples: 4, batchSize: 4 },
  'integrated-gradients': { steps: 16, batchSize: 16, rule: 'midpoint' },
  occlusion: { windowSize: 7, stride: 7, batchSize: 16 },
  rise: { numMasks: 64, batchSize: 32, gridSize: 7 },
  'guided-ig': { steps: 8, baseline: 'noise' },
};

/** Test image `index` of the model's bundled evaluation set, plus ±0.002 seeded noise (no exact MaxPool ties). */
function testImage(datasetId: string, index: number): ImageInput {
  const ds = manifest.datasets.find((d) => d.id === datasetId);
  if (!ds) throw new Error(`dataset ${datasetId} is not in models/manifest.json`);
  const px = ds.height * ds.width * ds.channels;
  const bytes = fs.readFileSync(path.join(ROOT, 'models', ds.imagesUrl)).subarray(index * px, (index + 1) * px);
  let s = 777 + index;
  const noise = (): number => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return (s / 4294967296 - 0.5) * 0.004;
  };
  return { width: ds.width, height: ds.height, channels: ds.channels, data: Float32Array.from(bytes, (b) => 0.005 + 0.99 * (b / 255) + noise()) };
}

const report: string[] = [];

describe.each(TEST_BACKENDS)('bundled models: ONNX explanations equal TF.js explanations (%s)', (backend) => {
  it('the corpus holds every bundled model', () => {
    expect(bundled.map((b) => b.bundledId).sort()).toEqual(manifest.models.map((m) => m.id).sort());
  });

  // CPU (pure JS, ~10× slower than WASM): the smallest model; WASM: all of them.
  const cases = bundled.filter((b) => backend === 'wasm' || b.bundledId === 'mnist-cnn');
  it.each(cases.map((b) => [b.bundledId as string, b] as const))('%s', async (id, entry) => {
    await switchBackend(backend);
    const m = manifest.models.find((x) => x.id === id);
    if (!m) throw new Error(`${id} is not in models/manifest.json`);
    const dir = path.join(ROOT, 'models', path.dirname(m.modelUrl));
    const before = tf.memory().numTensors;
    const tfjs = await loadModelFromFiles(
      fs.readdirSync(dir).filter((f) => /\.(json|bin)$/.test(f) && f !== 'card.json' && f !== 'labels.json').map((f) => diskFile(path.join(dir, f))),
      { preset: { preprocessing: m.preprocessing, labels: m.labels, outputKind: m.outputKind } },
    );
    const ta = createLayersAdapter(tfjs.model as tf.LayersModel, tfjs.info);
    const { adapter: oa, info } = await loadOnnxModel(corpusFiles(entry), { card: { labels: m.labels, normalization: m.preprocessing.normalization, outputKind: m.outputKind } });
    try {
      expect(info.inputShape).toEqual(tfjs.info.inputShape);
      expect(info.numClasses).toBe(tfjs.info.numClasses);
      // The default Grad-CAM layer is the same layer in both: the last conv block's ReLU.
      const tLayer = tfjs.info.layers.find((l) => l.name === tfjs.info.spatialLayers.at(-1));
      const oLayer = info.layers.find((l) => l.name === info.spatialLayers.at(-1));
      expect(oLayer?.className).toBe('Relu');
      expect(oLayer?.outputShape).toEqual(tLayer?.outputShape);
      const img = testImage(m.datasetId ?? '', 3);
      const rs: string[] = [];
      for (const method of listMethods()) {
        const cfg = { ...method.quickConfig, ...CONFIGS[method.id] };
        const a = await method.run(ta, img, 1, cfg);
        const b = await method.run(oa, img, 1, cfg);
        const r = pearson(a.values, b.values);
        // null = a constant map on either side, which is not agreement.
        if (r === null) throw new Error(`${id} ${method.id} on ${backend}: a constant map, no correlation`);
        rs.push(`${method.id} ${r.toFixed(7)}`);
        expect(r, `${id} ${method.id} on ${backend}`).toBeGreaterThanOrEqual(0.999);
      }
      report.push(`${backend} ${id}: ${rs.join(', ')}`);
    } finally {
      ta.dispose();
      oa.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  }, 300_000);
});

afterAll(() => console.log(report.join('\n')));
