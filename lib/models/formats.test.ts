/**
 * The one format dispatch (formats.ts): content sniffing with the name as a hint, the format label, the
 * card/labels sidecars for every format, clear errors for foreign files, progress, no leaks; and the
 * IndexedDB round trip of an ONNX model as its original bytes (reload, rename, remove).
 */
import 'fake-indexeddb/auto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { switchBackend } from '@/lib/testing/backends';
import { asFiles, fileLike, makeCnn, saveModel } from './__fixtures__/corpus';
import { fixtureFile } from './keras/__fixtures__/fixtures';
import { loadAnyModelFromFiles, readAllBytes, sniffModelBytes, type LoadedAnyModel, type LoadStage } from './formats';
import { createModelStore } from './store-idb';
import { ModelError } from './types';
import { downloadModelFiles } from './url-download';
import type { FileLike } from './load';

const ONNX_FIX = fileURLToPath(new URL('./onnx/__fixtures__/', import.meta.url));
const onnxBytes = (): Uint8Array => new Uint8Array(fs.readFileSync(path.join(ONNX_FIX, 'opset18-reducemean.onnx')));
const onnxRef = JSON.parse(fs.readFileSync(path.join(ONNX_FIX, 'opset18-reducemean.reference.json'), 'utf8')) as {
  inputNCHW: number[];
  shape: number[];
  output: number[];
};

beforeAll(() => switchBackend('cpu'));

const dispose = (m: LoadedAnyModel): void => {
  if (m.kind === 'onnx') m.adapter.dispose();
  else m.model.dispose();
};

async function loadError(files: FileLike[]): Promise<ModelError> {
  try {
    dispose(await loadAnyModelFromFiles(files));
  } catch (e) {
    if (e instanceof ModelError) return e;
    throw e;
  }
  throw new Error('the files loaded but should not have');
}

/** Scores of the ONNX fixture's reference input through the adapter (NCHW → NHWC at the edge). */
function onnxScores(m: LoadedAnyModel): number[] {
  if (m.kind !== 'onnx') throw new Error('not ONNX');
  const [n, c, h, w] = onnxRef.shape as [number, number, number, number];
  return tf.tidy(() => {
    const x = tf.tensor4d(onnxRef.inputNCHW, [n, c, h, w]).transpose([0, 2, 3, 1]) as tf.Tensor4D;
    return Array.from(m.adapter.scores(x).dataSync());
  });
}

describe('sniffModelBytes', () => {
  const b = (...xs: number[]) => Uint8Array.from([...xs, ...new Array(16).fill(0)].slice(0, 16));
  it('decides by content, with the name as a hint only where the content is ambiguous', () => {
    expect(sniffModelBytes(b(0x50, 0x4b, 3, 4), 'model.keras')).toBe('keras');
    expect(sniffModelBytes(b(0x50, 0x4b, 3, 4), 'whatever.h5')).toBe('keras'); // content wins over the name
    expect(sniffModelBytes(b(0x50, 0x4b, 3, 4), 'resnet.pt')).toBe('pytorch');
    expect(sniffModelBytes(b(0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a), 'model.keras')).toBe('h5');
    expect(sniffModelBytes(new TextEncoder().encode('\ufeff  {"modelTopology"'), 'x')).toBe('json');
    expect(sniffModelBytes(b(0x08, 0x07, 0x12), 'model')).toBe('onnx');
    expect(sniffModelBytes(b(0x08, 0x07, 0x12), 'weights.bin')).toBe('unknown');
    expect(sniffModelBytes(b(0x89, 0x50, 0x4e, 0x47), 'cat.png')).toBe('image');
    expect(sniffModelBytes(b(0xff, 0xd8, 0xff), 'cat.onnx')).toBe('image');
    expect(sniffModelBytes(b(0, 0, 0, 0, 0x54, 0x46, 0x4c, 0x33), 'm.tflite')).toBe('tflite');
    expect(sniffModelBytes(b(0x12, 0x34), 'notes.xyz')).toBe('unknown');
    expect(sniffModelBytes(new TextEncoder().encode('<!DOCTYPE html><html>'), 'model.json')).toBe('json');
  });
});

