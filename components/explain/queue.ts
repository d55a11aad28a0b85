'use client';

import { useEffect } from 'react';
import { useExplainService } from '@/components/providers/dashboard-provider';
import { lruGet, type ExplainJob } from '@/lib/explain-view';
import { useExplainView, useExplainViewApi } from './view-context';
import { startRun } from './use-explain';

export interface QueuedJob {
  /** Run key, e.g. "grid:rise" or "batch:img-3". */
  runKey: string;
  job: ExplainJob;
}

/**
 * Runs `jobs` one at a time under one service key (the worker is single-threaded anyway), skipping cached
 * results and requests that failed or that the user cancelled. Cancels what is running on unmount.
 */
export function useJobQueue(serviceKey: string, jobs: readonly QueuedJob[], active: boolean) {
  const service = useExplainService();
  const store = useExplainViewApi();
  const results = useExplainView((s) => s.results);
  const runs = useExplainView((s) => s.runs);
  const signature = jobs.map((j) => `${j.runKey}=${j.job.key}`).join('\n');

  useEffect(() => {
    if (!active) return;
    const st = store.getState();
    if (jobs.some((j) => st.runs[j.runKey]?.status === 'running' && st.runs[j.runKey]?.key === j.job.key)) return;
    const next = jobs.find((j) => {
      if (lruGet(st.results, j.job.key)) return false;
      const r = st.runs[j.runKey];
      return !(r && r.key === j.job.key && (r.status === 'error' || r.status === 'cancelled'));
    });
    if (next) void startRun(service, store, serviceKey, next.runKey, next.job);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `signature` stands for `jobs`
  }, [signature, results, runs, active, service, store, serviceKey]);

  useEffect(() => {
    return () => {
      const st = store.getState();
      for (const [k, r] of Object.entries(st.runs))
        if (r.status === 'running' && jobs.some((j) => j.runKey === k)) st.setRun(k, null);
      service().cancel(serviceKey);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- on unmount only
  }, []);
}
