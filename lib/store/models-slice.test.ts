import { describe, expect, it } from 'vitest';
import type { ManifestModel } from '@/lib/models/types';
import { deferred, fakeApi, fakeFetch, fakeInfo, flush, makeStore, MANIFEST_TEXT } from './test-helpers';
import { loadedMessage } from './models-slice';

const backend = { backend: 'cpu' as const, reason: 'test' };
const saved = [{ id: 'user:1', name: 'Mine', createdAt: '2026-01-01', format: 'layers' as const, source: 'files' }];

describe('models slice: init', () => {
  it('starts the backend, lists bundled then saved models, selects and loads the default', async () => {
    const f = fakeApi({
      init: () => backend,
      listSaved: () => saved,
      loadBundled: (entry: ManifestModel) => fakeInfo(entry.id),
    });
    const store = makeStore(f.api);
    await store.getState().init({ backend: 'cpu' });
    const s = store.getState();
    expect(s.backend).toEqual(backend);
    expect(f.calls[0]).toEqual({ name: 'init', args: [{ backend: 'cpu', wasmBase: 'https://app.test/tfjs-wasm/' }] });
    const bundledIds = (JSON.parse(MANIFEST_TEXT) as { models: { id: string }[] }).models.map((m) => m.id);
    expect(bundledIds.length).toBeGreaterThanOrEqual(3);
    expect(s.modelOrder).toEqual([...bundledIds, 'user:1']);
    expect(s.models['user:1']).toMatchObject({ source: 'user', status: 'idle', name: 'Mine' });
    expect(s.selectedModelId).toBe('fashion-finetuned');
    expect(s.models['fashion-finetuned']?.status).toBe('ready');
    expect(f.calls.find((c) => c.name === 'loadBundled')?.args[1]).toBe('https://app.test/models/manifest.json');
  });
  it('a backend failure is recorded and nothing else is tried', async () => {
    const f = fakeApi({ init: () => Promise.reject(new Error('no WebGL, no WASM')) });
    const store = makeStore(f.api);
    await store.getState().init({});
    expect(store.getState().backendError).toBe('no WebGL, no WASM');
    expect(f.calls.map((c) => c.name)).toEqual(['init']);
  });
  it('a missing manifest and unreadable saved models become notices; the page still works', async () => {
    const f = fakeApi({
      init: () => backend,
      listSaved: () => Promise.reject(new Error('IndexedDB blocked')),
      loadSaved: (id: string) => fakeInfo(id),
    });
    const store = makeStore(f.api, { fetchImpl: fakeFetch({}) });
    await store.getState().init({});
    expect(store.getState().notices.map((n) => n.text)).toEqual([
      'The bundled models could not be listed: the server answered 404',
      "Your saved models could not be read from this browser's storage: IndexedDB blocked",
    ]);
    expect(store.getState().selectedModelId).toBeNull();
  });
});

