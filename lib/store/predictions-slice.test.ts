import { describe, expect, it } from 'vitest';
import type { Prediction } from '@/lib/runtime/protocol';
import { deferred, fakeApi, fakeInfo, flush, makeStore } from './test-helpers';
import { predictionKey } from './predictions-slice';

const pred = (imageId: string, top: number): Prediction => ({
  modelId: 'm',
  imageId,
  probs: new Float32Array([top === 0 ? 1 : 0, top === 1 ? 1 : 0]),
  scores: new Float32Array(2),
  ms: 1,
});
const readyModel = {
  m: { id: 'm', name: 'm', source: 'user' as const, status: 'ready' as const, info: fakeInfo('m') },
};

describe('predictions slice', () => {
  it('predicts once per (model, image, resize); a new resize policy is a new key', async () => {
    const f = fakeApi({ predict: (_m: string, img: string) => pred(img, 1) });
    const store = makeStore(f.api);
    store.setState({ models: readyModel });
    await Promise.all([store.getState().ensurePrediction('m', 'i'), store.getState().ensurePrediction('m', 'i')]);
    expect(f.count('predict')).toBe(1);
    expect(store.getState().predictions[predictionKey('m', 'i', null)]?.status).toBe('ready');
    store.getState().setResize('pad');
    await store.getState().ensurePrediction('m', 'i');
    expect(f.calls.filter((c) => c.name === 'predict').map((c) => c.args[2])).toEqual([undefined, 'pad']);
    expect(Object.keys(store.getState().predictions)).toEqual(['m|i|default', 'm|i|pad']);
  });

  it('an error is kept with its message and asked again next time', async () => {
    let fail = true;
    const f = fakeApi({ predict: () => (fail ? Promise.reject(new Error('image gone')) : pred('i', 0)) });
    const store = makeStore(f.api);
    store.setState({ models: readyModel });
    await store.getState().ensurePrediction('m', 'i');
    expect(store.getState().predictions['m|i|default']).toEqual({ status: 'error', error: 'image gone' });
    fail = false;
    await store.getState().ensurePrediction('m', 'i');
    expect(store.getState().predictions['m|i|default']?.status).toBe('ready');
  });

  it('a model that cannot be loaded gives an error state', async () => {
    const store = makeStore(fakeApi({ loadSaved: () => Promise.reject(new Error('deleted')) }).api);
    store.setState({ models: { u: { id: 'u', name: 'u', source: 'user', status: 'idle' } } });
    await store.getState().ensurePrediction('u', 'i');
    expect(store.getState().predictions['u|i|default']).toEqual({ status: 'error', error: 'model not loaded' });
  });

  it('race: start A (fails slowly), retry B resolves, then A settles: B stays', async () => {
    const answers = [deferred<Prediction>(), deferred<Prediction>()];
    let n = 0;
    const f = fakeApi({ predict: () => (answers[n++] as ReturnType<typeof deferred<Prediction>>).promise });
    const store = makeStore(f.api);
    store.setState({ models: readyModel });
    const a = store.getState().ensurePrediction('m', 'i');
    await flush();
    // The entry is dropped (e.g. the model's settings changed), so the view asks again.
    store.setState({ predictions: {} });
    const b = store.getState().ensurePrediction('m', 'i');
    await flush();
    answers[1]?.resolve(pred('i', 1));
    await b;
    answers[0]?.reject(new Error('stale failure'));
    await a;
    expect(store.getState().predictions['m|i|default']?.status).toBe('ready');
    expect(store.getState().predictions['m|i|default']?.prediction?.probs[1]).toBe(1);
  });

  it('a prediction dropped while on its way (image removed) is not brought back', async () => {
    const answer = deferred<Prediction>();
    const store = makeStore(fakeApi({ predict: () => answer.promise, removeImage: () => undefined }).api);
    store.setState({
      models: readyModel,
      images: [{ id: 'i', name: 'i', width: 1, height: 1, format: 'png', url: 'data:', origin: 'user' }],
    });
    const p = store.getState().ensurePrediction('m', 'i');
    await flush();
    await store.getState().removeImage('i');
    answer.resolve(pred('i', 0));
    await p;
    expect(store.getState().predictions).toEqual({});
  });
});
