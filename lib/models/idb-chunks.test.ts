import 'fake-indexeddb/auto';
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { createStore, del, keys } from 'idb-keyval';
import { asFiles, makeCnn, saveModel } from './__fixtures__/corpus';
import { joinBuffer, splitBuffer } from './idb-chunks';
import { loadModelFromFiles } from './load';
import { createModelStore } from './store-idb';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const bytes = (n: number, seed = 7) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) % 251).buffer;
const memGet = (records: Map<string, unknown>) => async (ks: string[]) => ks.map((k) => records.get(k));

describe('buffers in chunks', () => {
  it.each([
    [1, 0],
    [4, 0],
    [5, 2],
    [8, 2],
    [13, 4],
  ])('%i bytes in chunks of 4 → %i chunk records, joined back byte for byte', async (n, count) => {
    const buf = bytes(n);
    const { value, entries } = splitBuffer(buf, 'm1', 0, 4);
    expect(entries).toHaveLength(count);
    if (count === 0) expect(value).toBe(buf);
    for (const [, part] of entries) expect(part.byteLength).toBeLessThanOrEqual(4);
    const back = await joinBuffer(value, memGet(new Map(entries)));
    expect(new Uint8Array(back as ArrayBuffer)).toEqual(new Uint8Array(buf));
  });

  it('numbers chunks across one model’s buffers, so two buffers never share a key', () => {
    const a = splitBuffer(bytes(9), 'm1', 0, 4);
    const b = splitBuffer(bytes(9), 'm1', a.entries.length, 4);
    expect(a.entries.map(([k]) => k)).toEqual(['chunk:m1:0', 'chunk:m1:1', 'chunk:m1:2']);
    expect(b.entries.map(([k]) => k)).toEqual(['chunk:m1:3', 'chunk:m1:4', 'chunk:m1:5']);
  });

  it('a missing, foreign or short chunk is a damaged record (undefined), never a wrong buffer', async () => {
    const { value, entries } = splitBuffer(bytes(10), 'm1', 0, 4);
    const records = new Map<string, unknown>(entries);
    expect(await joinBuffer(value, memGet(records))).toBeInstanceOf(ArrayBuffer);
    expect(await joinBuffer({ chunked: true }, memGet(records))).toBeUndefined();
    expect(await joinBuffer('text', memGet(records))).toBeUndefined();
    records.set('chunk:m1:1', bytes(3));
    expect(await joinBuffer(value, memGet(records))).toBeUndefined();
    records.set('chunk:m1:1', 'not a buffer');
    expect(await joinBuffer(value, memGet(records))).toBeUndefined();
    records.delete('chunk:m1:1');
    expect(await joinBuffer(value, memGet(records))).toBeUndefined();
    expect(() => splitBuffer(bytes(4), 'm1', 0, 0)).toThrow(RangeError);
  });
});

describe('the model store saves large models in chunks (Chromium refuses one value over ~127 MiB)', () => {
  it('a layers model in 64-byte chunks: saved, listed, loaded with identical predictions, removed with its chunks', async () => {
    const dbName = 'chunks-layers';
    const store = createModelStore({ dbName, storeName: 'models', chunkBytes: 64 });
    const original = makeCnn({ softmax: false });
    const loaded = await loadModelFromFiles(asFiles(await saveModel(original, 2)));
    await store.save(loaded);
    const raw = createStore(dbName, 'models');
    const chunkKeys = (await keys(raw)).filter((k) => String(k).startsWith(`chunk:${loaded.info.id}:`));
    expect(chunkKeys.length).toBeGreaterThan(1);
    const back = await store.load(loaded.info.id);
    const x = tf.randomUniform([2, 8, 8, 1], 0, 1, 'float32', 3);
    const [p, q] = [original.predict(x) as tf.Tensor, back.model.predict(x) as tf.Tensor];
    expect(Array.from(q.dataSync())).toEqual(Array.from(p.dataSync()));
    tf.dispose([x, p, q]);
    back.model.dispose();

    await del(chunkKeys[0] as string, raw);
    await expect(store.load(loaded.info.id)).rejects.toMatchObject({ code: 'corrupt-record' });
    await store.remove(loaded.info.id);
    expect(await keys(raw)).toEqual([]);
    loaded.model.dispose();
    original.dispose();
  });

  it('ONNX original files in chunks come back byte for byte, each under its own name', async () => {
    const store = createModelStore({ dbName: 'chunks-onnx', storeName: 'models', chunkBytes: 1000 });
    const files = [
      { name: 'net.onnx', data: bytes(2500, 1) },
      { name: 'net.onnx.data', data: bytes(999, 2) },
      { name: 'extra.bin', data: bytes(3001, 3) },
    ];
    const card = {
      preprocessing: { height: 8, width: 8, channels: 1, channelOrder: 'rgb', normalization: { kind: 'unit' }, resize: 'stretch' },
      labels: ['a', 'b'],
      outputKind: 'logits',
    } as unknown as Parameters<typeof store.saveRecord>[0]['card'];
    await store.saveRecord({ id: 'onnx-1', name: 'net', originals: files, format: 'onnx', source: 'files', card });
    const rec = await store.getRecord('onnx-1');
    expect(rec.originals?.map((f) => f.name)).toEqual(['net.onnx', 'net.onnx.data', 'extra.bin']);
    rec.originals?.forEach((f, i) => expect(new Uint8Array(f.data)).toEqual(new Uint8Array(files[i]!.data)));
  });
});
