/**
 * Running one explanation for a view and recording its state in the Explain view store (runs[runKey]):
 * latest-wins per run key (one set of tickets per view store), on top of the service's latest-wins per
 * service key.
 */
import type { StoreApi } from 'zustand/vanilla';
import type { ExplainService } from '@/lib/runtime/explain-service';
import { isAbortError, latestWinsPer } from '@/lib/store/latest-wins';
import type { ExplainJob } from './request';
import type { ExplainViewStore, RunState } from './view-store';

/** What a run needs of the service. */
export type RunService = () => Pick<ExplainService, 'explain' | 'cancel'>;

/** Latest-wins per run key, one set of tickets per view store. */
const ticketsFor = latestWinsPer<StoreApi<ExplainViewStore>>({ prefix: 'run:' });

/**
 * Runs `job` through the service under `serviceKey` (latest-wins there) and records its state under
 * `runKey`. A run superseded by a newer one on the same service key is forgotten (so it re-runs when asked
 * again); one the user cancelled stays 'cancelled' until started again by hand.
 */
export async function startRun(
  service: RunService,
  store: StoreApi<ExplainViewStore>,
  serviceKey: string,
  runKey: string,
  job: ExplainJob,
): Promise<void> {
  const ticket = ticketsFor(store).start(runKey);
  const id = ticket.seq;
  store.getState().setRun(runKey, { key: job.key, status: 'running', progress: 0, seq: id });
  let last = 0;
  try {
    const a = await service().explain(serviceKey, job.request, (f) => {
      const now = performance.now();
      if (f < 1 && now - last < 80) return;
      last = now;
      const r = store.getState().runs[runKey];
      if (ticket.isLatest() && r && r.status === 'running') store.getState().setRun(runKey, { ...r, progress: f });
    });
    store.getState().putResult(job.key, a);
    if (ticket.isLatest()) store.getState().setRun(runKey, { key: job.key, status: 'done', progress: 1, seq: id });
  } catch (e) {
    if (!ticket.isLatest()) return;
    const cur = store.getState().runs[runKey] as RunState;
    if (isAbortError(e)) {
      if (cur.status === 'running') store.getState().setRun(runKey, null);
      return;
    }
    store.getState().setRun(runKey, {
      key: job.key,
      status: 'error',
      progress: 0,
      seq: id,
      error: e instanceof Error ? e.message : String(e),
    });
  } finally {
    ticket.finish();
  }
}

/** Marks the run as cancelled by the user and stops it in the worker. */
export function cancelRun(
  service: RunService,
  store: StoreApi<ExplainViewStore>,
  serviceKey: string,
  runKey: string,
): void {
  const r = store.getState().runs[runKey];
  if (r?.status === 'running') store.getState().setRun(runKey, { ...r, status: 'cancelled' });
  service().cancel(serviceKey);
}
