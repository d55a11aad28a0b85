import 'fake-indexeddb/auto';
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { createStore, keys, set } from 'idb-keyval';
import { asFiles, makeCnn, makeGraphModel, saveModel } from './__fixtures__/corpus';
import { loadModelFromFiles } from './load';
import { createModelStore } from './store-idb';
import { ModelError } from './types';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

let dbCounter = 0;
const freshStore = () => {
  const dbName = `test-db-${++dbCounter}`;
  return { dbName, store: createModelStore({ dbName, storeName: 'models' }) };
};

function scores(model: tf.LayersModel | tf.GraphModel, shape: [number, number, number]): number[] {
  return tf.tidy(() => Array.from((model.predict(tf.randomUniform([3, ...shape], 0, 1, 'float32', 9)) as tf.Tensor).dataSync()));
}

describe('IndexedDB model store', () => {
  it('save → list → load gives identical predictions and the same metadata (layers + graph)', async () => {
    const { store } = freshStore();
    const original = makeCnn({ softmax: false });
    const a = await loadModelFromFiles(asFiles(await saveModel(original, 2)), { card: { labels: ['x', 'y', 'z'], resize: 'pad' } });
    const g = await loadModelFromFiles(asFiles(makeGraphModel()));
    const metaA = await store.save(a, { now: new Date('2025-01-01T00:00:00Z') });
    await store.save(g, { now: new Date('2025-02-01T00:00:00Z') });
    const { models, broken } = await store.list();
    expect(broken).toEqual([]);
    expect(models.map((m) => m.id)).toEqual([g.info.id, a.info.id]); // newest first
    expect(metaA).toMatchObject({ format: 'layers', labels: ['x', 'y', 'z'], outputKind: 'logits', source: 'files: model.json + 2 weight files' });
    expect(metaA.preprocessing.resize).toBe('pad');

    const back = await store.load(a.info.id);
    expect(scores(back.model, [8, 8, 1])).toEqual(scores(original, [8, 8, 1]));
    expect(back.info).toMatchObject({ id: a.info.id, name: a.info.name, labels: ['x', 'y', 'z'], outputKind: 'logits', preprocessing: a.info.preprocessing });
    const gBack = await store.load(g.info.id);
    expect(scores(gBack.model, [4, 4, 1])).toEqual(scores(g.model, [4, 4, 1]));
    expect(gBack.info.spatialLayers).toEqual(['relu']);
    [a, g, back, gBack].forEach((l) => l.model.dispose());
    original.dispose();
  });

  it('stores names and labels as plain text, renames, and remove frees both records', async () => {
    const { dbName, store } = freshStore();
    const tricky = '<img src=x onerror=alert(1)> "Pets" & ünïcödé';
    const m = makeCnn();
    const l = await loadModelFromFiles(asFiles(await saveModel(m, 1)), { name: tricky, card: { labels: ['<b>cat</b>', 'dog & co', "o'neil"] } });
    await store.save(l);
    expect((await store.getMeta(l.info.id)).name).toBe(tricky);
    expect((await store.getMeta(l.info.id)).labels).toEqual(['<b>cat</b>', 'dog & co', "o'neil"]);
    const renamed = await store.rename(l.info.id, '  New name  ');
    expect(renamed.name).toBe('New name');
    expect((await store.list()).models[0]?.name).toBe('New name');
    await expect(store.rename(l.info.id, '   ')).rejects.toThrow(/cannot be empty/);

    const raw = createStore(dbName, 'models');
    expect((await keys(raw)).sort()).toEqual([`data:${l.info.id}`, `meta:${l.info.id}`]);
    await store.remove(l.info.id);
    expect(await keys(raw)).toEqual([]);
    expect((await store.list()).models).toEqual([]);
    await expect(store.load(l.info.id)).rejects.toMatchObject({ code: 'not-found' });
    l.model.dispose();
    m.dispose();
  });

  it('a corrupted record gives a clear error and does not break listing the others', async () => {
    const { dbName, store } = freshStore();
    const m = makeCnn();
    const good = await loadModelFromFiles(asFiles(await saveModel(m, 1)));
    const bad = await loadModelFromFiles(asFiles(makeGraphModel()));
    await store.save(good);
    await store.save(bad);
    const raw = createStore(dbName, 'models');
    await set('meta:garbage', 42, raw); // unreadable metadata
    await set(`data:${bad.info.id}`, { schema: 1, modelJson: '{"modelTopology": {"node": [', weightData: new ArrayBuffer(8) }, raw);

    const { models, broken } = await store.list();
    expect(models.map((x) => x.id).sort()).toEqual([good.info.id, bad.info.id].sort());
    expect(broken).toEqual([{ id: 'garbage', reason: 'the record is not an object' }]);

    const err = await store.load(bad.info.id).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelError);
    expect((err as ModelError).code).toBe('corrupt-record');
    expect((err as ModelError).message).toMatch(/could not be loaded: .*cut off/);
    await expect(store.load('garbage')).rejects.toMatchObject({ code: 'corrupt-record' });

    await set(`data:${good.info.id}`, 'oops', raw);
    await expect(store.load(good.info.id)).rejects.toThrow(/weights are unreadable/);
    good.model.dispose();
    bad.model.dispose();
    m.dispose();
  });

  it('leaves no tensors behind: save + load + dispose, twice', async () => {
    const { store } = freshStore();
    const m = makeCnn();
    const saved = await saveModel(m, 1);
    m.dispose();
    const before = tf.memory().numTensors;
    for (let round = 0; round < 2; round++) {
      const l = await loadModelFromFiles(asFiles(saved));
      await store.save(l);
      l.model.dispose();
      const back = await store.load(l.info.id);
      back.model.dispose();
      expect(tf.memory().numTensors).toBe(before);
    }
  });
});

describe('module-level helpers over the default database', () => {
  it('saveModel → listModels → getModel → loadSavedModel → renameModel → removeModel', async () => {
    const { saveModel: save, listModels, getModel, loadSavedModel, renameModel, removeModel } = await import('./store-idb');
    const m = makeCnn();
    const l = await loadModelFromFiles(asFiles(await saveModel(m, 1)), { card: { invert: true } });
    await save({ id: l.info.id, name: 'Digits', pkg: l.package, card: l.card, source: l.sourceDescription, format: l.info.format });
    expect((await listModels()).map((x) => [x.id, x.name, x.format])).toEqual([[l.info.id, 'Digits', 'layers']]);
    const rec = await getModel(l.info.id);
    expect(rec.card).toMatchObject({ invert: true, inputSize: { height: 8, width: 8 }, labels: ['class 0', 'class 1', 'class 2'] });
    const back = await loadSavedModel(l.info.id);
    expect(back.info.preprocessing).toEqual(l.info.preprocessing);
    back.model.dispose();
    await renameModel(l.info.id, 'Digits 2');
    expect((await listModels())[0]?.name).toBe('Digits 2');
    await removeModel(l.info.id);
    expect(await listModels()).toEqual([]);
    l.model.dispose();
    m.dispose();
  });
});
