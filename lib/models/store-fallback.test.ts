import 'fake-indexeddb/auto';
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { createStore, set } from 'idb-keyval';
import { asFiles, makeCnn, saveModel } from './__fixtures__/corpus';
import { loadModelFromFiles } from './load';
import { memoryKv, resilientKv, type Kv } from './kv-fallback';
import { createModelStore } from './store-idb';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const CLOSING = "Failed to execute 'transaction' on 'IDBDatabase': The database connection is closing.";

/** IndexedDB as a broken browser gives it: every operation throws InvalidStateError. */
function brokenKv(): Kv & { calls: number } {
  const fail = async (): Promise<never> => {
    out.calls++;
    throw new DOMException(CLOSING, 'InvalidStateError');
  };
  const out = { calls: 0, get: fail, getMany: fail, setMany: fail, keys: fail, update: fail, delMany: fail };
  return out;
}

describe('broken IndexedDB → in-memory store with a notice', () => {
  it('listing says why in plain words once; saving, loading, renaming and removing then work in memory', async () => {
    const broken = brokenKv();
    const store = createModelStore({ kv: broken });
    await expect(store.list()).rejects.toThrow(
      `This browser's storage (IndexedDB) cannot be used (${CLOSING}); models you load are kept for this session only and are gone after a reload.`,
    );
    expect(store.storageProblem()).toBe(CLOSING);
    const m = makeCnn();
    const loaded = await loadModelFromFiles(asFiles(await saveModel(m, 1)), { name: 'kept' });
    m.dispose();
    await store.save(loaded);
    loaded.model.dispose();
    expect((await store.list()).models.map((x) => x.name)).toEqual(['kept']);
    const back = await store.load(loaded.info.id);
    expect(back.info.name).toBe('kept');
    back.model.dispose();
    await store.rename(loaded.info.id, 'renamed');
    expect((await store.getMeta(loaded.info.id)).name).toBe('renamed');
    await store.remove(loaded.info.id);
    expect((await store.list()).models).toEqual([]);
    expect(broken.calls).toBe(1); // IndexedDB is not retried on every call
  });

  it('resilientKv passes through while the primary works', async () => {
    const primary = memoryKv();
    const kv = resilientKv(primary);
    await kv.setMany([['a', 1]]);
    expect(await primary.get('a')).toBe(1);
    expect(kv.problem()).toBeNull();
  });
});

describe('damaged records are listed, named, not dropped', () => {
  it('a meta record with a bad field comes back in `broken` with its name and reason', async () => {
    const dbName = 'damaged-db';
    const store = createModelStore({ dbName, storeName: 'models' });
    await set('meta:abc', { schema: 1, id: 'abc', name: 'My pets model', createdAt: 'x', source: 'y', format: 'nope' }, createStore(dbName, 'models'));
    await set('meta:def', 'garbage', createStore(dbName, 'models'));
    const { models, broken } = await store.list();
    expect(models).toEqual([]);
    expect(broken).toEqual([
      { id: 'abc', reason: '"format" is invalid', name: 'My pets model' },
      { id: 'def', reason: 'the record is not an object' },
    ]);
    await expect(store.load('abc')).rejects.toThrow('The saved model “abc” is damaged ("format" is invalid). Remove it and load the model again.');
  });
});
