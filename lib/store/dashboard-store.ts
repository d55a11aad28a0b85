/**
 * The dashboard's store: plain data only (no tensors, models, workers or canvases). Created once per
 * browser tab by DashboardProvider (no module-level global store). Async actions talk to the worker
 * through the ExplainService handed in as a dependency.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Manifest, ResizePolicy } from '@/lib/models/types';
import type { ExplainService } from '@/lib/runtime/explain-service';
import type { UserLoadResult, UserModelOptions } from '@/lib/runtime/protocol';
import { parseManifest } from '@/lib/models/manifest';
import type { CostSettings, DashboardState, ImageEntry, ModelEntry, Notice } from './types';
import { defaultCostSettings, labelSetKey, loadCostSettings, saveCostSettings } from './cost-settings';

export interface DashboardActions {
  init(opts: { backend?: string }): Promise<void>;
  notify(kind: Notice['kind'], text: string): void;
  dismissNotice(id: number): void;
  selectModel(id: string): Promise<void>;
  ensureModel(id: string): Promise<boolean>;
  loadUserFiles(files: File[], opts?: UserModelOptions): Promise<string | null>;
  loadUserUrl(url: string, opts?: UserModelOptions): Promise<string | null>;
  renameModel(id: string, name: string): Promise<void>;
  /** Changes a user model's settings (labels, normalisation, channel order, resize, output kind). */
  updateModelSettings(id: string, opts: UserModelOptions): Promise<boolean>;
  removeModel(id: string): Promise<void>;
  addImageFiles(files: File[]): Promise<void>;
  addSamples(datasetId: string, count: number): Promise<void>;
  selectImage(id: string): void;
  removeImage(id: string): Promise<void>;
  setResize(policy: ResizePolicy | null): void;
  ensurePrediction(modelId: string, imageId: string): Promise<void>;
  /** Fetches a bundled evaluation set into the worker (once). */
  ensureDataset(datasetId: string): Promise<boolean>;
  /**
   * A user's labelled images (folder per class, zip, or images + CSV) for `modelId`'s labels. `paths`
   * (optional, same length as `files`) gives each file's relative path when the browser does not (a folder
   * dropped onto the page: its File objects have an empty webkitRelativePath).
   */
  addLabelledSet(files: File[], modelId: string, paths?: string[]): Promise<string | null>;
  /** Runs (once, cached) `modelId` over `datasetId`; progress in `evaluations[key].progress`. */
  ensureEvaluation(modelId: string, datasetId: string): Promise<void>;
  cancelEvaluation(modelId: string, datasetId: string): void;
  /** Cost settings for a label set (defaults: 0/1 costs, no prior shift, no merges). */
  costSettingsFor(labels: readonly string[]): CostSettings;
  setCostSettings(labels: readonly string[], patch: Partial<CostSettings>): void;
  /** Opens an image of an evaluation set in the image strip and selects it. */
  openDatasetImage(datasetId: string, index: number): Promise<string | null>;
}

export type DashboardStore = DashboardState & DashboardActions;

export const predictionKey = (modelId: string, imageId: string, resize: ResizePolicy | null) =>
  `${modelId}|${imageId}|${resize ?? 'default'}`;

export const evaluationKey = (modelId: string, datasetId: string) => `${modelId}|${datasetId}`;

const FIELD_NAMES: Record<string, string> = {
  labels: 'class names',
  normalization: 'input value range',
  channelOrder: 'channel order',
  resize: 'resize policy',
  inputSize: 'input size',
  channels: 'channels',
  outputKind: 'logits vs probabilities',
  invert: 'inversion',
  name: 'name',
};

/** "Loaded X … Assumed: …" — says which settings nobody gave, so the user can correct them. */
export function loadedMessage(name: string, inferred: readonly string[], warnings: readonly string[]): string {
  const assumed = inferred.filter((f) => f !== 'name' && f !== 'inputSize' && f !== 'channels');
  let msg = `Loaded “${name}” and saved it in this browser.`;
  if (assumed.length) {
    msg += ` No card said the ${assumed.map((f) => FIELD_NAMES[f] ?? f).join(', ')}, so defaults were assumed — check them under Models → Settings.`;
  }
  if (warnings.length) msg += ` ${warnings.join(' ')}`;
  return msg;
}

function errorText(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}