describe('loadAnyModelFromFiles', () => {
  it('TF.js model.json + shards: "TensorFlow.js LayersModel", labels.txt applied, progress monotone to 1', async () => {
    const saved = await saveModel(makeCnn({ softmax: false }), 2);
    const progress: [number, LoadStage][] = [];
    const m = await loadAnyModelFromFiles([...asFiles(saved), fileLike('labels.txt', 'a\nb\nc\n')], {
      onProgress: (f, s) => progress.push([f, s]),
    });
    try {
      expect(m.kind).toBe('tfjs');
      expect(m.formatLabel).toBe('TensorFlow.js LayersModel');
      expect(m.info.formatLabel).toBe('TensorFlow.js LayersModel');
      expect(m.info.labels).toEqual(['a', 'b', 'c']);
      expect(progress.length).toBeGreaterThan(2);
      for (let i = 1; i < progress.length; i++) expect(progress[i]![0]).toBeGreaterThanOrEqual(progress[i - 1]![0]);
      expect(progress.at(-1)).toEqual([1, 'inspect']);
    } finally {
      dispose(m);
    }
  });

  it('.keras and .h5: labelled by format, card.json applied; a .keras renamed without extension is found by content', async () => {
    const card = fileLike('card.json', JSON.stringify({ name: 'From card' }));
    const k = await loadAnyModelFromFiles([fixtureFile('small-cnn.keras'), card]);
    const h = await loadAnyModelFromFiles([fixtureFile('small-cnn.h5')]);
    const anon = fixtureFile('small-cnn.keras');
    const r = await loadAnyModelFromFiles([{ ...anon, name: 'download' }]);
    try {
      expect([k.kind, k.formatLabel, k.info.name]).toEqual(['tfjs', 'Keras 3 .keras', 'From card']);
      expect([h.kind, h.formatLabel]).toEqual(['tfjs', 'Keras .h5 (legacy)']);
      expect(r.formatLabel).toBe('Keras 3 .keras');
    } finally {
      [k, h, r].forEach(dispose);
    }
  });

  it('.onnx: "ONNX (opset 18)", labels applied, keeps the original bytes, matches the numpy reference', async () => {
    const bytes = onnxBytes();
    const labels = Array.from({ length: onnxRef.output.length / (onnxRef.shape[0] as number) }, (_, i) => `c${i}`);
    const m = await loadAnyModelFromFiles([fileLike('net.onnx', bytes), fileLike('labels.json', JSON.stringify(labels))]);
    try {
      expect(m.kind).toBe('onnx');
      expect(m.formatLabel).toBe('ONNX (opset 18)');
      expect(m.info).toMatchObject({ format: 'onnx', formatLabel: 'ONNX (opset 18)', labels });
      if (m.kind !== 'onnx') return;
      expect(m.originals.map((o) => [o.name, o.data.byteLength])).toEqual([['net.onnx', bytes.byteLength]]);
      const s = onnxScores(m);
      s.forEach((v, i) => expect(v).toBeCloseTo(onnxRef.output[i] as number, 4));
    } finally {
      dispose(m);
    }
  });

  it('reads a File in chunks: the bytes exactly, progress while reading (not only at the end)', async () => {
    const big = new Uint8Array(3 * 1024 * 1024 + 17).map((_, i) => (i * 31) & 0xff);
    const chunks: number[] = [];
    const buf = await readAllBytes(new File([big], 'big.bin'), (n) => chunks.push(n), 1024 * 1024);
    expect(chunks).toEqual([1048576, 1048576, 1048576, 17]);
    expect(chunks.reduce((a, b) => a + b, 0)).toBe(big.byteLength);
    expect(Buffer.compare(Buffer.from(buf), Buffer.from(big))).toBe(0);
    // Without a stream (a plain FileLike): one arrayBuffer() call, one report of all its bytes.
    const one: number[] = [];
    expect((await readAllBytes(fileLike('x.bin', big), (n) => one.push(n))).byteLength).toBe(big.byteLength);
    expect(one).toEqual([big.byteLength]);
  });

  it('.onnx as a 17 MB File: progress rises in steps through "read" before "build"', async () => {
    const bytes = onnxBytes();
    // The opset-18 fixture followed by an unknown protobuf field (15, length-delimited) of 16 MiB: decoders skip it.
    const pad = 16 * 1024 * 1024;
    const tail = Uint8Array.from([0x7a, 0x80, 0x80, 0x80, 0x08]); // field 15, wire type 2, length varint 2^24
    const file = new File([bytes.slice(), tail, new Uint8Array(pad)], 'net.onnx');
    const progress: [number, LoadStage][] = [];
    const m = await loadAnyModelFromFiles([file as unknown as FileLike], { onProgress: (f, s) => progress.push([f, s]) });
    try {
      const reading = progress.filter(([f, s]) => s === 'read' && f > 0 && f < 0.6);
      expect(reading.length).toBeGreaterThan(2);
      const firstBuild = progress.findIndex(([, s]) => s === 'build');
      expect(firstBuild).toBeGreaterThan(progress.indexOf(reading.at(-1)!));
      expect(progress.length).toBeLessThan(250);
      expect(progress.at(-1)).toEqual([1, 'inspect']);
      expect(onnxScores(m).length).toBe(onnxRef.output.length);
    } finally {
      dispose(m);
    }
  });

  it('URLs (downloaded on the page, then the files path): .onnx, an extension-less download (sniffed), .keras; an image URL is refused by name; 404 is not-found', async () => {
    const keras = new Uint8Array(await fixtureFile('small-cnn.keras').arrayBuffer());
    const served: Record<string, Uint8Array> = {
      'https://models.example/net.onnx': onnxBytes(),
      'https://models.example/download?id=7': onnxBytes(),
      'https://models.example/small.keras': keras,
      'https://models.example/cat.png': Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...new Array(8).fill(0)]),
    };
    const asked: string[] = [];
    const fakeFetch = (async (input: string | URL | Request) => {
      const u = String(input);
      asked.push(u);
      const body = served[u];
      return body ? new Response(body.slice()) : new Response('missing', { status: 404, statusText: 'Not Found' });
    }) as typeof fetch;
    const fromUrl = async (url: string) => loadAnyModelFromFiles(await downloadModelFiles(url, { fetch: fakeFetch }));
    const o = await fromUrl('https://models.example/net.onnx');
    const d = await fromUrl('https://models.example/download?id=7');
    const k = await fromUrl('https://models.example/small.keras');
    try {
      expect([o.kind, o.formatLabel]).toEqual(['onnx', 'ONNX (opset 18)']);
      expect([d.kind, d.formatLabel]).toEqual(['onnx', 'ONNX (opset 18)']);
      onnxScores(d).forEach((v, i) => expect(v).toBeCloseTo(onnxRef.output[i] as number, 4));
      expect([k.kind, k.formatLabel]).toEqual(['tfjs', 'Keras 3 .keras']);
      expect(asked).toEqual(['https://models.example/net.onnx', 'https://models.example/download?id=7', 'https://models.example/small.keras']);
    } finally {
      [o, d, k].forEach(dispose);
    }
    await expect(fromUrl('https://models.example/cat.png')).rejects.toThrow(/cat\.png is an image, not a model/);
    await expect(fromUrl('https://models.example/gone.onnx')).rejects.toMatchObject({ code: 'not-found' });
  });

  it('clear errors: images, PyTorch checkpoints, unknown files, nothing selected, mixed formats', async () => {
    expect((await loadError([fileLike('cat.png', Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))])).message).toMatch(
      /cat\.png is an image, not a model/,
    );
    const pt = await loadError([fileLike('resnet.pt', Uint8Array.from([0x50, 0x4b, 3, 4, 0, 0, 0, 0]))]);
    expect(pt.message).toMatch(/resnet\.pt is a PyTorch checkpoint.*torch\.onnx\.export/);
    expect((await loadError([fileLike('notes.xyz', 'hello')])).message).toMatch(/notes\.xyz is not a model file we can read.*ONNX.*Keras/);
    expect((await loadError([])).code).toBe('not-a-model');
    expect((await loadError([fileLike('model.json', '<!DOCTYPE html><html></html>')])).message).toMatch(/web page \(HTML\)/);
    const mixed = await loadError([fileLike('a.onnx', onnxBytes()), fixtureFile('small-cnn.keras')]);
    expect(mixed.code).toBe('load-failed');
    expect(mixed.message).toMatch(/mixes model formats \(a\.onnx, small-cnn\.keras\)/);
  });

  it('no tensor leaks, twice, for every format', async () => {
    const saved = await saveModel(makeCnn({ softmax: false }), 1);
    const sets = (): FileLike[][] => [asFiles(saved), [fixtureFile('small-cnn.keras')], [fileLike('net.onnx', onnxBytes())]];
    for (let round = 0; round < 2; round++) {
      for (const files of sets()) {
        const before = tf.memory().numTensors;
        dispose(await loadAnyModelFromFiles(files));
        expect(tf.memory().numTensors).toBe(before);
      }
    }
  });
});

