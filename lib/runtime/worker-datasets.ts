/**
 * Evaluation sets held by the worker: bundled ones (uint8 pixels + labels from the manifest) and the
 * user's labelled images (decoded once, kept as RGBA at their own size). Evaluation runs a model over a
 * set in batches, one tidy per batch, and returns the posteriors as plain data.
 */
import * as tf from '@tensorflow/tfjs';
import type { ModelAdapter } from '@/lib/explain/types';
import type { ManifestDataset, Preprocessing, ResizePolicy } from '@/lib/models/types';
import { resolveUrl } from '@/lib/models/manifest';
import { parseLabelledFiles, type LabelledSetReport } from '@/lib/datasets';
import { forEachTimedBatch } from './timed-batches';
import { preprocessRGBA, decodeImageBytes } from '@/lib/images';
import type { DatasetMeta, EvaluationResult } from './protocol';

type Item =
  | { kind: 'gray-u8' | 'rgb-u8'; offset: number }
  | { kind: 'rgba'; rgba: Uint8ClampedArray; width: number; height: number };

interface Held {
  meta: DatasetMeta;
  labels: Int32Array;
  /** For bundled sets: all pixels [N, h, w, c]. */
  pixels?: Uint8Array;
  items: Item[];
  names: string[];
}

let seq = 0;

/** RGBA view of one bundled-set image. */
function rgbaOf(held: Held, i: number): { data: Uint8ClampedArray; width: number; height: number } {
  const item = held.items[i];
  if (!item) throw new Error(`image ${i} is not in this set`);
  if (item.kind === 'rgba') return { data: item.rgba, width: item.width, height: item.height };
  const { width, height, channels } = held.meta;
  const px = held.pixels as Uint8Array;
  const out = new Uint8ClampedArray(width * height * 4);
  for (let p = 0; p < width * height; p++) {
    const r = px[item.offset + p * channels] ?? 0;
    out[p * 4] = r;
    out[p * 4 + 1] = channels === 3 ? (px[item.offset + p * 3 + 1] ?? 0) : r;
    out[p * 4 + 2] = channels === 3 ? (px[item.offset + p * 3 + 2] ?? 0) : r;
    out[p * 4 + 3] = 255;
  }
  return { data: out, width, height };
}

async function decode(bytes: Uint8Array): Promise<{ rgba: Uint8ClampedArray; width: number; height: number }> {
  const copy = bytes.slice().buffer as ArrayBuffer;
  return decodeImageBytes(copy, { maxPixels: 40_000_000 });
}

export class WorkerDatasets {
  private readonly sets = new Map<string, Held>();

  get(id: string): Held {
    const s = this.sets.get(id);
    if (!s) throw new Error('This evaluation set is not loaded.');
    return s;
  }

  async loadBundled(entry: ManifestDataset, manifestUrl: string): Promise<{ meta: DatasetMeta; labels: Int32Array }> {
    const have = this.sets.get(entry.id);
    if (have) return { meta: have.meta, labels: have.labels };
    const [imgRes, lblRes] = await Promise.all([
      fetch(resolveUrl(entry.imagesUrl, manifestUrl)),
      fetch(resolveUrl(entry.labelsUrl, manifestUrl)),
    ]);
    if (!imgRes.ok || !lblRes.ok)
      throw new Error(`The evaluation set “${entry.name}” could not be fetched (${imgRes.status}/${lblRes.status}).`);
    const pixels = new Uint8Array(await imgRes.arrayBuffer());
    const raw = new Uint8Array(await lblRes.arrayBuffer());
    const size = entry.height * entry.width * entry.channels;
    if (pixels.length !== entry.count * size || raw.length !== entry.count) {
      throw new Error(`The evaluation set “${entry.name}” is damaged: its files do not match the manifest.`);
    }
    const meta: DatasetMeta = {
      id: entry.id,
      name: entry.name,
      count: entry.count,
      labels: entry.labels,
      height: entry.height,
      width: entry.width,
      channels: entry.channels,
      source: 'bundled',
    };
    const held: Held = {
      meta,
      labels: Int32Array.from(raw),
      pixels,
      items: Array.from(
        { length: entry.count },
        (_, i) => ({ kind: entry.channels === 1 ? 'gray-u8' : 'rgb-u8', offset: i * size }) as Item,
      ),
      names: Array.from({ length: entry.count }, (_, i) => `${entry.id} #${i}`),
    };
    this.sets.set(entry.id, held);
    return { meta, labels: held.labels };
  }

