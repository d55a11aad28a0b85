'use client';

import { useEffect, useMemo, useRef } from 'react';
import { useDashboard } from '@/components/providers/dashboard-provider';
import { compatibleMethods, getMethodMeta, isSigned, methodChoices } from '@/lib/explain';
import { resolveParams, type ParamContext, type ParamValue } from '@/lib/explain-view';
import { useExplainView, useExplainViewApi } from './view-context';
import { usePrediction } from './use-explain';

const EMPTY: Record<string, ParamValue> = {};
const NO_CTX: ParamContext = { numClasses: 0, spatialLayers: [] };

/**
 * What the Explain view is looking at: model, image, method and its resolved parameters, the explained
 * class (the chosen one, else the top prediction) and its label. Keeps the choice consistent: an
 * incompatible method falls back to the first compatible one, another image explains its own top class.
 */
export function useExplainSelection(hydrated: boolean) {
  const view = useExplainViewApi();
  const modelId = useDashboard((s) => s.selectedModelId);
  const imageId = useDashboard((s) => s.selectedImageId);
  const image = useDashboard((s) => s.images.find((i) => i.id === s.selectedImageId));
  const info = useDashboard((s) => (modelId ? s.models[modelId]?.info : undefined));
  const methodId = useExplainView((s) => s.method);
  const rawParams = useExplainView((s) => s.params[s.method] ?? EMPTY);
  const chosenTarget = useExplainView((s) => s.target);

  const probeState = useDashboard((s) => (modelId ? s.probes[modelId] : undefined));
  const probe = probeState?.status === 'done' ? probeState.probe : null;
  /** While the capability probe runs nothing starts (a refused method is never offered, then failed). */
  const probing = probeState?.status === 'running' && !probe;
  const methods = useMemo(() => (info ? compatibleMethods(info, probe) : []), [info, probe]);
  const choices = useMemo(() => (info ? methodChoices(info, probe) : []), [info, probe]);
  const method = getMethodMeta(methodId);
  const { probs, top } = usePrediction(modelId, imageId);
  const target = chosenTarget !== null && info && chosenTarget < info.numClasses ? chosenTarget : top;
  const ctx = useMemo(
    (): ParamContext => (info ? { numClasses: info.numClasses, spatialLayers: info.spatialLayers } : NO_CTX),
    [info],
  );
  const params = useMemo(() => resolveParams(method, rawParams, ctx), [method, rawParams, ctx]);
  const label = (k: number | null) => (k === null ? '…' : (info?.labels[k] ?? `class ${k}`));

  useEffect(() => {
    if (info && methods.length && !methods.some((m) => m.id === methodId)) view.getState().setMethod(methods[0]!.id);
  }, [info, methods, methodId, view]);

  const prevImage = useRef<string | null>(null);
  useEffect(() => {
    if (hydrated && prevImage.current !== null && prevImage.current !== imageId) view.getState().setTarget(null);
    prevImage.current = imageId;
  }, [imageId, hydrated, view]);

  return {
    modelId,
    imageId,
    image,
    info,
    methods,
    choices,
    probing,
    /** The selected method may run now: the probe is not running and did not refuse it. */
    canRun: !probing && choices.some((c) => c.meta.id === methodId && c.runnable && !c.pending),
    methodId,
    method,
    params,
    ctx,
    target,
    top,
    probs,
    label,
    signed: isSigned(method, params),
  };
}

export type ExplainSelection = ReturnType<typeof useExplainSelection>;
