'use client';

import { useEffect, useState } from 'react';
import type { StoreApi } from 'zustand/vanilla';
import { useDashboardApi } from '@/components/providers/dashboard-provider';
import {
  browserStripStorage,
  fitStrip,
  historyStep,
  readViewChecked,
  refusedMessage,
  restoreStripOnce,
  stripLeftOut,
  userJustActed,
  stripable,
  type DashboardStore,
  type SampleRef,
} from '@/lib/store';
import { getMethodMeta } from '@/lib/explain';
import {
  formatExplainUrl,
  paramsToUrl,
  resolveParams,
  type ExplainUrlState,
  type ExplainViewStore,
} from '@/lib/explain-view';
import { useExplainViewApi } from './view-context';

type ViewApi = StoreApi<ExplainViewStore>;
type DashApi = StoreApi<DashboardStore>;

function waitFor(store: DashApi, ok: (s: DashboardStore) => boolean, ms: number): Promise<void> {
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

/** Sets the view store from a link (method, parameters, tab, look, display switches). */
function applyView(view: ViewApi, url: ExplainUrlState): void {
  const v = view.getState();
  if (url.method) {
    v.setMethod(url.method);
    if (Object.keys(url.params).length) v.setParams(url.method, url.params);
  }
  v.setTab(url.tab);
  v.setLook({
    colormap: url.colormap ?? undefined,
    opacity: url.opacity,
    clipPercentile: url.clip,
    absolute: url.absolute,
    mode: url.mode,
  });
  v.set({ sideBySide: url.sideBySide, showModelInput: url.showModelInput });
}

/** Model, strip, selected sample and class from a link (waits for the model list). */
async function applyDashboard(dash: DashApi, view: ViewApi, url: ExplainUrlState, first: boolean): Promise<void> {
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
  if (first) await restoreStripOnce(dash, { strip: url.strip, sample: url.sample }, browserStripStorage());
  if (url.sample) await openSample(dash, url.sample);
  view.getState().setTarget(url.target);
}

/** The view as a link, and what the link had to leave out (for a notice; "" when nothing). */
function currentUrl(dash: DashApi, view: ViewApi): { state: ExplainUrlState; leftOut: string } {
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
  const strip = s.images.filter((i) => i.id !== s.introImageId);
  const samples = strip.map((i) => i.sample).filter((x): x is SampleRef => !!x && stripable(x));
  const fit = fitStrip(samples);
  return {
    state: {
      model: s.selectedModelId,
      sample: image?.sample ?? null,
      strip: fit.value,
      method: v.method,
      target: v.target,
      tab: v.tab,
      params,
      colormap: v.look.colormap ?? null,
      opacity: v.look.opacity,
      clip: v.look.clipPercentile,
      absolute: v.look.absolute,
      mode: v.look.mode,
      sideBySide: v.sideBySide,
      showModelInput: v.showModelInput,
    },
    leftOut: stripLeftOut(samples.length, fit.kept, strip.length - samples.length),
  };
}

/**
 * Reads the view from the URL once (model, strip, image, method, parameters, class, tab, look), then
 * keeps the URL in step: deliberate changes push a history entry, drags and the strip replace it; back
 * and forward apply the entry's view. Returns true once the URL was applied.
 */
export function useUrlSync(): boolean {
  const dash = useDashboardApi();
  const view = useExplainViewApi();
  const [hydrated, setHydrated] = useState(false);

  useEffect(() => {
    let cancelled = false;
    const { state: url, refused } = readViewChecked('explain', window.location.search);
    const msg = refusedMessage(refused);
    if (msg) dash.getState().notify('info', msg);
    applyView(view, url);
    void applyDashboard(dash, view, url, true).then(() => {
      if (!cancelled) setHydrated(true);
    });
    return () => {
      cancelled = true;
    };
  }, [dash, view]);

  useEffect(() => {
    if (!hydrated) return;
    let applying = false;
    let lastPush = -Infinity;
    const told = new Set<string>();
    const write = (force?: 'replace') => {
      if (applying) return;
      const { state, leftOut } = currentUrl(dash, view);
      const q = formatExplainUrl(state, window.location.search);
      const step =
        force ?? historyStep(window.location.search, q, performance.now() - lastPush, userJustActed(navigator));
      if (leftOut && !told.has(leftOut)) {
        told.add(leftOut);
        dash.getState().notify('info', leftOut);
      }
      if (step === 'none' || q === window.location.search) return;
      const next = `${window.location.pathname}${q}${window.location.hash}`;
      if (step === 'push') {
        window.history.pushState(null, '', next);
        lastPush = performance.now();
      } else window.history.replaceState(window.history.state, '', next);
    };
    const onPop = () => {
      const { state: url } = readViewChecked('explain', window.location.search);
      applying = true;
      applyView(view, url);
      void applyDashboard(dash, view, url, false).finally(() => {
        applying = false;
        write('replace');
      });
    };
    write('replace');
    const a = dash.subscribe(() => write());
    const b = view.subscribe(() => write());
    window.addEventListener('popstate', onPop);
    return () => {
      a();
      b();
      window.removeEventListener('popstate', onPop);
    };
  }, [hydrated, dash, view]);

  return hydrated;
}

async function openSample(dash: DashApi, { datasetId, index }: SampleRef): Promise<void> {
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
