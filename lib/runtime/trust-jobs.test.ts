/**
 * The Trust jobs through the real worker core (tfjs CPU and WASM) on the bundled fashion-finetuned model and
 * its evaluation set, read from models/ through a file:// fetch: one image's curves, the set-level
 * averages, cancellation by request id, no tensors left behind, and bad requests refused in words.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseManifest } from '@/lib/models/manifest';
import type { Manifest } from '@/lib/models/types';
import { TEST_BACKENDS, switchBackend } from '@/lib/testing/backends';
import { createWorkerCore } from './worker-core';

const MANIFEST_URL = new URL('../../models/manifest.json', import.meta.url).href;
const MODEL = 'fashion-finetuned';
let manifest: Manifest;

beforeAll(async () => {
  vi.stubGlobal(
    'fetch',
    async (u: RequestInfo | URL) => new Response(new Uint8Array(await readFile(fileURLToPath(String(u))))),
  );
  manifest = parseManifest(await readFile(fileURLToPath(MANIFEST_URL), 'utf8'));
});
afterAll(() => vi.unstubAllGlobals());

async function ready() {
  const core = createWorkerCore();
  const entry = manifest.models.find((m) => m.id === MODEL);
  const ds = manifest.datasets?.find((d) => d.id === 'fashion-test-2k');
  if (!entry || !ds) throw new Error('the bundled fashion model or its set is missing from the manifest');
  await core.api.loadBundled(entry, MANIFEST_URL);
  await core.api.loadBundledDataset(ds, MANIFEST_URL);
  const img = await core.api.addDatasetImage(ds.id, 0);
  return { core, datasetId: ds.id, imageId: img.id };
}

describe.each(TEST_BACKENDS)('Trust jobs on %s', (backend) => {
  beforeAll(() => switchBackend(backend));

  // The full run on WASM only (the worker's backend in headless Chromium; tfjs CPU in Node takes ~1 min for
  // it here): lib/trust/curves.test.ts runs the same curves on both backends.
  it.runIf(backend === 'wasm')(
    "one image: a saliency map's curves against the floor; set level: averages per method; no leak",
    async () => {
      const { core, datasetId, imageId } = await ready();
      const pred = await core.api.predict(MODEL, imageId);
      const target = pred.probs.indexOf(Math.max(...pred.probs));
      const a = await core.api.explain('x', { modelId: MODEL, imageId, method: 'saliency', target, config: {} });
      const single = () =>
        core.api.faithfulness('f', { modelId: MODEL, imageId, target, values: a.values, steps: 6, randomRepeats: 1 });
      const r = await single();
      expect(r.deletion.probs).toHaveLength(7);
      expect(r.deletion.probs[0]).toBeCloseTo(pred.probs[target] as number, 4);
      expect(r.deletion.auc).toBeGreaterThanOrEqual(0);
      expect(r.insertion.auc).toBeLessThanOrEqual(1);
      const set = () =>
        core.api.faithfulnessSet('s', {
          modelId: MODEL,
          datasetId,
          n: 2,
          steps: 6,
          randomRepeats: 1,
          methods: [
            { method: 'saliency', config: {} },
            { method: 'gradient-x-input', config: {} },
          ],
        });
      const seen: number[] = [];
      const s = await core.api.faithfulnessSet(
        's',
        { modelId: MODEL, datasetId, n: 3, steps: 6, randomRepeats: 1, methods: [{ method: 'saliency', config: {} }] },
        (f) => seen.push(f),
      );
      expect(s.n).toBe(3);
      expect(s.methods.map((m) => [m.method, m.n])).toEqual([['saliency', 3]]);
      expect(s.randomDeletion).toBeGreaterThan(0);
      expect(seen.at(-1)).toBe(1);
      expect(seen.every((f, i) => i === 0 || f >= (seen[i - 1] as number))).toBe(true);
      const before = tf.memory().numTensors;
      await single();
      await set();
      await single();
      const twice = await set();
      expect(tf.memory().numTensors).toBe(before);
      expect(twice.methods.map((m) => m.method)).toEqual(['saliency', 'gradient-x-input']);
      for (const m of twice.methods) {
        expect(m.deletion).toBeGreaterThanOrEqual(0);
        expect(m.insertion).toBeLessThanOrEqual(1);
        expect(m.error).toBeUndefined();
      }
      core.api.unload(MODEL);
    },
    180_000,
  );

  it.runIf(backend === 'wasm')(
    "sanity check: on a fresh copy (the user's model untouched), maps in a row, no tensor left",
    async () => {
      const { core, imageId } = await ready();
      const req = { modelId: MODEL, imageId, method: 'saliency' as const, target: 1, config: {} };
      const mapNow = async () => (await core.api.explain('m', { ...req, config: {} })).values;
      const predBefore = await core.api.predict(MODEL, imageId);
      const mapBefore = await mapNow();
      const first = await core.api.sanityCheck('s', { ...req, maxSteps: 2 });
      expect(first.steps).toHaveLength(2);
      expect(first.original).toEqual(mapBefore); // the copy starts as the user's model
      expect(first.steps[0]!.spearman).toBeLessThan(0.99);
      const before = tf.memory().numTensors;
      const full = await core.api.sanityCheck('s', req);
      await core.api.sanityCheck('s', { ...req, maxSteps: 1 });
      expect(tf.memory().numTensors).toBe(before);
      expect(full.verdict).toBe('passes');
      expect((await core.api.predict(MODEL, imageId)).probs).toEqual(predBefore.probs);
      expect(await mapNow()).toEqual(mapBefore);
      core.api.unload(MODEL);
    },
    180_000,
  );

  it.runIf(backend === 'wasm')(
    'attack: FGSM stays within ε; robustness over the set falls with ε; no leak',
    async () => {
      const { core, datasetId, imageId } = await ready();
      const pred = await core.api.predict(MODEL, imageId);
      const source = pred.probs.indexOf(Math.max(...pred.probs));
      const req = { modelId: MODEL, imageId, source, target: null, levels: 8, steps: 1 };
      const a = await core.api.attack('a', req);
      for (const v of a.delta) expect(Math.abs(v)).toBeLessThanOrEqual(8 / 255 + 1e-6);
      if (a.flipEpsilon !== null && a.flipEpsilonPgd !== null) expect(a.flipEpsilonPgd).toBeLessThanOrEqual(32 / 255);
      expect(a.probsBefore).toEqual(pred.probs);
      expect(a.probsAfter[source]).toBeLessThan(a.probsBefore[source] as number);
      const setReq = { modelId: MODEL, datasetId, n: 6, epsilons: [0, 2 / 255, 16 / 255], sigmas: [0, 0.2] };
      const r = await core.api.robustnessSet('r', setReq);
      expect(r.n).toBe(6);
      expect(r.fgsmAccuracy[0]).toBe(r.cleanAccuracy); // ε = 0 changes nothing
      expect(r.noiseAccuracy[0]).toBe(r.cleanAccuracy);
      expect(r.fgsmAccuracy[2]).toBeLessThanOrEqual(r.fgsmAccuracy[1] as number);
      expect(r.classCounts.reduce((x, y) => x + y, 0)).toBe(6);
      expect(r.medianFlipPgd).toBeUndefined();
      const withPgd = await core.api.robustnessSet('r', { ...setReq, n: 2, pgdFlip: true });
      expect(withPgd.medianFlipPgd === null || withPgd.medianFlipPgd! <= 32 / 255).toBe(true);
      const before = tf.memory().numTensors;
      await core.api.attack('a', { ...req, steps: 3 });
      await core.api.robustnessSet('r', setReq);
      await core.api.attack('a', { ...req, steps: 3 });
      await core.api.robustnessSet('r', setReq);
      expect(tf.memory().numTensors).toBe(before);
      await expect(core.api.attack('a', { ...req, levels: 99 })).rejects.toThrow(/grey levels/);
      core.api.unload(MODEL);
    },
    180_000,
  );

  it.runIf(backend === 'wasm')(
    'feature maps of a layer, the set images that activate a channel most, fooling images, feature visualisation',
    async () => {
      const { core, datasetId, imageId } = await ready();
      const info = await core.api.loadBundled(
        manifest.models.find((m) => m.id === MODEL)!,
        MANIFEST_URL,
      );
      const layer = info.spatialLayers[0] as string;
      const a = await core.api.activations('a', { modelId: MODEL, imageId, layer });
      expect(a.values).toHaveLength(a.height * a.width * a.channels);
      expect(a.means).toHaveLength(a.channels);
      const req = { modelId: MODEL, datasetId, layer, channel: 0, n: 40, top: 5 };
      const t = await core.api.topActivating('t', req);
      expect(t.indices).toHaveLength(5);
      expect(t.means).toEqual([...t.means].sort((x, y) => y - x));
      expect(t.scanned).toBe(40);
      const before = tf.memory().numTensors;
      await core.api.activations('a', { modelId: MODEL, imageId, layer });
      await core.api.topActivating('t', req);
      await core.api.activations('a', { modelId: MODEL, imageId, layer });
      await core.api.topActivating('t', req);
      expect(tf.memory().numTensors).toBe(before);
      await expect(core.api.topActivating('t', { ...req, channel: 9999 })).rejects.toThrow(/out of range/);
      const fool = await core.api.fooling('f', {
        modelId: MODEL,
        target: 8,
        start: 'grey',
        steps: 8,
        regularise: true,
      });
      expect(fool.trajectory).toHaveLength(9);
      expect(fool.trajectory[8]).toBeGreaterThan(fool.trajectory[0] as number);
      expect(fool.data).toHaveLength(28 * 28);
      const visReq = { modelId: MODEL, layer, channel: 1, start: 'grey' as const, steps: 6, regularise: false };
      const vis = await core.api.featureVis('v', visReq);
      expect(vis.trajectory).toHaveLength(7);
      for (let i = 1; i < 7; i++)
        expect(vis.trajectory[i]).toBeGreaterThanOrEqual((vis.trajectory[i - 1] as number) - 1e-6);
      expect(vis.trajectory[6]).toBeGreaterThan(vis.trajectory[0] as number);
      const visBefore = tf.memory().numTensors;
      await core.api.featureVis('v', { ...visReq, regularise: true });
      expect(tf.memory().numTensors).toBe(visBefore);
      await expect(core.api.featureVis('v', { ...visReq, channel: 9999 })).rejects.toThrow(/out of range/);
      await expect(core.api.activations('a', { modelId: MODEL, imageId, layer: 'nope' })).rejects.toThrow(/spatial/);
      core.api.unload(MODEL);
    },
    180_000,
  );

  it('cancels by request id and refuses bad requests in words', async () => {
    const { core, datasetId, imageId } = await ready();
    const before = tf.memory().numTensors;
    const run = core.api.faithfulnessSet(
      'cancel-me',
      { modelId: MODEL, datasetId, n: 50, methods: [{ method: 'saliency', config: {} }] },
      () => void core.api.cancel('cancel-me'),
    );
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(tf.memory().numTensors).toBe(before);
    await expect(
      core.api.faithfulness('b', { modelId: MODEL, imageId, target: 0, values: new Float32Array(5) }),
    ).rejects.toThrow(/5 values/);
    await expect(
      core.api.faithfulnessSet('b', { modelId: MODEL, datasetId, n: 0, methods: [{ method: 'saliency', config: {} }] }),
    ).rejects.toThrow(/at least one image/);
    await expect(core.api.faithfulnessSet('b', { modelId: MODEL, datasetId, n: 2, methods: [] })).rejects.toThrow(
      /at least one method/,
    );
    await expect(
      core.api.faithfulness('b', { modelId: 'nope', imageId, target: 0, values: new Float32Array(784) }),
    ).rejects.toThrow(/not loaded/);
    core.api.unload(MODEL);
  });
});
