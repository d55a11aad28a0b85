/**
 * Every explanation method on a Keras model loaded from a `.keras` file (the residual fixture: strided
 * conv without bias, depthwise, 1×1 conv, Add skip, ReLU6, separable conv, average pooling), on CPU and
 * WASM: finite, non-constant maps, the two backends agree, no tensor leaks. Plus the gradient methods on
 * MobileNetV2 (depthwise convs everywhere: the portable depthwise gradient on WASM).
 */
import { afterAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { createLayersAdapter } from '@/lib/models/adapter';
import type { ImageInput } from '@/lib/models/adapter-types';
import { compatibleMethods, listMethods, runMethod } from '@/lib/explain/registry';
import type { Attribution } from '@/lib/explain/types';
import { switchBackend, TEST_BACKENDS, type TestBackend } from '@/lib/testing/backends';
import { loadKerasModel } from './load';
import { fixtureFile, readReference, type FixtureName } from './__fixtures__/fixtures';

/** Cheap but real settings (every method still does its full algorithm). */
const CONFIGS: Record<string, Record<string, unknown>> = {
  smoothgrad: { numSamples: 4, batchSize: 4 },
  'integrated-gradients': { steps: 16, batchSize: 16 },
  occlusion: { windowSize: 8, stride: 8, batchSize: 36 },
  rise: { numMasks: 48, batchSize: 16, gridSize: 6 },
};

/** The first reference image of a fixture as an ImageInput. */
function referenceImage(name: FixtureName): ImageInput {
  const ref = readReference(name);
  const [, h, w, c] = ref.input_shape;
  return { width: w, height: h, channels: c, data: Float32Array.from(ref.input.slice(0, h * w * c)) };
}

function expectUsableMap(a: Attribution, size: number, what: string): void {
  expect(a.values.length, what).toBe(size);
  let min = Infinity;
  let max = -Infinity;
  for (const v of a.values) {
    expect(Number.isFinite(v), `${what}: non-finite value`).toBe(true);
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  expect(max - min, `${what}: constant map`).toBeGreaterThan(0);
}

afterAll(async () => switchBackend('cpu'));

describe('every method on the Keras residual model', () => {
  it('runs on cpu and wasm: finite, non-constant, backends agree, no leaks', async () => {
    const results: Record<TestBackend, Record<string, Attribution>> = { cpu: {}, wasm: {} };
    const img = referenceImage('residual');
    for (const backend of TEST_BACKENDS) {
      await switchBackend(backend);
      const loaded = await loadKerasModel([fixtureFile('residual.keras')]);
      const adapter = createLayersAdapter(loaded.model, loaded.info);
      try {
        const methods = compatibleMethods(adapter.info);
        expect(methods.map((m) => m.id).sort()).toEqual(listMethods().map((m) => m.id).sort());
        expect(methods.length).toBe(listMethods().length);
        expect(methods.length).toBeGreaterThanOrEqual(8);
        const target = 1;
        const runAll = async (): Promise<void> => {
          for (const m of methods) {
            const a = await runMethod(m.id, adapter, img, target, CONFIGS[m.id] ?? m.quickConfig);
            expectUsableMap(a, 48 * 48, `${backend} ${m.id}`);
            results[backend][m.id] = a;
          }
        };
        const before = tf.memory().numTensors;
        await runAll();
        await runAll();
        expect(tf.memory().numTensors, `${backend}: tensors leaked`).toBe(before);
      } finally {
        adapter.dispose();
      }
    }
    for (const m of listMethods()) {
      const c = results.cpu[m.id] as Attribution;
      const w = results.wasm[m.id] as Attribution;
      const scale = Math.max(...Array.from(c.values, Math.abs));
      expect(scale, m.id).toBeGreaterThan(0);
      let d = 0;
      c.values.forEach((v, i) => (d = Math.max(d, Math.abs(v - (w.values[i] as number)))));
      expect(d / scale, `${m.id}: cpu vs wasm`).toBeLessThan(1e-3);
    }
  });
});

describe('gradient methods on the Keras MobileNetV2 (depthwise convs) on wasm', () => {
  it('saliency and Grad-CAM give usable maps that match cpu', async () => {
    const img = referenceImage('mobilenetv2-a035-96');
    const ids = ['saliency', 'grad-cam'] as const;
    const out: Record<string, Record<string, Attribution>> = {};
    for (const backend of TEST_BACKENDS) {
      await switchBackend(backend);
      const loaded = await loadKerasModel([fixtureFile('mobilenetv2-a035-96.h5')]);
      const adapter = createLayersAdapter(loaded.model, loaded.info);
      try {
        const before = tf.memory().numTensors;
        out[backend] = {};
        for (const id of ids) {
          const a = await runMethod(id, adapter, img, 2, {});
          expectUsableMap(a, 96 * 96, `${backend} ${id}`);
          (out[backend] as Record<string, Attribution>)[id] = a;
        }
        expect(tf.memory().numTensors).toBe(before);
      } finally {
        adapter.dispose();
      }
    }
    for (const id of ids) {
      const c = out.cpu?.[id] as Attribution;
      const w = out.wasm?.[id] as Attribution;
      const scale = Math.max(...Array.from(c.values, Math.abs));
      let d = 0;
      c.values.forEach((v, i) => (d = Math.max(d, Math.abs(v - (w.values[i] as number)))));
      expect(d / scale, `${id}: cpu vs wasm`).toBeLessThan(1e-3);
    }
  });
});
