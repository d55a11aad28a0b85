'use client';
/**
 * The page's handle on the worker. Owns the Worker object and its comlink proxy; the UI calls these
 * methods and gets plain data back. Explanations are latest-wins per view key: a newer request for the
 * same key cancels the older one in the worker.
 */
import * as Comlink from 'comlink';
import type { Attribution } from '@/lib/explain/types';
import type { ExplainRequest, WorkerApi } from './protocol';

export class AbortedError extends Error {
  constructor() {
    super('Cancelled');
    this.name = 'AbortError';
  }
}

let counter = 0;

export class ExplainService {
  readonly api: Comlink.Remote<WorkerApi>;
  private readonly worker: Worker;
  private readonly latest = new Map<string, string>();

  constructor() {
    this.worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'tfjs-worker' });
    this.api = Comlink.wrap<WorkerApi>(this.worker);
  }

  /**
   * Runs an explanation. `viewKey` identifies the panel asking (e.g. "explain:main" or "compare:a"): a newer
   * call with the same key cancels the older one, whose promise rejects with AbortedError.
   */
  async explain(viewKey: string, req: ExplainRequest, onProgress?: (f: number) => void): Promise<Attribution> {
    const requestId = `${viewKey}#${++counter}`;
    const previous = this.latest.get(viewKey);
    this.latest.set(viewKey, requestId);
    if (previous) void this.api.cancel(previous);
    try {
      const result = await this.api.explain(requestId, req, onProgress ? Comlink.proxy(onProgress) : undefined);
      if (this.latest.get(viewKey) !== requestId) throw new AbortedError();
      return result;
    } catch (e) {
      if (this.latest.get(viewKey) !== requestId || (e instanceof Error && e.name === 'AbortError')) {
        throw new AbortedError();
      }
      throw e;
    } finally {
      if (this.latest.get(viewKey) === requestId) this.latest.delete(viewKey);
    }
  }

  /** Cancels whatever is running for this view key. */
  cancel(viewKey: string): void {
    const id = this.latest.get(viewKey);
    if (id) {
      this.latest.delete(viewKey);
      void this.api.cancel(id);
    }
  }

  terminate(): void {
    this.api[Comlink.releaseProxy]();
    this.worker.terminate();
  }
}
