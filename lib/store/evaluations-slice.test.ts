import { describe, expect, it } from 'vitest';
import type { EvaluationResult, ProgressFn } from '@/lib/runtime/protocol';
import { deferred, fakeApi, fakeInfo, flush, makeStore, type Deferred } from './test-helpers';
import { evaluationKey } from './evaluations-slice';

const result = (n: number): EvaluationResult => ({
  datasetId: 'ds',
  n,
  k: 2,
  probs: new Float32Array(n * 2),
  labels: new Int32Array(n),
  ms: 1,
  prepMs: 0,
  inferMs: 1,
});
const abortError = () => Object.assign(new Error('Cancelled'), { name: 'AbortError' });

/** A store with model "m" ready and set "ds" loaded; evaluate calls wait for the test. */
function setup() {
  const runs: { id: string; answer: Deferred<EvaluationResult>; progress?: ProgressFn }[] = [];
  const f = fakeApi({
    evaluate: (id: string, _m: string, _d: string, _o: unknown, progress?: ProgressFn) => {
      const answer = deferred<EvaluationResult>();
      runs.push({ id, answer, progress });
      return answer.promise;
    },
    cancel: (id: string) => runs.find((r) => r.id === id)?.answer.reject(abortError()),
  });
  const store = makeStore(f.api);
  store.setState({
    models: { m: { id: 'm', name: 'm', source: 'user', status: 'ready', info: fakeInfo('m') } },
    datasets: {
      ds: {
        meta: { id: 'ds', name: 'ds', count: 4, labels: ['a', 'b'], height: 1, width: 1, channels: 1, source: 'user' },
        labels: new Int32Array(4),
      },
    },
  });
  const key = evaluationKey('m', 'ds');
  return { f, store, runs, key, state: () => store.getState().evaluations[key] };
}

describe('evaluations slice', () => {
  it('runs once, reports progress, keeps the result', async () => {
    const { f, store, runs, state } = setup();
    const p = store.getState().ensureEvaluation('m', 'ds');
    await flush();
    expect(state()).toMatchObject({ status: 'loading', progress: 0 });
    expect(runs[0]?.id).toMatch(/^eval:m\|ds#\d+$/);
    runs[0]?.progress?.(0.5);
    expect(state()?.progress).toBe(0.5);
    await store.getState().ensureEvaluation('m', 'ds'); // already loading: no second run
    runs[0]?.answer.resolve(result(4));
    await p;
    expect(state()).toMatchObject({ status: 'ready', progress: 1, result: { n: 4 } });
    await store.getState().ensureEvaluation('m', 'ds');
    expect(f.count('evaluate')).toBe(1);
  });

  it('race: start A, cancel, start B, B resolves, A resolves: B stays', async () => {
    const { f, store, runs, state } = setup();
    f.api.cancel = async () => undefined; // a worker that does not stop A
    const a = store.getState().ensureEvaluation('m', 'ds');
    await flush();
    store.getState().cancelEvaluation('m', 'ds');
    expect(state()).toEqual({ status: 'idle', progress: 0 });
    const b = store.getState().ensureEvaluation('m', 'ds');
    await flush();
    expect(runs).toHaveLength(2);
    runs[1]?.answer.resolve(result(2));
    await b;
    runs[0]?.progress?.(0.9); // A's late progress is ignored too
    runs[0]?.answer.resolve(result(4));
    await a;
    expect(state()).toMatchObject({ status: 'ready', result: { n: 2 } });
  });

  it('cancel stops the run in the worker and goes back to idle', async () => {
    const { f, store, runs, state } = setup();
    const p = store.getState().ensureEvaluation('m', 'ds');
    await flush();
    store.getState().cancelEvaluation('m', 'ds');
    await p;
    expect(f.calls.filter((c) => c.name === 'cancel').map((c) => c.args[0])).toEqual([runs[0]?.id]);
    expect(state()).toEqual({ status: 'idle', progress: 0 });
    store.getState().cancelEvaluation('m', 'ds'); // nothing running: nothing sent
    expect(f.count('cancel')).toBe(1);
  });

  it('a cancel while the model is still loading wins: no run starts', async () => {
    const load = deferred<unknown>();
    const { f, store, state } = setup();
    f.api.loadSaved = () => load.promise as never;
    store.setState({ models: { m: { id: 'm', name: 'm', source: 'user', status: 'idle' } } });
    const p = store.getState().ensureEvaluation('m', 'ds');
    await flush();
    expect(state()?.status).toBe('loading');
    store.getState().cancelEvaluation('m', 'ds');
    load.resolve(fakeInfo('m'));
    await p;
    expect(f.count('evaluate')).toBe(0);
    expect(state()).toEqual({ status: 'idle', progress: 0 });
  });

  it('errors: the worker’s message; a missing model or set says which', async () => {
    const { store, runs, state } = setup();
    const p = store.getState().ensureEvaluation('m', 'ds');
    await flush();
    runs[0]?.answer.reject(new Error('out of memory'));
    await p;
    expect(state()).toMatchObject({ status: 'error', error: 'out of memory' });
    await store.getState().ensureEvaluation('m', 'nope');
    expect(store.getState().evaluations[evaluationKey('m', 'nope')]).toMatchObject({
      status: 'error',
      error: 'the evaluation set could not be loaded',
    });
    await store.getState().ensureEvaluation('ghost', 'ds');
    expect(store.getState().evaluations[evaluationKey('ghost', 'ds')]).toMatchObject({
      status: 'error',
      error: 'the model could not be loaded',
    });
  });
});

describe('temperatures', () => {
  it('are set, removed and persisted per model; hostile stored values are dropped', async () => {
    const { parseTemperatures, TEMPERATURES_STORAGE_KEY } = await import('./cost-settings-temperature');
    expect(parseTemperatures('{"m":1.5,"bad":0,"worse":"x","huge":1e9}')).toEqual({ m: 1.5 });
    expect(parseTemperatures('[1]')).toEqual({});
    const m = new Map<string, string>([[TEMPERATURES_STORAGE_KEY, '{"a":2}']]);
    const storage = { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v) };
    const store = makeStore(fakeApi().api, { storage });
    expect(store.getState().temperatures).toEqual({ a: 2 });
    store.getState().setTemperature('b', 1.25);
    store.getState().setTemperature('a', null);
    expect(store.getState().temperatures).toEqual({ b: 1.25 });
    expect(JSON.parse(m.get(TEMPERATURES_STORAGE_KEY)!)).toEqual({ b: 1.25 });
  });
});
