'use client';

import { useCallback, useEffect, useMemo } from 'react';
import type { StoreApi } from 'zustand/vanilla';
import { useDashboard, useExplainService } from '@/components/providers/dashboard-provider';
import { predictionKey } from '@/lib/store/dashboard-store';
import { getMethodMeta } from '@/lib/explain/catalog';
import type { Attribution, ImageInput, MethodId } from '@/lib/explain/types';
import type { ExplainService } from '@/lib/runtime/explain-service';
import { lruGet } from '@/lib/explain-view/result-cache';
import { resolveParams, type ParamValue } from '@/lib/explain-view/params';
import { argmax, explainJob, type ExplainJob } from '@/lib/explain-view/request';
import { inputKey, type ExplainViewStore, type RunState } from '@/lib/explain-view/view-store';
import { useExplainView, useExplainViewApi } from './view-context';

let seq = 0;
const EMPTY: Record<string, ParamValue> = {};

/**
 * Runs `job` through the service under `serviceKey` (latest-wins there) and records its state under
 * `runKey`. A run superseded by a newer one on the same service key is forgotten (so it re-runs when asked
 * again); one the user cancelled stays 'cancelled' until started again by hand.
 */
export async function startRun(service: () => ExplainService, store: StoreApi<ExplainViewStore>, serviceKey: string, runKey: string, job: ExplainJob): Promise<void> {
  const id = ++seq;
  const mine = () => store.getState().runs[runKey]?.seq === id;
  store.getState().setRun(runKey, { key: job.key, status: 'running', progress: 0, seq: id });
  let last = 0;
  try {
    const a = await service().explain(serviceKey, job.request, (f) => {
      const now = performance.now();
      if (f < 1 && now - last < 80) return;
      last = now;
      const r = store.getState().runs[runKey];
      if (r && r.seq === id && r.status === 'running') store.getState().setRun(runKey, { ...r, progress: f });
    });
    store.getState().putResult(job.key, a);
    if (mine()) store.getState().setRun(runKey, { key: job.key, status: 'done', progress: 1, seq: id });
  } catch (e) {
    if (!mine()) return;
    const cur = store.getState().runs[runKey] as RunState;
    if (e instanceof Error && e.name === 'AbortError') {
      if (cur.status === 'running') store.getState().setRun(runKey, null);
      return;
    }
    store.getState().setRun(runKey, { key: job.key, status: 'error', progress: 0, seq: id, error: e instanceof Error ? e.message : String(e) });
  }
}

/** Marks the run as cancelled by the user and stops it in the worker. */
export function cancelRun(service: () => ExplainService, store: StoreApi<ExplainViewStore>, serviceKey: string, runKey: string): void {
  const r = store.getState().runs[runKey];
  if (r?.status === 'running') store.getState().setRun(runKey, { ...r, status: 'cancelled' });
  service().cancel(serviceKey);
}

/** The model's prediction for an image (asks for it when missing) and its top class. */
export function usePrediction(modelId: string | null, imageId: string | null) {
  const resize = useDashboard((s) => s.resize);
  const key = modelId && imageId ? predictionKey(modelId, imageId, resize) : null;
  const state = useDashboard((s) => (key ? s.predictions[key] : undefined));
  const ready = useDashboard((s) => (modelId ? s.models[modelId]?.status === 'ready' : false));
  const ensurePrediction = useDashboard((s) => s.ensurePrediction);
  useEffect(() => {
    if (modelId && imageId && ready && !state) void ensurePrediction(modelId, imageId);
  }, [modelId, imageId, ready, state, ensurePrediction]);
  const probs = state?.prediction?.probs;
  const top = useMemo(() => (probs ? argmax(probs) : null), [probs]);
  return { state, probs, top };
}

/** The exact model input for display (cached in the view store). */
export function useModelInput(modelId: string | null, imageId: string | null): ImageInput | undefined {
  const service = useExplainService();
  const store = useExplainViewApi();
  const resize = useDashboard((s) => s.resize);
  const ready = useDashboard((s) => (modelId ? s.models[modelId]?.status === 'ready' : false));
  const key = modelId && imageId ? inputKey(modelId, imageId, resize) : null;
  const input = useExplainView((s) => (key ? lruGet(s.inputs, key) : undefined));
  useEffect(() => {
    if (!key || !modelId || !imageId || !ready || input) return;
    let stale = false;
    service()
      .api.modelInput(modelId, imageId, resize ?? undefined)
      .then((x) => !stale && store.getState().putInput(key, x))
      .catch(() => undefined);
    return () => {
      stale = true;
    };
  }, [key, modelId, imageId, ready, input, resize, service, store]);
  return input;
}

/** The job for (model, image, method, class) with the view's parameters for that method; null if not ready. */
export function useJob(modelId: string | null, imageId: string | null, methodId: MethodId, target: number | null): ExplainJob | null {
  const info = useDashboard((s) => (modelId ? s.models[modelId]?.info : undefined));
  const resize = useDashboard((s) => s.resize);
  const raw = useExplainView((s) => s.params[methodId] ?? EMPTY);
  return useMemo(() => {
    if (!modelId || !imageId || !info || target === null || target < 0 || target >= info.numClasses) return null;
    const method = getMethodMeta(methodId);
    if (!method.isCompatible(info)) return null;
    const params = resolveParams(method, raw, { numClasses: info.numClasses, spatialLayers: info.spatialLayers });
    return explainJob({ modelId, imageId, method, params, target, resize });
  }, [modelId, imageId, info, target, methodId, raw, resize]);
}

/**
 * Keeps `job`'s result available: returns the cached attribution, or starts the run when `auto` and it is
 * neither running, failed nor cancelled by the user for this very request.
 */
export function useExplainRun(serviceKey: string, runKey: string, job: ExplainJob | null, auto: boolean) {
  const service = useExplainService();
  const store = useExplainViewApi();
  const result = useExplainView((s) => (job ? lruGet(s.results, job.key) : undefined));
  const run = useExplainView((s) => s.runs[runKey]);
  const jobKey = job?.key ?? null;
  useEffect(() => {
    if (!job || !auto) return;
    const st = store.getState();
    if (lruGet(st.results, job.key)) {
      st.touchResult(job.key);
      return;
    }
    const r = st.runs[runKey];
    if (r && r.key === job.key && r.status !== 'done') return;
    void startRun(service, store, serviceKey, runKey, job);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- keyed by the request's key
  }, [jobKey, auto, serviceKey, runKey, service, store]);
  const start = useCallback(() => {
    if (job) void startRun(service, store, serviceKey, runKey, job);
  }, [job, service, store, serviceKey, runKey]);
  const cancel = useCallback(() => cancelRun(service, store, serviceKey, runKey), [service, store, serviceKey, runKey]);
  const current = run && job && run.key === job.key ? run : undefined;
  return { result: result as Attribution | undefined, run: current, start, cancel };
}
