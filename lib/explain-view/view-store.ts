/**
 * The Explain view's own store (zustand vanilla; created once per mounted view, plain data only): which
 * method and parameters, which class, how the overlay looks, which tab, and an LRU of finished
 * attributions and model inputs so switching back is instant. Runs are tracked per view key
 * ("explain:main", "explain:grid", "explain:batch"), matching ExplainService's latest-wins keys.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Attribution, ImageInput, MethodId } from '@/lib/explain/types';
import { DEFAULT_LOOK, type LookSettings } from '@/lib/render';
import { emptyLru, lruDrop, lruPut, lruTouch, type Lru } from './result-cache';
import type { ParamValue } from './params';
import type { ExplainTab } from './url-state';

export type RunStatus = 'running' | 'done' | 'error' | 'cancelled';

export interface RunState {
  /** resultKey of the request. */
  key: string;
  status: RunStatus;
  /** In [0, 1]. */
  progress: number;
  error?: string;
  /** Identifies one start of a run (a newer start with the same key gets a new seq). */
  seq?: number;
}

export interface ExplainViewState {
  method: MethodId;
  /** Raw user values per method (normalised against the spec by params.ts when used). */
  params: Partial<Record<MethodId, Record<string, ParamValue>>>;
  /** Explicitly chosen class, or null = the top prediction. */
  target: number | null;
  tab: ExplainTab;
  look: LookSettings;
  sideBySide: boolean;
  showModelInput: boolean;
  presenting: boolean;
  results: Lru<Attribution>;
  inputs: Lru<ImageInput>;
  runs: Record<string, RunState>;
}

export interface ExplainViewActions {
  setMethod(m: MethodId): void;
  setParam(m: MethodId, name: string, v: ParamValue): void;
  setParams(m: MethodId, values: Record<string, ParamValue>): void;
  resetParams(m: MethodId): void;
  setTarget(t: number | null): void;
  setTab(t: ExplainTab): void;
  setLook(patch: Partial<LookSettings>): void;
  set(patch: Partial<Pick<ExplainViewState, 'sideBySide' | 'showModelInput' | 'presenting'>>): void;
  putResult(key: string, a: Attribution): void;
  touchResult(key: string): void;
  putInput(key: string, input: ImageInput): void;
  setRun(viewKey: string, run: RunState | null): void;
  /** Forgets results and inputs of an image that left the strip. */
  forgetImage(imageId: string): void;
}

export type ExplainViewStore = ExplainViewState & ExplainViewActions;

/** Results kept (28×28 maps are ~3 kB; a 224×224 map ~200 kB, so 64 stays well under 20 MB). */
export const RESULT_CACHE_SIZE = 64;

export function createExplainViewStore(init: Partial<ExplainViewState> = {}): StoreApi<ExplainViewStore> {
  return createStore<ExplainViewStore>()((set) => ({
    method: 'grad-cam',
    params: {},
    target: null,
    tab: 'single',
    look: { ...DEFAULT_LOOK },
    sideBySide: false,
    showModelInput: false,
    presenting: false,
    results: emptyLru<Attribution>(RESULT_CACHE_SIZE),
    inputs: emptyLru<ImageInput>(32),
    runs: {},
    ...init,
    setMethod: (method) => set({ method }),
    setParam: (m, name, v) => set((s) => ({ params: { ...s.params, [m]: { ...s.params[m], [name]: v } } })),
    setParams: (m, values) => set((s) => ({ params: { ...s.params, [m]: { ...values } } })),
    resetParams: (m) =>
      set((s) => {
        const params = { ...s.params };
        delete params[m];
        return { params };
      }),
    setTarget: (target) => set({ target }),
    setTab: (tab) => set({ tab }),
    setLook: (patch) => set((s) => ({ look: { ...s.look, ...patch } })),
    set: (patch) => set(patch),
    putResult: (key, a) => set((s) => ({ results: lruPut(s.results, key, a) })),
    touchResult: (key) => set((s) => ({ results: lruTouch(s.results, key) })),
    putInput: (key, input) => set((s) => ({ inputs: lruPut(s.inputs, key, input) })),
    setRun: (viewKey, run) =>
      set((s) => {
        const runs = { ...s.runs };
        if (run) runs[viewKey] = run;
        else delete runs[viewKey];
        return { runs };
      }),
    forgetImage: (imageId) =>
      set((s) => ({
        results: lruDrop(s.results, (k) => k.split('|')[1] === imageId),
        inputs: lruDrop(s.inputs, (k) => k.split('|')[1] === imageId),
      })),
  }));
}

/** Key of a cached model input. */
export const inputKey = (modelId: string, imageId: string, resize: string | null) =>
  `${modelId}|${imageId}|${resize ?? 'default'}`;
