/**
 * Integration: every method on a real bundled model (models/fashion-finetuned: Conv2D(linear) → ReLU
 * layers, exactly the pattern whose fused-conv gradient fails on WASM with plain tfjs-layers), on CPU and
 * WASM, with the two backends agreeing. The model and its test set are committed with the repository, so
 * their absence is a failure (not a skip).
 */
import { afterAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createLayersAdapter } from '@/lib/models/adapter';
import { switchBackend, type TestBackend } from '@/lib/testing/backends';
import { infoFor } from '@/lib/testing/models';
import { attributionFor } from './catalog';
import { listMethods } from './registry';
import type { Attribution, ImageInput } from './types';

const DIR = path.join(process.cwd(), 'models', 'fashion-finetuned');
const DATA = path.join(process.cwd(), 'models', 'datasets', 'fashion-test-2k', 'images.u8');
const present = existsSync(path.join(DIR, 'model.json')) && existsSync(DATA);

async function loadBundled(): Promise<tf.LayersModel> {
  const json = JSON.parse(readFileSync(path.join(DIR, 'model.json'), 'utf8')) as {
    modelTopology: object;
    weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
  };
  const specs = json.weightsManifest.flatMap((g) => g.weights);
  const buffers = json.weightsManifest.flatMap((g) => g.paths.map((p) => readFileSync(path.join(DIR, p))));
  const all = Buffer.concat(buffers);
  const weightData = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength);
  return tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: specs, weightData }));
}

/**
 * The first test image plus tiny seeded noise (±0.002). Why the noise: on the black background many
 * activations tie exactly, and MaxPool's gradient breaks ties differently per backend (CPU routes the
 * gradient to the first maximum of a window, WASM to the last), so plain saliency on an image with exact
 * ties legitimately differs between backends (both are valid subgradients). Without ties they agree.
 */
function firstImage(): ImageInput {
  const bytes = readFileSync(DATA).subarray(0, 28 * 28);
  let s = 12345;
  const noise = () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return (s / 4294967296 - 0.5) * 0.004;
  };
  return {
    width: 28,
    height: 28,
    channels: 1,
    data: Float32Array.from(bytes, (b) => 0.005 + 0.99 * (b / 255) + noise()),
  };
}

const CONFIGS: Record<string, Record<string, unknown>> = {
  smoothgrad: { numSamples: 4, batchSize: 4 },
  // Midpoint: the all-black baseline itself (α = 0) is one big tie (see firstImage).
  'integrated-gradients': { steps: 32, batchSize: 32, rule: 'midpoint' },
  occlusion: { windowSize: 7, stride: 7, batchSize: 16 },
  rise: { numMasks: 64, batchSize: 32, gridSize: 7 },
  // Noise baseline: Guided IG's first gradient is taken AT the baseline, and the black one is a tie the
  // backends break differently; its path then selects different pixels (a discontinuous choice).
  'guided-ig': { steps: 16, baseline: 'noise' },
};

describe('bundled fashion model on cpu and wasm', () => {
  afterAll(async () => switchBackend('cpu'));

  it('the bundled model and its test images are present', () => {
    expect(present, `${DIR}/model.json and ${DATA} are committed with the repository; restore them`).toBe(true);
  });

  it('every method runs on both backends, agrees across them, and IG is complete', async () => {
    const results: Record<TestBackend, Record<string, Attribution>> = { cpu: {}, wasm: {} };
    for (const backend of ['cpu', 'wasm'] as const) {
      await switchBackend(backend);
      const model = await loadBundled();
      const adapter = createLayersAdapter(model, infoFor(model));
      expect(adapter.info.spatialLayers).toContain('relu3');
      const img = firstImage();
      const before = tf.memory().numTensors;
      for (const m of listMethods()) {
        const a = await m.run(adapter, img, 0, CONFIGS[m.id] ?? m.quickConfig);
        expect(a.values.length).toBe(28 * 28);
        expect(a.values.every((v) => Number.isFinite(v))).toBe(true);
        results[backend][m.id] = a;
      }
      expect(tf.memory().numTensors).toBe(before);
      const ig = attributionFor('integrated-gradients', results[backend]['integrated-gradients'] as Attribution);
      expect(ig.extras.completenessError).toBeLessThan(0.05);
      adapter.dispose();
    }
    for (const m of listMethods()) {
      const c = results.cpu[m.id] as Attribution;
      const w = results.wasm[m.id] as Attribution;
      const scale = Math.max(...Array.from(c.values, Math.abs), 1e-9);
      let maxDiff = 0;
      c.values.forEach((v, i) => (maxDiff = Math.max(maxDiff, Math.abs(v - (w.values[i] as number)))));
      expect(maxDiff / scale, m.id).toBeLessThan(1e-3);
    }
  });
});
