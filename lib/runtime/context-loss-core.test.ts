/**
 * WebGL context loss through the real worker core in Node (tfjs CPU stands in for WebGL: a fake GL
 * context is "active" while CPU is): an explanation running when the context is lost fails with the
 * message at once, a prediction in flight is answered on the rebuilt backend, the models are reloaded on
 * WASM and predict as before, the page's watcher hears of it, and the tensor count returns to its value —
 * twice (the second loss too).
 */
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseManifest } from '@/lib/models/manifest';
import { MANIFEST_URL, setUpWorkerTests } from '@/lib/testing/worker-env';
import { CONTEXT_LOST_MESSAGE } from './context-loss';
import { fakeGLContext } from '@/lib/testing/fake-gl';
import type { BackendChange } from './protocol';
import { createWorkerCore } from './worker-core';

setUpWorkerTests();

/** A fake GL context that is "the active one" while tfjs runs on CPU. */
function fakeContexts() {
  const gl = fakeGLContext();
  return { ...gl, current: () => (tf.getBackend() === 'cpu' ? gl.target : null) };
}

async function until(ok: () => boolean, ms = 10_000) {
  const t0 = Date.now();
  while (!ok() && Date.now() - t0 < ms) await new Promise((r) => setTimeout(r, 20));
}

describe('worker core: WebGL context loss', () => {
  it('fails the running explanation, answers the prediction, reloads on WASM, tells the page, leaks nothing (twice)', async () => {
    const gl = fakeContexts();
    const core = createWorkerCore({ glTarget: gl.current });
    const changes: BackendChange[] = [];
    await core.api.watchBackend((c) => void changes.push(c));
    const manifest = parseManifest(await readFile(fileURLToPath(MANIFEST_URL), 'utf8'));
    const entry = manifest.models.find((m) => m.id === 'mnist-cnn');
    if (!entry) throw new Error('mnist-cnn is not in the manifest');
    await core.api.loadBundled(entry, MANIFEST_URL);
    const img = await core.api.addPixels(
      Uint8Array.from({ length: 28 * 28 }, (_, i) => (i * 37) % 256),
      28,
      28,
      1,
      'pattern',
    );
    const before = await core.api.predict(entry.id, img.id);
    const count = tf.memory().numTensors;

    for (const round of [1, 2]) {
      core.contextLoss.watch(); // as init does on the "WebGL" backend
      let lostOnce = false;
      const explaining = core.api.explain(
        `r${round}`,
        { modelId: entry.id, imageId: img.id, method: 'occlusion', target: 3, config: { windowSize: 4, stride: 2 } },
        () => {
          if (!lostOnce) {
            lostOnce = true;
            gl.lose();
          }
        },
      );
      const predicting = core.api.predict(entry.id, img.id);
      await expect(explaining).rejects.toThrow(CONTEXT_LOST_MESSAGE);
      const after = await predicting;
      expect(tf.getBackend()).toBe('wasm');
      for (let k = 0; k < before.probs.length; k++) expect(after.probs[k]).toBeCloseTo(before.probs[k] as number, 4);
      await until(() => changes.length === round);
      expect(changes[round - 1]).toMatchObject({
        report: {
          backend: 'wasm',
          reason: `the WebGL context was lost${round === 2 ? ' again' : ''}; the models were reloaded on WASM`,
        },
      });
      expect(core.contextLoss.losses).toBe(round);
      // The explanation runs on the new backend.
      const a = await core.api.explain(`ok${round}`, {
        modelId: entry.id,
        imageId: img.id,
        method: 'saliency',
        target: 3,
        config: {},
      });
      expect(a.values.length).toBe(28 * 28);
      // Back to the "WebGL" stand-in for the next round (the abandoned run has been aborted meanwhile).
      await core.switchBackend('cpu');
      gl.renew();
      await until(() => tf.memory().numTensors === count);
      expect(tf.memory().numTensors).toBe(count);
    }
    await core.api.unload(entry.id);
  });
});
