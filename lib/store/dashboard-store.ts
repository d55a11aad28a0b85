/**
 * The dashboard's store: plain data only (no tensors, models, workers or canvases). Created once per
 * browser tab by DashboardProvider (no module-level global store). It is the combination of one slice per
 * concern — notices, settings, models, images, predictions, datasets, evaluations — each in its own file
 * with its own tests; async actions talk to the worker through the service handed in as a dependency.
 * Middleware, if any is ever needed, goes here on the combined store, never inside a slice.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { pixelsToDataUrl, rgbaToDataUrl } from '@/lib/render';
import type { DashboardInit, StoreDeps } from './slice';
import { createNoticesSlice, type NoticesSlice } from './notices-slice';
import { createSettingsSlice, type SettingsSlice } from './settings-slice';
import { createModelsSlice, type ModelsSlice } from './models-slice';
import { createProbeSlice, type ProbeSlice } from './probe-slice';
import { createImagesSlice, type ImagesSlice } from './images-slice';
import { createPredictionsSlice, type PredictionsSlice } from './predictions-slice';
import { createDatasetsSlice, type DatasetsSlice } from './datasets-slice';
import { createEvaluationsSlice, type EvaluationsSlice } from './evaluations-slice';

export { predictionKey } from './predictions-slice';
export { evaluationKey } from './evaluations-slice';
export { loadedMessage } from './models-slice';
export { verdictOf, type ProbeState, type SpeedsState } from './probe-slice';
export type { DashboardInit, StoreService, PixelUrls } from './slice';

export type DashboardStore = NoticesSlice &
  SettingsSlice &
  ModelsSlice &
  ProbeSlice &
  ImagesSlice &
  PredictionsSlice &
  DatasetsSlice &
  EvaluationsSlice;

/** The actions of the combined store (every function-valued member). */
export type DashboardActions = {
  [K in keyof DashboardStore as DashboardStore[K] extends (...args: never[]) => unknown ? K : never]: DashboardStore[K];
};

function browserStorage(): Pick<Storage, 'getItem' | 'setItem'> | undefined {
  if (typeof window === 'undefined') return undefined;
  try {
    return window.localStorage;
  } catch {
    return undefined; // storage disabled: settings last for the session
  }
}

function resolveDeps(init: DashboardInit): StoreDeps {
  return {
    service: init.service,
    manifestUrl: init.manifestUrl ?? '/models/manifest.json',
    fetch: init.fetchImpl ?? ((input, opts) => fetch(input, opts)),
    pageUrl: init.pageUrl ?? (() => location.href),
    pixelUrls: init.pixelUrls ?? { rgba: rgbaToDataUrl, pixels: pixelsToDataUrl },
    storage: 'storage' in init ? init.storage : browserStorage(),
  };
}

export function createDashboardStore(init: DashboardInit): StoreApi<DashboardStore> {
  const deps = resolveDeps(init);
  return createStore<DashboardStore>()((set, get) => ({
    ...createNoticesSlice(set, get, deps),
    ...createSettingsSlice(set, get, deps),
    ...createModelsSlice(set, get, deps),
    ...createProbeSlice(set, get, deps),
    ...createImagesSlice(set, get, deps),
    ...createPredictionsSlice(set, get, deps),
    ...createDatasetsSlice(set, get, deps),
    ...createEvaluationsSlice(set, get, deps),
  }));
}
