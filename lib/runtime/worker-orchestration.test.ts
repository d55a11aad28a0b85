/**
 * The worker side end to end in Node (tfjs CPU): the real worker core over the bundled models and
 * evaluation sets in models/, read through a file:// fetch. Load → predict → explain → evaluate → dispose
 * returns the tensor count to its baseline, twice; cancellation and bad input fail in words.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseManifest } from '@/lib/models/manifest';
import type { Manifest, ManifestDataset } from '@/lib/models/types';
import { switchBackend } from '@/lib/testing/backends';
import { fileFetch } from '@/lib/testing/file-fetch';
import { createWorkerCore } from './worker-core';
import { WorkerImages } from './worker-images';
import { WorkerModels } from './worker-models';

const MANIFEST_URL = new URL('../../models/manifest.json', import.meta.url).href;
let manifest: Manifest;
/** The first SMALL_N images of mnist-test-2k as a set of its own (tfjs CPU runs ~10 MNIST images/s here). */
const SMALL_N = 20;
let small: { entry: ManifestDataset; manifestUrl: string };

beforeAll(async () => {
  await switchBackend('cpu');
  vi.stubGlobal('fetch', fileFetch);
  manifest = parseManifest(await readFile(fileURLToPath(MANIFEST_URL), 'utf8'));
  const ds = dataset('mnist-test-2k');
  const dir = await mkdtemp(path.join(tmpdir(), 'why-worker-'));
  const size = ds.width * ds.height * ds.channels;
  const images = await readFile(fileURLToPath(new URL(ds.imagesUrl, MANIFEST_URL)));
  const labels = await readFile(fileURLToPath(new URL(ds.labelsUrl, MANIFEST_URL)));
  await writeFile(path.join(dir, 'images.u8'), images.subarray(0, SMALL_N * size));
  await writeFile(path.join(dir, 'labels.u8'), labels.subarray(0, SMALL_N));
  small = {
    entry: {
      ...ds,
      id: 'mnist-small',
      name: 'MNIST (first 20)',
      count: SMALL_N,
      imagesUrl: 'images.u8',
      labelsUrl: 'labels.u8',
    },
    manifestUrl: pathToFileURL(path.join(dir, 'manifest.json')).href,
  };
});
afterAll(() => {
  vi.unstubAllGlobals();
});

const entry = (id: string) => {
  const m = manifest.models.find((x) => x.id === id);
  if (!m) throw new Error(`no bundled model ${id}`);
  return m;
};
const dataset = (id: string) => {
  const d = manifest.datasets.find((x) => x.id === id);
  if (!d) throw new Error(`no bundled set ${id}`);
  return d;
};