export function createDashboardStore(deps: {
  service: () => ExplainService;
  manifestUrl?: string;
  fetchImpl?: typeof fetch;
}): StoreApi<DashboardStore> {
  const manifestUrl = deps.manifestUrl ?? '/models/manifest.json';
  let noticeId = 0;
  const inflightModels = new Map<string, Promise<boolean>>();
  const inflightDatasets = new Map<string, Promise<boolean>>();
  const evalRequests = new Map<string, string>();
  let evalSeq = 0;
  /** Bumped by every start and every cancel of an evaluation, so a cancel during the model/set loading wins. */
  const evalGen = new Map<string, number>();

  return createStore<DashboardStore>()((set, get) => {
    const patchModel = (id: string, patch: Partial<ModelEntry>) =>
      set((s) => {
        const prev = s.models[id];
        if (!prev) return s;
        return { models: { ...s.models, [id]: { ...prev, ...patch } } };
      });

    const addModelEntry = (entry: ModelEntry) =>
      set((s) => ({
        models: { ...s.models, [entry.id]: entry },
        modelOrder: s.modelOrder.includes(entry.id) ? s.modelOrder : [...s.modelOrder, entry.id],
      }));

    /** Runs a user-model load, adds and selects the model, and tells the user what was assumed. */
    const adoptUserModel = async (load: () => Promise<UserLoadResult>): Promise<string | null> => {
      set((s) => ({ busy: { ...s.busy, loadModel: true } }));
      try {
        const { info, inferred, warnings } = await load();
        addModelEntry({ id: info.id, name: info.name, source: 'user', status: 'ready', info, inferred });
        set({ selectedModelId: info.id });
        get().notify('info', loadedMessage(info.name, inferred, warnings));
        return info.id;
      } catch (e) {
        get().notify('error', errorText(e));
        return null;
      } finally {
        set((s) => ({ busy: { ...s.busy, loadModel: false } }));
      }
    };

    return {
      backend: null,
      backendError: null,
      manifest: null,
      models: {},
      modelOrder: [],
      selectedModelId: null,
      images: [],
      selectedImageId: null,
      resize: null,
      predictions: {},
      notices: [],
      busy: {},
      datasets: {},
      evaluations: {},
      costSettings: typeof window === 'undefined' ? {} : loadCostSettings(),

      notify(kind, text) {
        const id = ++noticeId;
        set((s) => ({ notices: [...s.notices.slice(-4), { id, kind, text }] }));
      },
      dismissNotice(id) {
        set((s) => ({ notices: s.notices.filter((n) => n.id !== id) }));
      },

      async init({ backend }) {
        const api = deps.service().api;
        try {
          const report = await api.init({ backend, wasmBase: new URL('/tfjs-wasm/', location.href).href });
          set({ backend: report });
        } catch (e) {
          set({ backendError: errorText(e) });
          return;
        }
        let manifest: Manifest | null = null;
        try {
          const res = await (deps.fetchImpl ?? fetch)(manifestUrl);
          if (!res.ok) throw new Error(`the server answered ${res.status}`);
          manifest = parseManifest(await res.json());
          set({ manifest });
          for (const m of manifest.models) {
            addModelEntry({ id: m.id, name: m.name, source: 'bundled', status: 'idle', manifest: m });
          }
        } catch (e) {
          get().notify('error', `The bundled models could not be listed: ${errorText(e)}`);
        }
        try {
          for (const saved of await api.listSaved()) {
            addModelEntry({ id: saved.id, name: saved.name, source: 'user', status: 'idle', saved });
          }
        } catch (e) {
          get().notify('error', `Your saved models could not be read from this browser's storage: ${errorText(e)}`);
        }
        const first = manifest?.defaults.explain ?? get().modelOrder[0];
        if (first && !get().selectedModelId) await get().selectModel(first);
      },

      async ensureModel(id) {
        const entry = get().models[id];
        if (!entry) return false;
        if (entry.status === 'ready') return true;
        const pending = inflightModels.get(id);
        if (pending) return pending;
        const api = deps.service().api;
        const job = (async () => {
          patchModel(id, { status: 'loading', error: undefined });
          try {
            const info = entry.manifest
              ? await api.loadBundled(entry.manifest, new URL(manifestUrl, location.href).href)
              : await api.loadSaved(id);
            patchModel(id, { status: 'ready', info, name: entry.name || info.name });
            return true;
          } catch (e) {
            const msg = errorText(e);
            patchModel(id, { status: 'error', error: msg });
            get().notify('error', `Model “${entry.name}” could not be loaded: ${msg}`);
            return false;
          } finally {
            inflightModels.delete(id);
          }
        })();
        inflightModels.set(id, job);
        return job;
      },

      async selectModel(id) {
        if (!get().models[id]) return;
        set({ selectedModelId: id });
        await get().ensureModel(id);
      },

      loadUserFiles(files, opts = {}) {
        return adoptUserModel(() => deps.service().api.loadFromFiles(files, opts));
      },

      loadUserUrl(url, opts = {}) {
        return adoptUserModel(() => deps.service().api.loadFromUrl(url, opts));
      },

      async updateModelSettings(id, opts) {
        try {
          const { info, inferred, warnings } = await deps.service().api.updateSaved(id, opts);
          patchModel(id, { info, name: info.name, status: 'ready', inferred });
          set((s) => ({
            predictions: Object.fromEntries(Object.entries(s.predictions).filter(([k]) => !k.startsWith(`${id}|`))),
            evaluations: Object.fromEntries(Object.entries(s.evaluations).filter(([k]) => !k.startsWith(`${id}|`))),
          }));
          get().notify('info', warnings.length ? `Settings saved. ${warnings.join(' ')}` : 'Settings saved.');
          return true;
        } catch (e) {
          get().notify('error', `The settings were not changed: ${errorText(e)}`);
          return false;
        }
      },

      async renameModel(id, name) {
        const trimmed = name.trim();
        if (!trimmed) return;
        try {
          await deps.service().api.renameSaved(id, trimmed);
          const entry = get().models[id];
          patchModel(id, { name: trimmed, info: entry?.info ? { ...entry.info, name: trimmed } : undefined });
        } catch (e) {
          get().notify('error', `Could not rename: ${errorText(e)}`);
        }
      },

      async removeModel(id) {
        const api = deps.service().api;
        try {
          await api.unload(id);
          await api.removeSaved(id);
        } catch (e) {
          get().notify('error', `Could not remove: ${errorText(e)}`);
          return;
        }
        set((s) => {
          const models = { ...s.models };
          delete models[id];
          const modelOrder = s.modelOrder.filter((m) => m !== id);
          const predictions = Object.fromEntries(Object.entries(s.predictions).filter(([k]) => !k.startsWith(`${id}|`)));
          const selectedModelId =
            s.selectedModelId === id ? (s.manifest?.defaults.explain ?? modelOrder[0] ?? null) : s.selectedModelId;
          return { models, modelOrder, predictions, selectedModelId };
        });
      },

      async addImageFiles(files) {
        const api = deps.service().api;
        set((s) => ({ busy: { ...s.busy, images: true } }));
        try {
          for (const file of files) {
            try {
              const bytes = await file.arrayBuffer();
              const meta = await api.addImage(bytes, file.name);
              const url = URL.createObjectURL(new Blob([bytes], { type: file.type || 'application/octet-stream' }));
              const entry: ImageEntry = { ...meta, url, origin: 'user' };
              set((s) => ({ images: [...s.images, entry], selectedImageId: entry.id }));
            } catch (e) {
              get().notify('error', `“${file.name}”: ${errorText(e)}`);
            }
          }
        } finally {
          set((s) => ({ busy: { ...s.busy, images: false } }));
        }
      },

      async addSamples(datasetId, count) {
        const ds = get().manifest?.datasets.find((d) => d.id === datasetId);
        if (!ds) return;
        const api = deps.service().api;
        try {
          const base = new URL(manifestUrl, location.href);
          const [imgRes, lblRes] = await Promise.all([fetch(new URL(ds.imagesUrl, base)), fetch(new URL(ds.labelsUrl, base))]);
          if (!imgRes.ok || !lblRes.ok) throw new Error('the evaluation set could not be fetched');
          const pixels = new Uint8Array(await imgRes.arrayBuffer());
          const labels = new Uint8Array(await lblRes.arrayBuffer());
          const size = ds.height * ds.width * ds.channels;
          const n = Math.min(count, ds.count);
          for (let i = 0; i < n; i++) {
            const label = ds.labels[labels[i] ?? 0] ?? '?';
            const name = `${ds.id} #${i} (${label})`;
            const slice = pixels.slice(i * size, (i + 1) * size);
            const meta = await api.addPixels(slice, ds.width, ds.height, ds.channels, name);
            const url = pixelsToDataUrl(slice, ds.width, ds.height, ds.channels);
            set((s) => ({ images: [...s.images, { ...meta, url, origin: 'sample', sample: { datasetId: ds.id, index: i } }] }));
          }
          if (!get().selectedImageId) set((s) => ({ selectedImageId: s.images[0]?.id ?? null }));
        } catch (e) {
          get().notify('error', `Samples could not be added: ${errorText(e)}`);
        }
      },

      selectImage(id) {
        if (get().images.some((i) => i.id === id)) set({ selectedImageId: id });
      },

      async removeImage(id) {
        const img = get().images.find((i) => i.id === id);
        if (!img) return;
        await deps.service().api.removeImage(id).catch(() => undefined);
        if (img.url.startsWith('blob:')) URL.revokeObjectURL(img.url);
        set((s) => {
          const images = s.images.filter((i) => i.id !== id);
          const idx = s.images.findIndex((i) => i.id === id);
          const selectedImageId =
            s.selectedImageId === id ? (images[Math.min(idx, images.length - 1)]?.id ?? null) : s.selectedImageId;
          const predictions = Object.fromEntries(Object.entries(s.predictions).filter(([k]) => !k.includes(`|${id}|`)));
          return { images, selectedImageId, predictions };
        });
      },

      setResize(policy) {
        set({ resize: policy });
      },

      async ensurePrediction(modelId, imageId) {
        const resize = get().resize;
        const key = predictionKey(modelId, imageId, resize);
        const cur = get().predictions[key];
        if (cur && cur.status !== 'error') return;
        set((s) => ({ predictions: { ...s.predictions, [key]: { status: 'loading' } } }));
        const ok = await get().ensureModel(modelId);
        if (!ok) {
          set((s) => ({ predictions: { ...s.predictions, [key]: { status: 'error', error: 'model not loaded' } } }));
          return;
        }
        try {
          const prediction = await deps.service().api.predict(modelId, imageId, resize ?? undefined);
          set((s) => ({ predictions: { ...s.predictions, [key]: { status: 'ready', prediction } } }));
        } catch (e) {
          set((s) => ({ predictions: { ...s.predictions, [key]: { status: 'error', error: errorText(e) } } }));
        }
      },

      async ensureDataset(datasetId) {
        if (get().datasets[datasetId]) return true;
        const pending = inflightDatasets.get(datasetId);
        if (pending) return pending;
        const entry = get().manifest?.datasets.find((d) => d.id === datasetId);
        if (!entry) return false;
        const job = (async () => {
          try {
            const { meta, labels } = await deps.service().api.loadBundledDataset(entry, new URL(manifestUrl, location.href).href);
            set((s) => ({ datasets: { ...s.datasets, [datasetId]: { meta, labels } } }));
            return true;
          } catch (e) {
            get().notify('error', errorText(e));
            return false;
          } finally {
            inflightDatasets.delete(datasetId);
          }
        })();
        inflightDatasets.set(datasetId, job);
        return job;
      },

      async addLabelledSet(files, modelId, paths) {
        const info = get().models[modelId]?.info;
        if (!info) {
          get().notify('error', 'Load the model first: its class names decide how folders and CSV labels are matched.');
          return null;
        }
        set((s) => ({ busy: { ...s.busy, labelledSet: true } }));
        try {
          const payload = await Promise.all(
            files.map(async (f, i) => ({ path: paths?.[i] || f.webkitRelativePath || f.name, bytes: await f.arrayBuffer() })),
          );
          const root = payload[0]?.path.split('/')[0];
          const name = root && payload.every((p) => p.path.startsWith(`${root}/`)) ? root : `${files.length} files`;
          const { meta, labels, report } = await deps.service().api.addLabelledSet(name, payload, info.labels);
          set((s) => ({ datasets: { ...s.datasets, [meta.id]: { meta, labels, report } } }));
          return meta.id;
        } catch (e) {
          get().notify('error', errorText(e));
          return null;
        } finally {
          set((s) => ({ busy: { ...s.busy, labelledSet: false } }));
        }
      },

      async ensureEvaluation(modelId, datasetId) {
        const key = evaluationKey(modelId, datasetId);
        const cur = get().evaluations[key];
        if (cur && (cur.status === 'ready' || cur.status === 'loading')) return;
        const setEval = (patch: Partial<import('./types').EvaluationState>) =>
          set((s) => ({
            evaluations: { ...s.evaluations, [key]: { status: 'loading', progress: 0, ...s.evaluations[key], ...patch } },
          }));
        setEval({ status: 'loading', progress: 0, error: undefined });
        const gen = (evalGen.get(key) ?? 0) + 1;
        evalGen.set(key, gen);
        const okModel = await get().ensureModel(modelId);
        const okData = get().datasets[datasetId] ? true : await get().ensureDataset(datasetId);
        if (evalGen.get(key) !== gen) return; // cancelled (or restarted) while the model or the set was loading
        if (!okModel || !okData) {
          setEval({ status: 'error', error: okModel ? 'the evaluation set could not be loaded' : 'the model could not be loaded' });
          return;
        }
        const requestId = `eval:${key}#${++evalSeq}`;
        evalRequests.set(key, requestId);
        try {
          const { proxy } = await import('comlink');
          const result = await deps
            .service()
            .api.evaluate(requestId, modelId, datasetId, {}, proxy((f: number) => {
              if (evalRequests.get(key) === requestId) setEval({ progress: f });
            }));
          if (evalRequests.get(key) !== requestId) return;
          setEval({ status: 'ready', progress: 1, result });
        } catch (e) {
          if (evalRequests.get(key) !== requestId) return;
          const aborted = e instanceof Error && e.name === 'AbortError';
          setEval({ status: aborted ? 'idle' : 'error', error: aborted ? undefined : errorText(e) });
        } finally {
          if (evalRequests.get(key) === requestId) evalRequests.delete(key);
        }
      },

      cancelEvaluation(modelId, datasetId) {
        const key = evaluationKey(modelId, datasetId);
        const requestId = evalRequests.get(key);
        if (!requestId && get().evaluations[key]?.status !== 'loading') return;
        evalGen.set(key, (evalGen.get(key) ?? 0) + 1);
        evalRequests.delete(key);
        if (requestId) void deps.service().api.cancel(requestId);
        set((s) => ({ evaluations: { ...s.evaluations, [key]: { status: 'idle', progress: 0 } } }));
      },

      costSettingsFor(labels) {
        return get().costSettings[labelSetKey(labels)] ?? defaultCostSettings(labels.length);
      },

      setCostSettings(labels, patch) {
        const key = labelSetKey(labels);
        set((s) => {
          const next = { ...(s.costSettings[key] ?? defaultCostSettings(labels.length)), ...patch };
          const costSettings = { ...s.costSettings, [key]: next };
          saveCostSettings(costSettings);
          return { costSettings };
        });
      },

      async openDatasetImage(datasetId, index) {
        try {
          const meta = await deps.service().api.addDatasetImage(datasetId, index);
          const px = await deps.service().api.datasetImage(datasetId, index);
          const url = rgbaToDataUrl(px.data, px.width, px.height);
          set((s) => ({ images: [...s.images, { ...meta, url, origin: 'sample', sample: { datasetId, index } }], selectedImageId: meta.id }));
          return meta.id;
        } catch (e) {
          get().notify('error', `The image could not be opened: ${errorText(e)}`);
          return null;
        }
      },
    };
  });
}

/** RGBA pixels → a PNG data URL (display only). */
function rgbaToDataUrl(rgba: Uint8ClampedArray, w: number, h: number): string {
  const canvas = document.createElement('canvas');
  canvas.width = w;
  canvas.height = h;
  const ctx = canvas.getContext('2d');
  if (!ctx) return '';
  ctx.putImageData(new ImageData(new Uint8ClampedArray(rgba), w, h), 0, 0);
  return canvas.toDataURL('image/png');
}

/** Grey or RGB uint8 pixels → a PNG data URL (display only). */
function pixelsToDataUrl(px: Uint8Array, w: number, h: number, c: number): string {
  const canvas = document.createElement('canvas');
  canvas.width = w;
  canvas.height = h;
  const ctx = canvas.getContext('2d');
  if (!ctx) return '';
  const img = ctx.createImageData(w, h);
  for (let i = 0; i < w * h; i++) {
    const r = px[i * c] ?? 0;
    img.data[i * 4] = r;
    img.data[i * 4 + 1] = c === 3 ? (px[i * c + 1] ?? 0) : r;
    img.data[i * 4 + 2] = c === 3 ? (px[i * c + 2] ?? 0) : r;
    img.data[i * 4 + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
  return canvas.toDataURL('image/png');
}