  /**
   * A user's labelled images: a folder with one sub-folder per class, a zip of that, or images plus a
   * CSV of file,label. Nothing is dropped silently: the report lists unknown labels, unreadable files and
   * empty classes, and images that fail to decode are added to `report.unreadable`.
   */
  async addLabelled(
    name: string,
    files: { path: string; bytes: ArrayBuffer }[],
    modelLabels: string[],
  ): Promise<{ meta: DatasetMeta; labels: Int32Array; report: LabelledSetReport }> {
    const parsed = parseLabelledFiles(
      files.map((f) => ({ path: f.path, bytes: new Uint8Array(f.bytes) })),
      modelLabels,
    );
    const items: Item[] = [];
    const labels: number[] = [];
    const names: string[] = [];
    for (const it of parsed.items) {
      try {
        const img = await decode(it.bytes);
        items.push({ kind: 'rgba', rgba: img.rgba, width: img.width, height: img.height });
        labels.push(it.label);
        names.push(it.path);
      } catch (e) {
        parsed.report.unreadable.push({ path: it.path, reason: e instanceof Error ? e.message : String(e) });
        const c = parsed.report.classCounts;
        c[it.label] = (c[it.label] ?? 1) - 1;
      }
    }
    parsed.report.emptyClasses = modelLabels
      .map((n, label) => ({ label, name: n }))
      .filter(({ label }) => (parsed.report.classCounts[label] ?? 0) === 0);
    if (items.length === 0) {
      throw new Error(
        'No labelled image could be read from what you gave. Use one sub-folder per class, a zip of that, or images plus a CSV of file,label.',
      );
    }
    const id = `user-set-${++seq}`;
    const meta: DatasetMeta = {
      id,
      name,
      count: items.length,
      labels: modelLabels,
      height: 0,
      width: 0,
      channels: 3,
      source: 'user',
    };
    const held: Held = { meta, labels: Int32Array.from(labels), items, names };
    this.sets.set(id, held);
    return { meta, labels: held.labels, report: parsed.report };
  }

  /** RGBA of one image (for galleries and for opening it in the Explain view). */
  image(id: string, index: number): { data: Uint8ClampedArray; width: number; height: number; name: string } {
    const held = this.get(id);
    return { ...rgbaOf(held, index), name: held.names[index] ?? `#${index}` };
  }

  /**
   * Runs `adapter` over the whole set: posteriors [N×K] (softmax of logits where the model gives logits).
   * One tidy per batch, batches sized to ~100 ms with the worker's messages let in between (timed-batches);
   * `signal` is checked between batches. `batchSize` is the largest batch.
   */
  async evaluate(
    id: string,
    adapter: ModelAdapter,
    pre: Preprocessing,
    resize: ResizePolicy,
    opts: { batchSize?: number; signal?: AbortSignal; onProgress?: (f: number) => void } = {},
  ): Promise<EvaluationResult> {
    const held = this.get(id);
    const t0 = performance.now();
    const n = held.meta.count;
    const k = adapter.info.numClasses;
    const { height: h, width: w, channels: c } = pre;
    const bs = Math.max(1, opts.batchSize ?? 256);
    const probs = new Float32Array(n * k);
    const direct =
      held.pixels && held.meta.height === h && held.meta.width === w && held.meta.channels === c && !pre.invert;
    let prepMs = 0;
    let inferMs = 0;
    await forEachTimedBatch(n, { maxBatch: bs, signal: opts.signal }, async (start, m) => {
      const tp = performance.now();
      const batch = new Float32Array(m * h * w * c);
      if (direct) {
        const px = held.pixels as Uint8Array;
        const off = start * h * w * c;
        for (let j = 0; j < batch.length; j++) batch[j] = (px[off + j] ?? 0) / 255;
      } else {
        for (let j = 0; j < m; j++) {
          batch.set(preprocessRGBA(rgbaOf(held, start + j), pre, resize).data, j * h * w * c);
        }
      }
      const ti = performance.now();
      prepMs += ti - tp;
      const out = tf.tidy(() => adapter.probabilities(tf.tensor4d(batch, [m, h, w, c])));
      try {
        probs.set(await out.data(), start * k);
      } finally {
        out.dispose();
      }
      inferMs += performance.now() - ti;
      opts.onProgress?.(Math.min(1, (start + m) / n));
    });
    return { datasetId: id, n, k, probs, labels: held.labels, ms: performance.now() - t0, prepMs, inferMs };
  }
}
