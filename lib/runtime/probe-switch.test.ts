/**
 * The run-time backend switch of the worker core (`switchBackend`, the backend menu and — later — WebGL
 * context loss) and the per-backend speed measurement, in Node over the bundled MNIST CNN: the model is
 * reloaded on the new backend and predicts the same, the probe re-runs there, the speeds are measured on
 * every available backend without changing the active one, and the tensor count returns to its value.
 */
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseManifest } from '@/lib/models/manifest';
import { MANIFEST_URL, setUpWorkerTests } from '@/lib/testing/worker-env';
import { createWorkerCore } from './worker-core';

setUpWorkerTests();

describe('worker core: switchBackend', () => {
  it('reloads the models on the new backend, re-probes there, measures every backend, leaks nothing', async () => {
    const core = createWorkerCore();
    const manifest = parseManifest(await readFile(fileURLToPath(MANIFEST_URL), 'utf8'));
    const entry = manifest.models.find((m) => m.id === 'mnist-cnn');
    if (!entry) throw new Error('mnist-cnn is not in the manifest');
    await core.api.loadBundled(entry, MANIFEST_URL);
    const pixels = Uint8Array.from({ length: 28 * 28 }, (_, i) => (i * 37) % 256);
    const img = await core.api.addPixels(pixels, 28, 28, 1, 'pattern');
    const onCpu = await core.api.predict(entry.id, img.id);
    const probeCpu = await core.api.probe(entry.id);
    expect(probeCpu.backend).toBe('cpu');
    const count = tf.memory().numTensors;

    const report = await core.switchBackend('wasm');
    expect(report).toMatchObject({ backend: 'wasm', reason: 'chosen in the backend menu' });
    expect(report.available).toEqual(['wasm', 'cpu']);
    expect(tf.getBackend()).toBe('wasm');
    const onWasm = await core.api.predict(entry.id, img.id);
    for (let k = 0; k < onCpu.probs.length; k++) expect(onWasm.probs[k]).toBeCloseTo(onCpu.probs[k] as number, 4);
    const probeWasm = await core.api.probe(entry.id);
    expect(probeWasm.backend).toBe('wasm');
    expect(probeWasm).not.toBe(probeCpu);
    expect(Object.values(probeWasm.methods).filter((v) => !v.ok)).toEqual([]);
    expect(await core.api.probe(entry.id)).toBe(probeWasm);

    const speeds = await core.api.backendSpeeds(entry.id);
    expect(speeds.map((s) => s.backend)).toEqual(['wasm', 'cpu']);
    for (const s of speeds) expect(s.ms, s.backend).toBeGreaterThan(0);
    expect(tf.getBackend()).toBe('wasm');

    await core.api.switchBackend('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(tf.memory().numTensors).toBe(count);
    await core.api.unload(entry.id);
  });

  it('refuses an unknown backend in words and stays where it was', async () => {
    const core = createWorkerCore();
    await expect(core.switchBackend('metal' as 'cpu')).rejects.toThrow(/"metal" is not a backend/);
    expect(tf.getBackend()).toBe('cpu');
  });
});
