'use client';
/**
 * The page's handle on the benchmark worker (browser only): one module Worker running ./worker.ts, seen
 * both as an ExplainService (explanations go through the same latest-wins service the dashboard uses) and
 * as the typed BenchWorkerApi (everything else). tfjs-free: tfjs lives in the worker.
 */
import * as Comlink from 'comlink';
import { ExplainService } from '@/lib/runtime';
import type { BenchWorkerApi } from './protocol';

export interface BenchConnection {
  service: ExplainService;
  api: Comlink.Remote<BenchWorkerApi>;
  /** Cancels running explanations and ends the worker. */
  terminate(): void;
}

export function connectBenchWorker(): BenchConnection {
  const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'bench-worker' });
  // Two comlink proxies on one endpoint: each matches replies by its own message ids. Only the service's is
  // released (in terminate), right before the worker ends.
  const service = new ExplainService(() => ({ endpoint: worker, terminate: () => worker.terminate() }));
  const api = Comlink.wrap<BenchWorkerApi>(worker);
  return { service, api, terminate: () => service.terminate() };
}
