/**
 * The out-of-distribution job through the real worker core in Node (tfjs CPU) on the bundled MNIST model:
 * a reference from the first 30 images of mnist-test-2k (with the model's confidence), an MNIST image from
 * outside it scores in, a Fashion T-shirt and a colour photo score out, no set gives the notes only; no
 * tensor is left, twice (the second round on a reloaded model recomputes the reference).
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

const MANIFEST_URL = new URL('../../models/manifest.json', import.meta.url).href;
const N = 30;
let manifest: Manifest;
let small: { entry: ManifestDataset; manifestUrl: string };
let mnistPx: Uint8Array;
let fashionPx: Uint8Array;

const setFile = (id: string, key: 'imagesUrl' | 'labelsUrl') => {
  const d = manifest.datasets.find((x) => x.id === id)!;
  return readFile(fileURLToPath(new URL(d[key], MANIFEST_URL)));
};

beforeAll(async () => {
  await switchBackend('cpu');
  vi.stubGlobal('fetch', fileFetch);
  manifest = parseManifest(await readFile(fileURLToPath(MANIFEST_URL), 'utf8'));
  mnistPx = new Uint8Array(await setFile('mnist-test-2k', 'imagesUrl'));
  fashionPx = new Uint8Array(await setFile('fashion-test-2k', 'imagesUrl'));
  const dir = await mkdtemp(path.join(tmpdir(), 'why-ood-'));
  await writeFile(path.join(dir, 'images.u8'), mnistPx.subarray(0, N * 784));
  await writeFile(path.join(dir, 'labels.u8'), (await setFile('mnist-test-2k', 'labelsUrl')).subarray(0, N));
  const ds = manifest.datasets.find((x) => x.id === 'mnist-test-2k')!;
  small = {
    entry: {
      ...ds,
      id: 'mnist-30',
      name: 'MNIST (first 30)',
      count: N,
      imagesUrl: 'images.u8',
      labelsUrl: 'labels.u8',
    },
    manifestUrl: pathToFileURL(path.join(dir, 'manifest.json')).href,
  };
});
afterAll(() => {
  vi.unstubAllGlobals();
});

/** A 40×30 colour "photo": sky, field and a red square. */
function colourPhoto(): Uint8Array {
  const [w, h] = [40, 30];
  const px = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      px.set(
        x > 12 && x < 25 && y > 10 && y < 24 ? [210, 30, 40] : y < 12 ? [120, 170, 235] : [60, 150, 50],
        (y * w + x) * 3,
      );
  return px;
}

describe('oodCheck on the bundled MNIST model', () => {
  it('in for an MNIST digit, out for a T-shirt and a colour photo, notes without a set; no tensor left, twice', async () => {
    const core = createWorkerCore();
    const jobs = core.ood;
    const mnistModel = manifest.models.find((m) => m.id === 'mnist-cnn')!;
    await core.api.loadBundledDataset(small.entry, small.manifestUrl);
    const digit = await core.api.addPixels(mnistPx.slice(100 * 784, 101 * 784), 28, 28, 1, 'mnist #100');
    const tshirt = await core.api.addPixels(fashionPx.slice(0, 784), 28, 28, 1, 'fashion #0');
    const photo = await core.api.addPixels(colourPhoto(), 40, 30, 3, 'photo');
    for (let round = 0; round < 2; round++) {
      const before = tf.memory().numTensors;
      await core.api.loadBundled(mnistModel, MANIFEST_URL);
      const ref = await jobs.reference('mnist-cnn', 'mnist-30');
      expect(ref.n).toBe(N);
      expect(ref.features.map((f) => f.id)).toEqual(
        expect.arrayContaining(['maxProb', 'entropy', 'energy', 'nearest']),
      );
      // the MNIST model is sure of its own test digits
      expect(ref.features.find((f) => f.id === 'maxProb')!.median).toBeGreaterThan(0.9);

      const opts = { datasetId: 'mnist-30' };
      const d = await core.api.oodCheck('mnist-cnn', digit.id, opts);
      expect(d.status).toBe('in');
      expect(d.set).toEqual({ id: 'mnist-30', name: 'MNIST (first 30)', n: N });
      expect(d.notes).toEqual([]);

      const t = await core.api.oodCheck('mnist-cnn', tshirt.id, opts);
      expect(t.status).toBe('out');
      expect(t.sentence).toMatch(
        /^This image is unlike the images this model was evaluated on: .+; its prediction may mean little\.$/,
      );
      expect(t.score!.score).toBeGreaterThan(t.score!.threshold);

      const p = await core.api.oodCheck('mnist-cnn', photo.id, opts);
      expect(p.status).toBe('out');
      expect(p.score!.findings.map((f) => f.id)).toContain('colour');
      expect(p.notes).toEqual([
        expect.stringMatching(/converted to grey/),
        expect.stringMatching(/stretched from 40×30 \(1\.33:1\) to the model’s 28×28/),
      ]);

      const none = await core.api.oodCheck('mnist-cnn', photo.id, {});
      expect(none.status).toBe('no-set');
      expect(none.notes[0]).toMatch(/converted to grey/);

      await core.api.unload('mnist-cnn');
      expect(tf.memory().numTensors).toBe(before);
    }
  });

  it('an unknown set or image fails in words', async () => {
    const core = createWorkerCore();
    await core.api.loadBundled(
      manifest.models.find((m) => m.id === 'mnist-cnn')!,
      MANIFEST_URL,
    );
    const img = await core.api.addPixels(mnistPx.slice(0, 784), 28, 28, 1, 'mnist #0');
    await expect(core.api.oodCheck('mnist-cnn', img.id, { datasetId: 'nope' })).rejects.toThrow(/not loaded/);
    await expect(core.api.oodCheck('mnist-cnn', 'img-x', {})).rejects.toThrow(/no longer loaded/);
    await core.api.unload('mnist-cnn');
  });
});
