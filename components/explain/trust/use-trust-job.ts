'use client';

import { useCallback, useEffect, useMemo, useState } from 'react';
import { proxy } from 'comlink';
import { useDashboard, useExplainService } from '@/components/providers/dashboard-provider';
import { isAbortError, latestWins } from '@/lib/store';
import type { ExplainService } from '@/lib/runtime';

export interface TrustJobState<T> {
  /** The inputs the state belongs to (a result for other inputs is not shown). */
  key: string;
  status: 'running' | 'done' | 'error' | 'cancelled';
  progress: number;
  result?: T;
  error?: string;
}

type Task<T> = (api: ExplainService['api'], requestId: string, onProgress: (f: number) => void) => Promise<T>;

/**
 * One cancellable worker job of the Trust tab, latest-wins: `start(key, task)` cancels the previous run (in
 * the worker too, by request id); `state` is the run for the current `key` only. Plain data in React state.
 */
export function useTrustJob<T>(key: string) {
  const service = useExplainService();
  const runs = useMemo(
    () =>
      latestWins({
        prefix: 'trust:',
        onAbort: (t) =>
          void service()
            .api.cancel(t.id)
            .catch(() => undefined),
      }),
    [service],
  );
  const [state, setState] = useState<TrustJobState<T> | null>(null);
  useEffect(() => () => runs.cancelAll(), [runs]);

  const start = useCallback(
    (task: Task<T>) => {
      const k = key;
      setState({ key: k, status: 'running', progress: 0 });
      runs
        .run('job', (t) =>
          task(
            service().api,
            t.id,
            proxy((f: number) => t.isLatest() && setState((s) => (s?.key === k ? { ...s, progress: f } : s))),
          ),
        )
        .then((result) => setState({ key: k, status: 'done', progress: 1, result }))
        .catch((e: unknown) =>
          setState((s) =>
            s?.key !== k
              ? s
              : isAbortError(e)
                ? { ...s, status: 'cancelled' }
                : { ...s, status: 'error', error: e instanceof Error ? e.message : String(e) },
          ),
        );
    },
    [key, runs, service],
  );
  const cancel = useCallback(() => {
    runs.cancel('job');
    setState((s) => (s && s.status === 'running' ? { ...s, status: 'cancelled' } : s));
  }, [runs]);
  return { state: state?.key === key ? state : null, start, cancel };
}

/** What a set-level check's panel takes: the model and the evaluation set it runs on (none: no panel). */
export interface SetCheckProps {
  modelId: string;
  datasetId: string | undefined;
}

/**
 * A job over the evaluation set `datasetId` (`useTrustJob` keyed by `key` and the set): `start` loads the
 * set in the worker first and refuses in words when it cannot; it does nothing without a set.
 */
export function useSetJob<T>(key: string, datasetId: string | undefined) {
  const ensureDataset = useDashboard((s) => s.ensureDataset);
  const job = useTrustJob<T>(`${key}|${datasetId ?? ''}`);
  const start = (task: (...args: [...Parameters<Task<T>>, datasetId: string]) => Promise<T>) => {
    if (!datasetId) return;
    job.start(async (api, id, onProgress) => {
      if (!(await ensureDataset(datasetId))) throw new Error('The evaluation set could not be loaded.');
      return task(api, id, onProgress, datasetId);
    });
  };
  return { ...job, start };
}
