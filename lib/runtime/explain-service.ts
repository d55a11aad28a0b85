'use client';
/**
 * The page's handle on the worker. Owns the worker endpoint and its comlink proxy; the UI calls these
 * methods and gets plain data back. Explanations are latest-wins per view key: a newer request for the
 * same key cancels the older one in the worker.
 *
 * The endpoint is injected (`new ExplainService(connect)`): the page uses the default, a module Worker
 * running ./worker.ts; tests hand in one end of a MessageChannel with a fake WorkerApi exposed on the other.
 */
import * as Comlink from 'comlink';
import type { Attribution } from '@/lib/explain/types';
import { latestWins, SupersededError } from '@/lib/store/latest-wins';
import type { ExplainRequest, WorkerApi } from './protocol';

/** Rejection of a superseded or cancelled explanation (name 'AbortError'). */
export const AbortedError = SupersededError;
export type AbortedError = SupersededError;

/** Where the service's requests go: a comlink endpoint, and how to close it. */
export interface ServiceEndpoint {
  endpoint: Comlink.Endpoint;
  terminate(): void;
}

/** The production endpoint: the tfjs worker (a module Worker). Browser only. */
export function connectWorker(): ServiceEndpoint {
  const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'tfjs-worker' });
  return { endpoint: worker, terminate: () => worker.terminate() };
}

export class ExplainService {
  readonly api: Comlink.Remote<WorkerApi>;
  private readonly connection: ServiceEndpoint;
  private readonly runs = latestWins({ onAbort: (t) => void this.api.cancel(t.id).catch(() => undefined) });

  constructor(connect: () => ServiceEndpoint = connectWorker) {
    this.connection = connect();
    this.api = Comlink.wrap<WorkerApi>(this.connection.endpoint);
  }

  /**
   * Runs an explanation. `viewKey` identifies the panel asking (e.g. "explain:main" or "compare:a"): a newer
   * call with the same key cancels the older one, whose promise rejects with AbortedError (name
   * 'AbortError'). The worker's request id is `${viewKey}#${n}`.
   */
  explain(viewKey: string, req: ExplainRequest, onProgress?: (f: number) => void): Promise<Attribution> {
    return this.runs.run(viewKey, (t) =>
      this.api.explain(t.id, req, onProgress ? Comlink.proxy(onProgress) : undefined),
    );
  }

  /** Cancels whatever is running for this view key (its promise rejects with AbortedError). */
  cancel(viewKey: string): void {
    this.runs.cancel(viewKey);
  }

  terminate(): void {
    this.runs.cancelAll();
    this.api[Comlink.releaseProxy]();
    this.connection.terminate();
  }
}
