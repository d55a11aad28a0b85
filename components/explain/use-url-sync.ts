'use client';

import { useEffect, useState } from 'react';
import type { StoreApi } from 'zustand/vanilla';
import { useDashboardApi } from '@/components/providers/dashboard-provider';
import type { DashboardStore } from '@/lib/store';
import { getMethodMeta } from '@/lib/explain';
import {
  formatExplainUrl,
  paramsToUrl,
  parseExplainUrl,
  resolveParams,
  type ExplainUrlState,
} from '@/lib/explain-view';
import { useExplainViewApi } from './view-context';

function waitFor(store: StoreApi<DashboardStore>, ok: (s: DashboardStore) => boolean, ms: number): Promise<void> {
  return new Promise((resolve) => {
    if (ok(store.getState())) return resolve();
    const timer = setTimeout(() => {
      unsub();
      resolve();
    }, ms);
    const unsub = store.subscribe((s) => {
      if (ok(s)) {
        clearTimeout(timer);
        unsub();
        resolve();
      }
    });
  });
}

/**
 * Reads the view from the URL once (model, bundled-set image, method, parameters, class, tab), then keeps
 * the URL in step with the view (history.replaceState, no navigation). Returns true once the URL was applied.
 */
export function useUrlSync(): boolean {
  const dash = useDashboardApi();
  const view = useExplainViewApi();
  const [hydrated, setHydrated] = useState(false);

  useEffect(() => {
    let cancelled = false;
    const url = parseExplainUrl(window.location.search);
    const v = view.getState();
    if (url.method) {
      v.setMethod(url.method);
      if (Object.keys(url.params).length) v.setParams(url.method, url.params);
    }
    v.setTab(url.tab);
    void (async () => {
      await waitFor(dash, (s) => s.selectedModelId !== null || s.backendError !== null, 60_000);
      const s = dash.getState();
      if (url.model && url.model !== s.selectedModelId) {
        if (s.models[url.model]) await s.selectModel(url.model);
        else
          s.notify(
            'info',
            `The model “${url.model}” in the link is not available here; showing ${s.selectedModelId ?? 'no model'}.`,
          );
      }
      if (url.sample && !cancelled) await openSample(dash, url.sample.datasetId, url.sample.index);
      if (cancelled) return;
      if (url.target !== null) view.getState().setTarget(url.target);
      setHydrated(true);
    })();
    return () => {
      cancelled = true;
    };
  }, [dash, view]);

  useEffect(() => {
    if (!hydrated) return;
    const write = () => {
      const s = dash.getState();
      const v = view.getState();
      const info = s.selectedModelId ? s.models[s.selectedModelId]?.info : undefined;
      const image = s.images.find((i) => i.id === s.selectedImageId);
      const method = getMethodMeta(v.method);
      const raw = v.params[v.method] ?? {};
      const params = info
        ? paramsToUrl(
            method,
            resolveParams(method, raw, { numClasses: info.numClasses, spatialLayers: info.spatialLayers }),
          )
        : {};
      const state: ExplainUrlState = {
        model: s.selectedModelId,
        sample: image?.sample ?? null,
        method: v.method,
        target: v.target,
        tab: v.tab,
        params,
      };
      const q = formatExplainUrl(state, window.location.search);
      if (q !== window.location.search)
        window.history.replaceState(window.history.state, '', `${window.location.pathname}${q}${window.location.hash}`);
    };
    write();
    const a = dash.subscribe(write);
    const b = view.subscribe(write);
    return () => {
      a();
      b();
    };
  }, [hydrated, dash, view]);

  return hydrated;
}

async function openSample(dash: StoreApi<DashboardStore>, datasetId: string, index: number): Promise<void> {
  const s = dash.getState();
  const existing = s.images.find((i) => i.sample?.datasetId === datasetId && i.sample.index === index);
  if (existing) return s.selectImage(existing.id);
  const ds = s.manifest?.datasets.find((d) => d.id === datasetId);
  if (!ds) return s.notify('info', `The evaluation set “${datasetId}” in the link is not bundled here.`);
  if (index >= ds.count)
    return s.notify('info', `The link asks for image ${index} of “${ds.name}”, which has ${ds.count} images.`);
  if (!(await s.ensureDataset(datasetId))) return;
  await dash.getState().openDatasetImage(datasetId, index);
}
