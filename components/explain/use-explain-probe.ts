'use client';

import { useEffect, useRef } from 'react';
import { useDashboardApi } from '@/components/providers/dashboard-provider';
import { predictionKey } from '@/lib/store';
import type { Attribution } from '@/lib/explain';
import {
  argmax,
  explainJob,
  jobsForMethods,
  lruGet,
  mapStats,
  setExplainProbe,
  type ExplainProbe,
  type ExplainProbeTile,
  type RunState,
} from '@/lib/explain-view';
import { useExplainViewApi } from './view-context';
import type { ExplainSelection } from './use-explain-selection';

interface MainRun {
  result: Attribution | undefined;
  run: RunState | undefined;
}

/** The probe's answer, read from the stores at the moment the test asks (numbers, not pixels). */
function readProbe(
  sel: ExplainSelection,
  main: MainRun,
  dashboard: ReturnType<typeof useDashboardApi>,
  view: ReturnType<typeof useExplainViewApi>,
): ExplainProbe {
  const d = dashboard.getState();
  const v = view.getState();
  const { info, modelId, imageId, target, methods, ctx, method, params, methodId } = sel;
  const tiles = (list: { key: string; method: string; target: number | null; runKey: string }[]): ExplainProbeTile[] =>
    list.map((t) => {
      const a = lruGet(v.results, t.key);
      const r = v.runs[t.runKey];
      return {
        method: t.method,
        target: a?.target ?? t.target,
        status: a ? 'done' : r && r.key === t.key ? r.status : 'queued',
        stats: a ? mapStats(a.values) : null,
        totalMs: a?.timings.totalMs ?? null,
      };
    });
  const grid =
    info && modelId && imageId && target !== null
      ? jobsForMethods({ methods, rawParams: v.params, ctx, modelId, imageId, target, resize: d.resize }).map((t) => ({
          key: t.job.key,
          method: t.method.id,
          target,
          runKey: `grid:${t.method.id}`,
        }))
      : [];
  const batch = d.images.flatMap((im) => {
    const pr = modelId ? d.predictions[predictionKey(modelId, im.id, d.resize)]?.prediction?.probs : undefined;
    if (!pr || !modelId) return [];
    const t = argmax(pr);
    const job = explainJob({ modelId, imageId: im.id, method, params, target: t, resize: d.resize });
    return [{ key: job.key, method: methodId, target: t, runKey: `batch:${im.id}` }];
  });
  return {
    modelId,
    imageId,
    method: methodId,
    target,
    status: main.result ? 'done' : (main.run?.status ?? 'idle'),
    progress: main.run?.progress ?? (main.result ? 1 : 0),
    error: main.run?.error ?? null,
    stats: main.result ? mapStats(main.result.values) : null,
    resultMethod: main.result?.method ?? null,
    resultTarget: main.result?.target ?? null,
    totalMs: main.result?.timings.totalMs ?? null,
    config: main.result?.config
      ? JSON.parse(JSON.stringify(main.result.config, (_k, x: unknown) => (ArrayBuffer.isView(x) ? '[array]' : x)))
      : null,
    tab: v.tab,
    grid: tiles(grid),
    batch: tiles(batch),
  };
}

/** Registers the test-only probe (`window.__why.explain()`, only when NEXT_PUBLIC_TEST_HOOKS=1). */
export function useExplainProbe(sel: ExplainSelection, main: MainRun): void {
  const dashboard = useDashboardApi();
  const view = useExplainViewApi();
  const latest = useRef({ sel, main });
  useEffect(() => {
    latest.current = { sel, main };
  });
  useEffect(() => {
    if (process.env.NEXT_PUBLIC_TEST_HOOKS !== '1') return;
    setExplainProbe(() => readProbe(latest.current.sel, latest.current.main, dashboard, view));
    return () => setExplainProbe(null);
  }, [dashboard, view]);
}
