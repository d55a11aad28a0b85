'use client';

import { useEffect, useState } from 'react';
import { useDashboard, useExplainService } from '@/components/providers/dashboard-provider';
import type { OodReport } from '@/lib/ood';

export type OodState =
  | { status: 'idle' }
  | { status: 'checking' }
  | { status: 'done'; key: string; report: OodReport }
  | { status: 'error'; key: string; error: string };

/**
 * The labelled set to compare a model with: the bundled set it declares, else a set the user added whose
 * classes are the model's (same names, same order); null when there is none.
 */
function useReferenceSet(modelId: string | null): string | null {
  return useDashboard((s) => {
    if (!modelId) return null;
    const m = s.models[modelId];
    const declared = m?.info?.datasetId ?? m?.manifest?.datasetId;
    if (declared) return declared;
    const labels = m?.info?.labels;
    if (!labels) return null;
    const own = Object.values(s.datasets).find(
      (d) =>
        d.meta.source === 'user' &&
        d.meta.labels.length === labels.length &&
        d.meta.labels.every((l, i) => l === labels[i]),
    );
    return own?.meta.id ?? null;
  });
}

/** Asks the worker whether the image is like the model's evaluation set (loading the set first). */
export function useOodCheck(modelId: string | null, imageId: string | null): OodState {
  const service = useExplainService();
  const resize = useDashboard((s) => s.resize);
  const ready = useDashboard((s) => (modelId ? s.models[modelId]?.status === 'ready' : false));
  const datasetId = useReferenceSet(modelId);
  const ensureDataset = useDashboard((s) => s.ensureDataset);
  const [state, setState] = useState<OodState>({ status: 'idle' });
  const key = modelId && imageId && ready ? JSON.stringify([modelId, imageId, datasetId, resize]) : null;

  useEffect(() => {
    if (!key || !modelId || !imageId) return;
    let stale = false;
    void (async () => {
      try {
        const loaded = datasetId ? await ensureDataset(datasetId) : false;
        const report = await service().api.oodCheck(modelId, imageId, {
          datasetId: loaded && datasetId ? datasetId : undefined,
          resize: resize ?? undefined,
        });
        if (!stale) setState({ status: 'done', key, report });
      } catch (e) {
        if (!stale) setState({ status: 'error', key, error: e instanceof Error ? e.message : String(e) });
      }
    })();
    return () => {
      stale = true;
    };
  }, [key, modelId, imageId, datasetId, resize, ensureDataset, service]);

  if (!key) return { status: 'idle' };
  return (state.status === 'done' || state.status === 'error') && state.key === key ? state : { status: 'checking' };
}
