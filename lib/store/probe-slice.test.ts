import { describe, expect, it } from 'vitest';
import type { ModelProbe } from '@/lib/runtime/probe-types';
import { deferred, fakeApi, fakeInfo, flush, makeStore } from './test-helpers';
import { verdictOf } from './probe-slice';

const probeOn = (backend: 'wasm' | 'cpu', ok: boolean): ModelProbe => ({
  modelId: 'm',
  backend,
  checks: {},
  methods: { saliency: ok ? { ok, elsewhere: [], ms: 1 } : { ok, reason: 'no kernel', elsewhere: ['cpu'], ms: 1 } },
  forwardMs: 2,
  totalMs: 3,
  complete: true,
  target: 0,
  outputMoves: true,
});

function storeWithModel(api: ReturnType<typeof fakeApi>['api']) {
  const store = makeStore(api);
  store.setState({
    backend: { backend: 'wasm', reason: 'test', available: ['wasm', 'cpu'] },
    models: { m: { id: 'm', name: 'M', source: 'user', status: 'ready', info: fakeInfo('m') } },
    modelOrder: ['m'],
    selectedModelId: 'm',
  });
  return store;
}

describe('probe slice', () => {
  it('keeps the probe per model; verdictOf reads it (undefined until known)', async () => {
    const { api } = fakeApi({ probe: async () => probeOn('wasm', false) });
    const store = storeWithModel(api);
    expect(verdictOf(store.getState().probes, 'm', 'saliency')).toBeUndefined();
    await store.getState().probeModel('m');
    expect(verdictOf(store.getState().probes, 'm', 'saliency')).toEqual({
      ok: false,
      reason: 'no kernel',
      elsewhere: ['cpu'],
      ms: 1,
    });
    expect(verdictOf(store.getState().probes, null, 'saliency')).toBeUndefined();
  });

  it('a failed probe is kept as an error, with no notice', async () => {
    const { api } = fakeApi({
      probe: async () => {
        throw new Error('worker gone');
      },
    });
    const store = storeWithModel(api);
    expect(await store.getState().probeModel('m')).toBeNull();
    expect(store.getState().probes.m).toEqual({ status: 'error', error: 'worker gone' });
    expect(store.getState().notices).toEqual([]);
  });

  it('backendChanged (WebGL context lost): the badge follows, a notice says so, the models are probed again', async () => {
    const { api, count } = fakeApi({ probe: async () => probeOn('cpu', true) });
    const store = storeWithModel(api);
    store.setState({
      predictions: {
        lost: { status: 'error', error: 'context lost' },
        kept: { status: 'loading' },
      } as never,
    });
    await store.getState().backendChanged({ report: { backend: 'cpu', reason: 'the WebGL context was lost' } });
    // The failed prediction is dropped, so the views ask for it again on the new backend.
    expect(Object.keys(store.getState().predictions)).toEqual(['kept']);
    expect(store.getState().backend).toEqual({
      backend: 'cpu',
      reason: 'the WebGL context was lost',
      available: ['wasm', 'cpu'],
    });
    expect(store.getState().notices.at(-1)).toMatchObject({
      kind: 'error',
      text: expect.stringMatching(
        /WebGL context was lost; now running on CPU for this session \(your models were reloaded/,
      ),
    });
    expect(count('probe')).toBeGreaterThan(0);
    expect(store.getState().probes.m).toMatchObject({ status: 'done', probe: { backend: 'cpu' } });
    await store.getState().backendChanged({ error: 'no backend could start again' });
    expect(store.getState()).toMatchObject({ backendError: 'no backend could start again', probes: {} });
    expect(store.getState().notices.at(-1)).toMatchObject({ kind: 'error', text: 'no backend could start again' });
  });

  it('switchBackend: new report (available kept), stale probe dropped, every ready model probed again', async () => {
    const gate = deferred<ModelProbe>();
    let backend: 'wasm' | 'cpu' = 'wasm';
    const { api, count } = fakeApi({
      probe: () => (backend === 'wasm' ? gate.promise : Promise.resolve(probeOn('cpu', true))),
      switchBackend: async (name: 'cpu') => {
        backend = name;
        return { backend: name, reason: 'chosen in the backend menu' };
      },
    });
    const store = storeWithModel(api);
    const early = store.getState().probeModel('m');
    expect(await store.getState().switchBackend('cpu')).toBe(true);
    expect(store.getState().backend).toMatchObject({ backend: 'cpu', available: ['wasm', 'cpu'] });
    expect(verdictOf(store.getState().probes, 'm', 'saliency')?.ok).toBe(true);
    gate.resolve(probeOn('wasm', false)); // the WASM probe answers late: ignored
    expect(await early).toBeNull();
    expect(verdictOf(store.getState().probes, 'm', 'saliency')?.ok).toBe(true);
    expect(count('probe')).toBe(2);
    expect(store.getState().notices.map((n) => n.text)).toEqual([
      'Now running on CPU for this session (your models were reloaded on it).',
    ]);
    expect(await store.getState().switchBackend('cpu')).toBe(true);
    expect(count('switchBackend')).toBe(1);
  });

  it('a switch that fails says so and keeps the backend', async () => {
    const { api } = fakeApi({
      switchBackend: async () => {
        throw new Error('The WEBGL backend could not start in this browser; still on WASM.');
      },
    });
    const store = storeWithModel(api);
    expect(await store.getState().switchBackend('webgl')).toBe(false);
    await flush();
    expect(store.getState().backend?.backend).toBe('wasm');
    expect(store.getState().switchingBackend).toBeNull();
    expect(store.getState().notices[0]?.text).toMatch(/Could not switch to WebGL: The WEBGL backend could not start/);
  });

  it('measureBackends keeps the speeds per model, or the error', async () => {
    const { api } = fakeApi({
      backendSpeeds: async () => [
        { backend: 'wasm', ms: 3 },
        { backend: 'cpu', ms: null, error: 'it could not start' },
      ],
    });
    const store = storeWithModel(api);
    await store.getState().measureBackends('m');
    expect(store.getState().backendSpeeds.m).toEqual({
      status: 'done',
      speeds: [
        { backend: 'wasm', ms: 3 },
        { backend: 'cpu', ms: null, error: 'it could not start' },
      ],
    });
  });
});