describe('IndexedDB: an ONNX model is saved as its original bytes', () => {
  it('save → list → loadAny (same scores, same card) → rename → remove; load() refuses it by name', async () => {
    const store = createModelStore({ dbName: 'formats-test', storeName: 'models' });
    const m = await loadAnyModelFromFiles([fileLike('net.onnx', onnxBytes())], { card: { resize: 'pad', normalization: 'zero-one' } });
    if (m.kind !== 'onnx') throw new Error('expected ONNX');
    const expected = onnxScores(m);
    const meta = await store.saveRecord({
      id: m.info.id,
      name: m.info.name,
      originals: m.originals,
      format: m.info.format,
      formatLabel: m.formatLabel,
      source: m.sourceDescription,
      card: m.card,
    });
    m.adapter.dispose();
    expect(meta).toMatchObject({ format: 'onnx', formatLabel: 'ONNX (opset 18)', byteSize: onnxBytes().byteLength });
    expect((await store.list()).models.map((x) => x.id)).toEqual([m.info.id]);

    const before = tf.memory().numTensors;
    const back = await store.loadAny(m.info.id);
    try {
      expect(back.kind).toBe('onnx');
      expect(back.info).toMatchObject({ id: m.info.id, formatLabel: 'ONNX (opset 18)', preprocessing: { resize: 'pad' } });
      expect(onnxScores(back)).toEqual(expected);
    } finally {
      dispose(back);
    }
    expect(tf.memory().numTensors).toBe(before);
    await expect(store.load(m.info.id)).rejects.toMatchObject({ code: 'corrupt-record' });

    expect((await store.rename(m.info.id, 'Renamed')).name).toBe('Renamed');
    const renamed = await store.loadAny(m.info.id);
    expect(renamed.info.name).toBe('Renamed');
    dispose(renamed);
    await store.remove(m.info.id);
    expect((await store.list()).models).toEqual([]);
    await expect(store.loadAny(m.info.id)).rejects.toMatchObject({ code: 'not-found' });
  });

  it('refuses a record with neither a package nor original files', async () => {
    const store = createModelStore({ dbName: 'formats-test-2', storeName: 'models' });
    const card = { preprocessing: { height: 8, width: 8, channels: 3 as const, channelOrder: 'rgb' as const, normalization: 'zero-one' as const, resize: 'stretch' as const }, labels: [], outputKind: 'logits' as const };
    await expect(store.saveRecord({ id: 'x', name: 'x', format: 'onnx', source: 's', card })).rejects.toThrow(/either its package/);
  });
});