describe('worker core over the bundled MNIST model', () => {
  it('load → image → predict → explain → unload returns to the baseline tensor count, twice', async () => {
    const core = createWorkerCore();
    const ds = dataset('mnist-test-2k');
    const pixels = new Uint8Array(await readFile(fileURLToPath(new URL(ds.imagesUrl, MANIFEST_URL))));
    const size = ds.width * ds.height * ds.channels;
    for (let round = 0; round < 2; round++) {
      const before = tf.memory().numTensors;
      const info = await core.api.loadBundled(entry('mnist-cnn'), MANIFEST_URL);
      expect(info).toMatchObject({ id: 'mnist-cnn', numClasses: 10, inputShape: [28, 28, 1] });
      // image 0 of the set is a 0 (labels.u8 starts 0, 1, 2, …)
      const img = await core.api.addPixels(pixels.slice(0, size), ds.width, ds.height, 1, 'mnist #0');
      const p = await core.api.predict('mnist-cnn', img.id);
      expect(p.probs).toHaveLength(10);
      expect(p.probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
      expect(p.probs.indexOf(Math.max(...p.probs))).toBe(0);
      const seen: number[] = [];
      const a = await core.api.explain(
        `t#${round}`,
        { modelId: 'mnist-cnn', imageId: img.id, method: 'saliency', target: 0, config: {} },
        (f) => seen.push(f),
      );
      expect([a.width, a.height, a.values.length]).toEqual([28, 28, 784]);
      expect(a.values.every(Number.isFinite)).toBe(true);
      expect(a.values.some((v) => v > 0)).toBe(true);
      const input = await core.api.modelInput('mnist-cnn', img.id);
      expect(input.data).toHaveLength(784);
      await core.api.removeImage(img.id);
      await core.api.unload('mnist-cnn');
      expect(tf.memory().numTensors).toBe(before);
    }
  });

  it('evaluate: posteriors for the whole set, progress to 1, accuracy as trained; no tensor left', async () => {
    const core = createWorkerCore();
    await core.api.loadBundled(entry('mnist-cnn'), MANIFEST_URL);
    const { meta, labels } = await core.api.loadBundledDataset(small.entry, small.manifestUrl);
    expect(meta).toMatchObject({ id: 'mnist-small', count: SMALL_N, source: 'bundled' });
    expect(Array.from(labels.subarray(0, 10))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const before = tf.memory().numTensors;
    const progress: number[] = [];
    const r = await core.api.evaluate('eval#1', 'mnist-cnn', 'mnist-small', { batchSize: 5 }, (f) => progress.push(f));
    expect(tf.memory().numTensors).toBe(before);
    expect([r.n, r.k, r.probs.length]).toEqual([SMALL_N, 10, SMALL_N * 10]);
    // Batches of at most 5 (sized by time, timed-batches.ts): progress rises in steps of ≤ 5/20 and ends at 1.
    expect(progress.at(-1)).toBe(1);
    progress.forEach((f, i) => expect(f - (progress[i - 1] ?? 0)).toBeGreaterThan(0));
    progress.forEach((f, i) => expect(f - (progress[i - 1] ?? 0)).toBeLessThanOrEqual(0.25 + 1e-9));
    let correct = 0;
    for (let i = 0; i < r.n; i++) {
      const row = Array.from(r.probs.subarray(i * 10, i * 10 + 10));
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
      if (row.indexOf(Math.max(...row)) === r.labels[i]) correct++;
    }
    expect(correct).toBeGreaterThanOrEqual(SMALL_N - 1); // 99 % on the full test set
    // an image of the set opened in the strip predicts like its row of the evaluation
    const img = await core.api.addDatasetImage('mnist-small', 3);
    const p = await core.api.predict('mnist-cnn', img.id);
    for (let c = 0; c < 10; c++) expect(p.probs[c]).toBeCloseTo(r.probs[3 * 10 + c] as number, 4);
    await core.api.unload('mnist-cnn');
  });

  it('cancel stops an evaluation between batches with an AbortError', async () => {
    const core = createWorkerCore();
    await core.api.loadBundled(entry('mnist-cnn'), MANIFEST_URL);
    await core.api.loadBundledDataset(small.entry, small.manifestUrl);
    const before = tf.memory().numTensors;
    const progress: number[] = [];
    const run = core.api.evaluate('eval#c', 'mnist-cnn', 'mnist-small', { batchSize: 2 }, (f) => {
      progress.push(f);
      if (progress.length === 1) void core.api.cancel('eval#c');
    });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(progress).toEqual([0.1]);
    expect(tf.memory().numTensors).toBe(before);
    await core.api.unload('mnist-cnn');
  });

  it('a damaged set (files not matching the manifest) is refused in words', async () => {
    const core = createWorkerCore();
    await expect(
      core.api.loadBundledDataset({ ...small.entry, count: SMALL_N + 1 }, small.manifestUrl),
    ).rejects.toThrow(/is damaged: its files do not match the manifest/);
  });
});

describe('worker registries: clear errors', () => {
  it('models: a model that is not loaded, a bundled model loaded once', async () => {
    const models = new WorkerModels();
    expect(() => models.get('nope')).toThrow('This model is not loaded (it may have been removed). Pick it again.');
    const a = await models.loadBundled(entry('mnist-cnn'), MANIFEST_URL);
    const count = tf.memory().numTensors;
    const b = await models.loadBundled(entry('mnist-cnn'), MANIFEST_URL);
    expect(b).toBe(a);
    expect(tf.memory().numTensors).toBe(count);
    models.unload('mnist-cnn');
    models.unload('mnist-cnn'); // twice is harmless
    await expect(
      models.loadBundled({ ...entry('mnist-cnn'), id: 'broken', modelUrl: 'missing/model.json' }, MANIFEST_URL),
    ).rejects.toThrow(/model\.json/);
  });

  it('images: pixel buffers must match their shape; a removed image says so', () => {
    const images = new WorkerImages();
    expect(() => images.addPixels(new Uint8Array(5), 2, 2, 1, 'x')).toThrow(
      'pixel buffer size does not match its shape',
    );
    const meta = images.addPixels(new Uint8Array([0, 255, 0, 255]), 2, 2, 1, 'checker');
    expect(images.has(meta.id)).toBe(true);
    const pre = entry('mnist-cnn').preprocessing;
    const input = images.toModelInput(meta.id, { ...pre, height: 2, width: 2 }, 'stretch');
    expect(Array.from(input.data)).toEqual([0, 1, 0, 1]);
    images.remove(meta.id);
    expect(() => images.toModelInput(meta.id, pre, 'stretch')).toThrow('This image is no longer loaded. Add it again.');
  });

  it('core: explaining with a model or image that is gone fails in words', async () => {
    const core = createWorkerCore();
    await expect(core.api.predict('nope', 'img-1')).rejects.toThrow(/not loaded/);
    await expect(core.api.evaluate('e', 'nope', 'mnist-test-2k', {})).rejects.toThrow(/not loaded/);
    await core.api.loadBundled(entry('mnist-cnn'), MANIFEST_URL);
    await expect(
      core.api.explain('x', { modelId: 'mnist-cnn', imageId: 'img-404', method: 'saliency', target: 0, config: {} }),
    ).rejects.toThrow('This image is no longer loaded. Add it again.');
    await expect(core.api.evaluate('e', 'mnist-cnn', 'never-loaded', {})).rejects.toThrow(
      'This evaluation set is not loaded.',
    );
    await core.api.unload('mnist-cnn');
  });
});
