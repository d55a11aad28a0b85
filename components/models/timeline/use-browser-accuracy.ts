'use client';

import { useEffect, useRef, useState } from 'react';
import { proxy } from 'comlink';
import { useDashboard, useExplainService } from '@/components/providers/dashboard-provider';
import { accuracyOf } from '@/lib/timeline';

export interface BrowserAccuracy {
  running: boolean;
  /** Overall fraction in [0, 1] over every checkpoint. */
  progress: number;
  /** Accuracy per checkpoint position (undefined: not computed yet). */
  values: (number | undefined)[];
  error: string | null;
}

const IDLE: BrowserAccuracy = { running: false, progress: 0, values: [], error: null };
let seq = 0;

/**
 * Accuracy of every checkpoint over a bundled evaluation set, computed here with the evaluation runner
 * (the worker's `evaluate`, batched), one checkpoint after the other, with progress and Cancel.
 */
export function useBrowserAccuracy(ids: readonly string[], datasetId: string | null) {
  const service = useExplainService();
  const ensureDataset = useDashboard((s) => s.ensureDataset);
  const [view, setView] = useState<BrowserAccuracy>(IDLE);
  /** The run in progress and the worker request of the checkpoint it is evaluating. */
  const current = useRef<string | null>(null);
  const inflight = useRef<string | null>(null);
  const key = `${ids.join(',')}|${datasetId}`;
  const [shownKey, setShownKey] = useState(key);
  if (shownKey !== key) {
    setShownKey(key);
    setView(IDLE);
  }

  useEffect(
    () => () => {
      if (inflight.current) void service().api.cancel(inflight.current);
      current.current = null;
    },
    [key, service],
  );

  const start = async () => {
    if (!datasetId || ids.length === 0 || current.current) return;
    const run = `timeline-eval#${++seq}`;
    current.current = run;
    const live = () => current.current === run; // false once cancelled, superseded or unmounted
    setView({ ...IDLE, running: true });
    try {
      if (!(await ensureDataset(datasetId))) throw new Error(`The evaluation set ${datasetId} could not be loaded.`);
      for (let i = 0; i < ids.length && live(); i++) {
        inflight.current = `${run}/${i}`;
        const onProgress = (f: number) => live() && setView((v) => ({ ...v, progress: (i + f) / ids.length }));
        const r = await service().api.evaluate(inflight.current, ids[i] as string, datasetId, {}, proxy(onProgress));
        if (!live()) return;
        const acc = accuracyOf(r.probs, r.labels, r.k);
        setView((v) => {
          const values = [...v.values];
          values[i] = acc;
          return { ...v, values, progress: (i + 1) / ids.length };
        });
      }
      if (live()) setView((v) => ({ ...v, running: false }));
    } catch (e) {
      const cancelled = e instanceof Error && e.name === 'AbortError';
      if (live()) setView((v) => ({ ...v, running: false, error: cancelled ? 'Cancelled.' : e instanceof Error ? e.message : String(e) }));
    } finally {
      if (live()) current.current = null;
      inflight.current = null;
    }
  };

  /** Stops at once: the page drops the run; the worker is asked to abort the evaluation in flight. */
  const cancel = () => {
    if (!current.current) return;
    current.current = null;
    if (inflight.current) void service().api.cancel(inflight.current);
    setView((v) => ({ ...v, running: false, error: 'Cancelled.' }));
  };

  return { view, start, cancel };
}
