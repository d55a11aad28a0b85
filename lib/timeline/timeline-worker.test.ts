/**
 * The timeline's worker path in Node (tfjs CPU) over the bundled checkpoints: every checkpoint loads as a
 * model through the bundled loader, predicts, explains and evaluates; the start checkpoint answers like
 * fashion-pretrained, the last like the bundled fashion-finetuned; after unloading, the tensor count is back
 * at its baseline, twice. Slow on tfjs CPU (about a minute idle): each checkpoint is a real model.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseManifest } from '@/lib/models/manifest';
import type { Manifest, ManifestDataset, ManifestModel } from '@/lib/models/types';
import { switchBackend } from '@/lib/testing/backends';
import { fileFetch } from '@/lib/testing/file-fetch';
import { createWorkerCore } from '@/lib/runtime/worker-core';
import { accuracyOf, checkpointEntry, parseCheckpoints, type CheckpointSet } from './index';

const MANIFEST_URL = new URL('../../models/manifest.json', import.meta.url).href;
const SMALL_N = 10;
let manifest: Manifest;
let parent: ManifestModel;
let set: CheckpointSet;
let small: { entry: ManifestDataset; manifestUrl: string };

const present = existsSync(fileURLToPath(new URL('../../models/fashion-finetuned/checkpoints.json', import.meta.url)));

beforeAll(async () => {
  if (!present) return;
  await switchBackend('cpu');
  vi.stubGlobal('fetch', fileFetch);
  manifest = parseManifest(await readFile(fileURLToPath(MANIFEST_URL), 'utf8'), MANIFEST_URL);
  parent = manifest.models.find((m) => m.checkpointsUrl) as ManifestModel;
  const url = parent.checkpointsUrl as string;
  set = parseCheckpoints(JSON.parse(await readFile(fileURLToPath(url), 'utf8')), url);
  const ds = manifest.datasets.find((d) => d.id === parent.datasetId) as ManifestDataset;
  const dir = await mkdtemp(path.join(tmpdir(), 'why-timeline-'));
  const size = ds.width * ds.height * ds.channels;
  await writeFile(
    path.join(dir, 'images.u8'),
    (await readFile(fileURLToPath(ds.imagesUrl))).subarray(0, SMALL_N * size),
  );
  await writeFile(path.join(dir, 'labels.u8'), (await readFile(fileURLToPath(ds.labelsUrl))).subarray(0, SMALL_N));
  small = {
    entry: { ...ds, id: 'small', count: SMALL_N, imagesUrl: 'images.u8', labelsUrl: 'labels.u8' },
    manifestUrl: pathToFileURL(path.join(dir, 'manifest.json')).href,
  };
});
afterAll(() => {
  vi.unstubAllGlobals();
});

describe.skipIf(!present)('timeline worker path over the bundled checkpoints', () => {
  it('load → predict → explain → evaluate every checkpoint → unload: start = fashion-pretrained, end = the bundled model; no tensor left, twice', async () => {
    const core = createWorkerCore();
    await core.api.loadBundledDataset(small.entry, small.manifestUrl);
    const img = await core.api.addDatasetImage('small', 0);
    const reference = async (id: string) => {
      const m = manifest.models.find((x) => x.id === id) as ManifestModel;
      await core.api.loadBundled(m, MANIFEST_URL);
      const probs = (await core.api.predict(id, img.id)).probs;
      await core.api.unload(id);
      return probs;
    };
    const pretrained = await reference('fashion-pretrained');
    const bundled = await reference(parent.id);
    for (let round = 0; round < 2; round++) {
      const before = tf.memory().numTensors;
      const all = set.checkpoints.map((cp) => checkpointEntry(parent, cp));
      // the second round (the leak check's repeat) takes the first two and the last checkpoint only
      const entries = round === 0 ? all : [all[0], all[1], all.at(-1)].filter((e) => e !== undefined);
      const probs: Float32Array[] = [];
      const sums: number[] = [];
      const accuracies: number[] = [];
      for (const e of entries) {
        const info = await core.api.loadBundled(e, MANIFEST_URL);
        expect(info).toMatchObject({ id: e.id, numClasses: 10, inputShape: [28, 28, 1] });
        probs.push((await core.api.predict(e.id, img.id)).probs);
        const a = await core.api.explain(`tl#${round}`, {
          modelId: e.id,
          imageId: img.id,
          method: 'grad-cam',
          target: 0,
          config: {},
        });
        expect(a.values.every(Number.isFinite)).toBe(true);
        sums.push(a.values.reduce((s, v) => s + v, 0));
        const r = await core.api.evaluate(`tl-eval#${round}`, e.id, 'small', { batchSize: 5 });
        accuracies.push(accuracyOf(r.probs, r.labels, r.k));
      }
      for (let c = 0; c < 10; c++) {
        expect(probs[0]?.[c]).toBeCloseTo(pretrained[c] as number, 5);
        expect(probs.at(-1)?.[c]).toBeCloseTo(bundled[c] as number, 4);
      }
      // fine-tuning changes the answers and the maps: epoch 1 is not the start
      expect(
        Math.max(...Array.from(probs[1] as Float32Array, (p, c) => Math.abs(p - (pretrained[c] as number)))),
      ).toBeGreaterThan(1e-3);
      expect(new Set(sums.map((s) => s.toFixed(4))).size).toBeGreaterThan(1);
      expect(accuracies.every((a) => a >= 0 && a <= 1)).toBe(true);
      for (const e of entries) await core.api.unload(e.id);
      expect(tf.memory().numTensors).toBe(before);
    }
  }, 400_000);
});
