/**
 * Calibration of the "is this image like the model's data?" check (lib/ood), bench only, not CI. For each
 * bundled model, through the real worker job (tfjs WASM in Node): the reference is built from one half of
 * its evaluation set (1,000 images: alternate blocks of ten, every class in each half), then scored on
 * - the other half (held out): the false-alarm rate; the reference half itself: the held-in rate;
 * - the other bundled set (MNIST for the Fashion models, Fashion for MNIST): the detection rate;
 * - the held-out half tinted (a seeded random colour for the object and another for the background, as RGB):
 *   colour versions of the model's own images — detection of "a colour image on a grey model".
 * Rates with input statistics only and with the model's confidence added. Writes JSON to OOD_OUT.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { expect, it, vi } from 'vitest';
import { parseManifest } from '@/lib/models/manifest';
import type { ManifestDataset } from '@/lib/models/types';
import { mulberry32 } from '@/lib/random';
import { buildReference, scoreSample, type ImageSample } from '@/lib/ood';
import { switchBackend } from '@/lib/testing/backends';
import { fileFetch } from '@/lib/testing/file-fetch';
import { createWorkerCore } from '@/lib/runtime/worker-core';

const MANIFEST_URL = new URL('../../models/manifest.json', import.meta.url).href;
const MODELS = (process.env.OOD_MODELS ?? 'mnist-cnn,fashion-scratch,fashion-finetuned,fashion-pretrained').split(',');

const inputOnly = (s: ImageSample): ImageSample => ({ ...s, confidence: null });
const rate = (flags: boolean[]) => flags.filter(Boolean).length / flags.length;

it('ood calibration on the bundled sets', async () => {
  await switchBackend('wasm');
  vi.stubGlobal('fetch', fileFetch);
  const manifest = parseManifest(await readFile(fileURLToPath(MANIFEST_URL), 'utf8'));
  const dir = await mkdtemp(path.join(tmpdir(), 'why-ood-bench-'));
  const core = createWorkerCore();
  const jobs = core.ood;

  /** A held set from raw files: `pixels` [n, 28, 28, channels]. */
  async function holdSet(id: string, base: ManifestDataset, pixels: Uint8Array, labels: Uint8Array, channels: 1 | 3) {
    await writeFile(path.join(dir, `${id}.u8`), pixels);
    await writeFile(path.join(dir, `${id}.labels.u8`), labels);
    const entry: ManifestDataset = {
      ...base,
      id,
      name: id,
      count: labels.length,
      channels,
      imagesUrl: `${id}.u8`,
      labelsUrl: `${id}.labels.u8`,
    };
    await core.api.loadBundledDataset(entry, pathToFileURL(path.join(dir, 'manifest.json')).href);
  }
  const split: Record<string, { even: string; odd: string; tinted: string }> = {};
  for (const ds of manifest.datasets) {
    const px = new Uint8Array(await readFile(fileURLToPath(new URL(ds.imagesUrl, MANIFEST_URL))));
    const lb = new Uint8Array(await readFile(fileURLToPath(new URL(ds.labelsUrl, MANIFEST_URL))));
    const size = ds.width * ds.height;
    // The sets are ordered class by class (image i has class i mod 10): blocks of 10 hold one image of
    // each class, so alternate blocks split the set into two halves with every class in each.
    const half = (parity: number) => {
      const n = ds.count / 2;
      const p = new Uint8Array(n * size);
      const l = new Uint8Array(n);
      for (let j = 0; j < n; j++) {
        const i = (2 * Math.floor(j / 10) + parity) * 10 + (j % 10);
        p.set(px.subarray(i * size, (i + 1) * size), j * size);
        l[j] = lb[i] as number;
      }
      return { p, l };
    };
    const even = half(0);
    const odd = half(1);
    // Tinted: object colour × grey value + background colour × (1 − grey value), seeded.
    const rnd = mulberry32(14);
    const tinted = new Uint8Array(odd.p.length * 3);
    for (let j = 0; j < odd.l.length; j++) {
      const fg = [rnd(), rnd(), rnd()].map((v) => 80 + v * 175);
      const bg = [rnd(), rnd(), rnd()].map((v) => v * 160);
      for (let i = 0; i < size; i++) {
        const g = (odd.p[j * size + i] as number) / 255;
        for (let c = 0; c < 3; c++)
          tinted[(j * size + i) * 3 + c] = Math.round((fg[c] as number) * g + (bg[c] as number) * (1 - g));
      }
    }
    split[ds.id] = { even: `${ds.id}-even`, odd: `${ds.id}-odd`, tinted: `${ds.id}-tinted` };
    await holdSet(`${ds.id}-even`, ds, even.p, even.l, 1);
    await holdSet(`${ds.id}-odd`, ds, odd.p, odd.l, 1);
    await holdSet(`${ds.id}-tinted`, ds, tinted, odd.l, 3);
    await holdSet(`${ds.id}-all`, ds, px, lb, 1);
  }

  const rows = [];
  for (const id of MODELS) {
    const entry = manifest.models.find((m) => m.id === id);
    if (!entry?.datasetId) throw new Error(`no bundled model ${id} with a set`);
    const t0 = Date.now();
    await core.api.loadBundled(entry, MANIFEST_URL);
    const own = split[entry.datasetId]!;
    const other = manifest.datasets.find((d) => d.id !== entry.datasetId)!.id;
    const [even, odd, tinted, foreign] = [
      await jobs.samples(id, own.even),
      await jobs.samples(id, own.odd),
      await jobs.samples(id, own.tinted),
      await jobs.samples(id, `${other}-all`),
    ];
    const full = buildReference(even);
    const input = buildReference(even.map(inputOnly));
    const flags = (ref: typeof full, xs: ImageSample[], f = (s: ImageSample) => s) =>
      xs.map((s) => scoreSample(ref, f(s)).out);
    rows.push({
      model: id,
      set: entry.datasetId,
      other,
      n: even.length,
      threshold: full.threshold,
      heldIn: full.heldInFlagged,
      falseAlarm: rate(flags(full, odd)),
      falseAlarmInput: rate(flags(input, odd, inputOnly)),
      otherSet: rate(flags(full, foreign)),
      otherSetInput: rate(flags(input, foreign, inputOnly)),
      tinted: rate(flags(full, tinted)),
      seconds: (Date.now() - t0) / 1000,
    });
    await core.api.unload(id);
  }
  expect(rows).toHaveLength(MODELS.length);
  await writeFile(process.env.OOD_OUT ?? path.join(dir, 'ood.json'), JSON.stringify(rows, null, 1));
});
