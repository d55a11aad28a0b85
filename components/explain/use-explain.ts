'use client';

import { useCallback, useEffect, useMemo } from 'react';
import { useDashboard, useExplainService } from '@/components/providers/dashboard-provider';
import { predictionKey } from '@/lib/store';
import { getMethodMeta, type Attribution, type ImageInput, type MethodId } from '@/lib/explain';
import {
  argmax,
  cancelRun,
  explainJob,
  inputKey,
  lruGet,
  resolveParams,
  startRun,
  type ExplainJob,
  type ParamValue,
} from '@/lib/explain-view';
import { useExplainView, useExplainViewApi } from './view-context';

const EMPTY: Record<string, ParamValue> = {};

export { cancelRun, startRun };

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
export function useJob(
  modelId: string | null,
  imageId: string | null,
  methodId: MethodId,
  target: number | null,
): ExplainJob | null {
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
