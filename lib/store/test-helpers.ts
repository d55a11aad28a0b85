/**
 * Test-only helpers for the store's (and the explain view's and service's) unit tests: promises the test
 * settles, fake attributions and requests, a fake worker API (a plain object; every call recorded), a fake
 * fetch, and a store built over them. Not imported by production code.
 */
import { MANIFEST_TEXT } from '@/lib/testing/bundled-manifest';
import type { StoreApi } from 'zustand/vanilla';
import type { Attribution } from '@/lib/explain/types';
import type { ModelInfo } from '@/lib/models/types';
import type { ExplainRequest, WorkerApi } from '@/lib/runtime/protocol';
import { createDashboardStore, type DashboardStore } from './dashboard-store';
import type { DashboardInit } from './slice';

export interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

export function deferred<T>(): Deferred<T> {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets every pending promise callback run (a few macrotask turns). */
export async function flush(turns = 5): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise((r) => setTimeout(r, 0));
}

/** A 1×1 saliency map whose one value is `target` (tells answers apart in race tests). */
export function fakeAttribution(target: number): Attribution {
  return {
    method: 'saliency',
    target,
    width: 1,
    height: 1,
    values: new Float32Array([target]),
    signed: false,
    scoreKind: 'logit',
    config: {},
    timings: { totalMs: 1, forwardPasses: 1 },
  };
}

/** A saliency request for model "m", image "i" and class `target`. */
export function fakeRequest(target: number): ExplainRequest {
  return { modelId: 'm', imageId: 'i', method: 'saliency', target, config: {} };
}

export { MANIFEST_TEXT } from '@/lib/testing/bundled-manifest';

/** A ModelInfo good enough for the store (it only reads id, name, labels, numClasses). */
export function fakeInfo(id: string, labels = ['a', 'b', 'c']): ModelInfo {
  return { id, name: `model ${id}`, labels, numClasses: labels.length } as unknown as ModelInfo;
}

/** Every WorkerApi call answers "not faked" unless the test gives it; calls are recorded by name. */
export function fakeApi(overrides: Partial<Record<keyof WorkerApi, (...args: never[]) => unknown>> = {}) {
  const calls: { name: string; args: unknown[] }[] = [];
  const api = new Proxy({} as Record<string, (...args: unknown[]) => Promise<unknown>>, {
    get(target, name: string) {
      return async (...args: unknown[]) => {
        calls.push({ name, args });
        // A test may replace a call later by assigning it on the api (kept on the proxy's target).
        const impl = (target[name] ??
          (overrides as Record<string, ((...a: unknown[]) => unknown) | undefined>)[name]) as
          ((...a: unknown[]) => unknown) | undefined;
        if (!impl) throw new Error(`fake worker: ${name} not faked`);
        return impl(...args);
      };
    },
  });
  const count = (name: keyof WorkerApi) => calls.filter((c) => c.name === name).length;
  return { api: api as unknown as WorkerApi, calls, count };
}

/** A fetch that serves `routes` (URL ending → body) and 404s the rest. */
export function fakeFetch(routes: Record<string, string | Uint8Array>): typeof fetch {
  return (async (input: RequestInfo | URL) => {
    const url = String(input instanceof Request ? input.url : input);
    const hit = Object.entries(routes).find(([end]) => url.endsWith(end));
    if (!hit) return new Response('not found', { status: 404 });
    return new Response(hit[1] as BodyInit, { status: 200 });
  }) as typeof fetch;
}

/** A store over a fake worker, with in-memory storage and fake pixel URLs, at https://app.test/. */
export function makeStore(api: WorkerApi, init: Partial<DashboardInit> = {}): StoreApi<DashboardStore> {
  const mem = new Map<string, string>();
  return createDashboardStore({
    service: () => ({ api }) as unknown as ReturnType<DashboardInit['service']>,
    fetchImpl: fakeFetch({ '/models/manifest.json': MANIFEST_TEXT }),
    pageUrl: () => 'https://app.test/',
    pixelUrls: { rgba: (_, w, h) => `rgba:${w}x${h}`, pixels: (_, w, h, c) => `px:${w}x${h}x${c}` },
    storage: { getItem: (k) => mem.get(k) ?? null, setItem: (k, v) => void mem.set(k, v) },
    ...init,
  });
}
