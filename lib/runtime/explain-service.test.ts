import { afterEach, describe, expect, it } from 'vitest';
import * as Comlink from 'comlink';
import type { Attribution } from '@/lib/explain/types';
import { deferred, fakeAttribution, fakeRequest, type Deferred } from '@/lib/store/test-helpers';
import { AbortedError, ExplainService, type ServiceEndpoint } from './explain-service';
import type { ExplainRequest, ProgressFn } from './protocol';

/** A fake worker: each explain waits for the test to settle it; cancel rejects the pending one like the worker does. */
function fakeWorker() {
  const pending = new Map<string, Deferred<Attribution>>();
  const calls: string[] = [];
  const cancelled: string[] = [];
  const progress = new Map<string, ProgressFn>();
  const api = {
    async explain(requestId: string, r: ExplainRequest, onProgress?: ProgressFn) {
      calls.push(requestId);
      if (onProgress) progress.set(requestId, onProgress);
      const d = deferred<Attribution>();
      pending.set(requestId, d);
      void r;
      return d.promise;
    },
    async cancel(requestId: string) {
      cancelled.push(requestId);
      pending.get(requestId)?.reject(Object.assign(new Error('Cancelled'), { name: 'AbortError' }));
    },
    async ping() {
      return 'pong';
    },
  };
  return { api, pending, calls, cancelled, progress };
}

const open: MessagePort[] = [];
function connect(api: object): () => ServiceEndpoint {
  return () => {
    const { port1, port2 } = new MessageChannel();
    Comlink.expose(api, port1);
    open.push(port1, port2);
    return { endpoint: port2, terminate: () => port2.close() };
  };
}
afterEach(() => {
  for (const p of open.splice(0)) p.close();
});

/** Starts an explanation and marks its rejection as handled (the test asserts it later). */
function started<T>(p: Promise<T>): Promise<T> {
  p.catch(() => undefined);
  return p;
}

async function until(ok: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !ok(); i++) await new Promise((r) => setTimeout(r, 2));
  expect(ok()).toBe(true);
}

describe('ExplainService (fake worker over a MessageChannel)', () => {
  it('start A, start B, B resolves, A resolves: B wins, A rejects as aborted and was cancelled in the worker', async () => {
    const w = fakeWorker();
    const svc = new ExplainService(connect(w.api));
    const a = started(svc.explain('explain:main', fakeRequest(1)));
    await until(() => w.calls.length === 1);
    const b = started(svc.explain('explain:main', fakeRequest(2)));
    await until(() => w.calls.length === 2);
    const [idA, idB] = w.calls as [string, string];
    expect(idA).toMatch(/^explain:main#\d+$/);
    await until(() => w.cancelled.includes(idA));
    w.pending.get(idB)?.resolve(fakeAttribution(2));
    await expect(b).resolves.toMatchObject({ target: 2 });
    w.pending.get(idA)?.resolve(fakeAttribution(1)); // already rejected by the cancel: settling again changes nothing
    await expect(a).rejects.toBeInstanceOf(AbortedError);
    svc.terminate();
  });

  it('a late result of a superseded request is dropped even if the worker ignored the cancel', async () => {
    const w = fakeWorker();
    w.api.cancel = async (id: string) => void w.cancelled.push(id); // a worker that does not stop
    const svc = new ExplainService(connect(w.api));
    const a = started(svc.explain('k', fakeRequest(1)));
    await until(() => w.calls.length === 1);
    const b = started(svc.explain('k', fakeRequest(2)));
    await until(() => w.calls.length === 2);
    w.pending.get(w.calls[1] as string)?.resolve(fakeAttribution(2));
    await expect(b).resolves.toMatchObject({ target: 2 });
    w.pending.get(w.calls[0] as string)?.resolve(fakeAttribution(1));
    await expect(a).rejects.toMatchObject({ name: 'AbortError' });
    svc.terminate();
  });

  it('keys are independent; cancel(key) stops only that key', async () => {
    const w = fakeWorker();
    const svc = new ExplainService(connect(w.api));
    const a = started(svc.explain('compare:a', fakeRequest(1)));
    const b = started(svc.explain('compare:b', fakeRequest(2)));
    await until(() => w.calls.length === 2);
    svc.cancel('compare:a');
    await expect(a).rejects.toBeInstanceOf(AbortedError);
    await until(() => w.cancelled.length === 1);
    expect(w.cancelled).toEqual([w.calls.find((c) => c.startsWith('compare:a'))]);
    w.pending.get(w.calls.find((c) => c.startsWith('compare:b')) as string)?.resolve(fakeAttribution(2));
    await expect(b).resolves.toMatchObject({ target: 2 });
    svc.cancel('compare:b'); // nothing running: no call
    await new Promise((r) => setTimeout(r, 10));
    expect(w.cancelled).toHaveLength(1);
    svc.terminate();
  });

  it('errors of the latest request come through with their message', async () => {
    const w = fakeWorker();
    const svc = new ExplainService(connect(w.api));
    const a = started(svc.explain('k', fakeRequest(1)));
    await until(() => w.calls.length === 1);
    w.pending.get(w.calls[0] as string)?.reject(new Error('Class 12 is out of range (the model has 10 classes).'));
    await expect(a).rejects.toThrow('Class 12 is out of range');
    await expect(a).rejects.not.toBeInstanceOf(AbortedError);
    svc.terminate();
  });

  it('progress reaches the caller through a comlink proxy; api passes other calls through', async () => {
    const w = fakeWorker();
    const svc = new ExplainService(connect(w.api));
    const seen: number[] = [];
    const a = started(svc.explain('k', fakeRequest(1), (f) => seen.push(f)));
    await until(() => w.progress.size === 1);
    const report = w.progress.get(w.calls[0] as string) as ProgressFn;
    await report(0.25);
    await report(0.5);
    expect(seen).toEqual([0.25, 0.5]);
    w.pending.get(w.calls[0] as string)?.resolve(fakeAttribution(1));
    await a;
    await expect((svc.api as unknown as { ping(): Promise<string> }).ping()).resolves.toBe('pong');
    svc.terminate();
  });

  it('terminate cancels what is running and closes the endpoint', async () => {
    const w = fakeWorker();
    let closed = 0;
    const base = connect(w.api);
    const svc = new ExplainService(() => {
      const c = base();
      return { endpoint: c.endpoint, terminate: () => (closed++, c.terminate()) };
    });
    const a = started(svc.explain('k', fakeRequest(1)));
    await until(() => w.calls.length === 1);
    svc.terminate();
    await expect(a).rejects.toBeInstanceOf(AbortedError);
    expect(closed).toBe(1);
  });
});