describe('models slice: loading', () => {
  async function ready(overrides: Parameters<typeof fakeApi>[0] = {}) {
    const load = deferred<unknown>();
    const f = fakeApi({ init: () => backend, listSaved: () => [], loadBundled: () => load.promise, ...overrides });
    const store = makeStore(f.api);
    const initDone = store.getState().init({});
    await flush();
    return { f, store, load, initDone };
  }

  it('concurrent ensureModel calls share one load', async () => {
    const { f, store, load, initDone } = await ready();
    const a = store.getState().ensureModel('fashion-finetuned');
    const b = store.getState().ensureModel('fashion-finetuned');
    expect(store.getState().models['fashion-finetuned']?.status).toBe('loading');
    load.resolve(fakeInfo('fashion-finetuned'));
    expect(await Promise.all([a, b, initDone])).toEqual([true, true, undefined]);
    expect(f.count('loadBundled')).toBe(1);
    expect(await store.getState().ensureModel('fashion-finetuned')).toBe(true);
    expect(f.count('loadBundled')).toBe(1);
    expect(await store.getState().ensureModel('nope')).toBe(false);
  });

  it('select A, select B, B loads, A loads: B stays selected and both are ready', async () => {
    const loads = new Map<string, ReturnType<typeof deferred<unknown>>>();
    const f = fakeApi({
      loadBundled: (entry: ManifestModel) => {
        const d = deferred<unknown>();
        loads.set(entry.id, d);
        return d.promise;
      },
    });
    const store = makeStore(f.api);
    const manifest = JSON.parse(MANIFEST_TEXT) as { models: ManifestModel[] };
    store.setState({
      models: Object.fromEntries(
        manifest.models.map((m) => [
          m.id,
          { id: m.id, name: m.name, source: 'bundled' as const, status: 'idle' as const, manifest: m },
        ]),
      ),
    });
    const a = store.getState().selectModel('fashion-scratch');
    const b = store.getState().selectModel('mnist-cnn');
    await flush();
    loads.get('mnist-cnn')?.resolve(fakeInfo('mnist-cnn'));
    await b;
    loads.get('fashion-scratch')?.resolve(fakeInfo('fashion-scratch'));
    await a;
    expect(store.getState().selectedModelId).toBe('mnist-cnn');
    expect(store.getState().models['fashion-scratch']?.status).toBe('ready');
  });

  it('a failed load is an error state and a notice; the next ask tries again', async () => {
    const { f, store, load, initDone } = await ready();
    load.reject(new Error('weights missing'));
    await initDone;
    expect(store.getState().models['fashion-finetuned']).toMatchObject({ status: 'error', error: 'weights missing' });
    expect(store.getState().notices.at(-1)?.text).toMatch(/could not be loaded: weights missing/);
    await store.getState().ensureModel('fashion-finetuned');
    expect(f.count('loadBundled')).toBe(2);
  });

  it('a user model is added, selected and its assumed settings are named', async () => {
    const f = fakeApi({
      loadFromFiles: () => ({ info: fakeInfo('user:9'), inferred: ['labels', 'name'], warnings: ['Odd input size.'] }),
    });
    const store = makeStore(f.api);
    const p = store.getState().loadUserFiles([]);
    expect(store.getState().busy.loadModel).toBe(true);
    expect(await p).toBe('user:9');
    expect(store.getState()).toMatchObject({ selectedModelId: 'user:9', busy: { loadModel: false } });
    expect(store.getState().notices.at(-1)?.text).toBe(
      loadedMessage('model user:9', ['labels', 'name'], ['Odd input size.']),
    );
    expect(loadedMessage('m', ['labels', 'normalization'], [])).toContain(
      'No card said the class names, input value range',
    );
    const bad = makeStore(fakeApi({ loadFromFiles: () => Promise.reject(new Error('not a model')) }).api);
    expect(await bad.getState().loadUserFiles([])).toBeNull();
    expect(bad.getState().notices.at(-1)).toMatchObject({ kind: 'error', text: 'not a model' });
  });

  it('changing settings drops that model’s predictions and evaluations only', async () => {
    const f = fakeApi({ updateSaved: () => ({ info: fakeInfo('u', ['x', 'y']), inferred: [], warnings: [] }) });
    const store = makeStore(f.api);
    store.setState({
      models: { u: { id: 'u', name: 'u', source: 'user', status: 'ready' } },
      predictions: { 'u|img-1|default': { status: 'ready' }, 'v|img-1|default': { status: 'ready' } },
      evaluations: { 'u|ds': { status: 'ready', progress: 1 }, 'v|ds': { status: 'ready', progress: 1 } },
    });
    expect(await store.getState().updateModelSettings('u', { labels: ['x', 'y'] })).toBe(true);
    expect(Object.keys(store.getState().predictions)).toEqual(['v|img-1|default']);
    expect(Object.keys(store.getState().evaluations)).toEqual(['v|ds']);
    expect(store.getState().models.u?.info?.labels).toEqual(['x', 'y']);
    expect(store.getState().notices.at(-1)?.text).toBe('Settings saved.');
  });

  it('removing the selected model selects the default; rename trims and ignores blanks', async () => {
    const f = fakeApi({ unload: () => undefined, removeSaved: () => undefined, renameSaved: () => undefined });
    const store = makeStore(f.api);
    store.setState({
      models: {
        a: { id: 'a', name: 'A', source: 'user', status: 'ready', info: fakeInfo('a') },
        b: { id: 'b', name: 'B', source: 'user', status: 'idle' },
      },
      modelOrder: ['a', 'b'],
      selectedModelId: 'a',
      predictions: { 'a|i|default': { status: 'ready' } },
    });
    await store.getState().renameModel('a', '  New  ');
    await store.getState().renameModel('a', '   ');
    expect(f.count('renameSaved')).toBe(1);
    expect(store.getState().models.a).toMatchObject({ name: 'New', info: { name: 'New' } });
    await store.getState().removeModel('a');
    expect(store.getState()).toMatchObject({ modelOrder: ['b'], selectedModelId: 'b', predictions: {} });
    expect(store.getState().models.a).toBeUndefined();
  });
});
