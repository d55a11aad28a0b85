/**
 * Models: the backend report, the bundled manifest, every model the page knows (bundled and the user's),
 * which one is selected, and loading them in the worker (each model loaded once; concurrent asks share
 * the load).
 */
import type { Manifest } from '@/lib/models/types';
import { parseManifest } from '@/lib/models/manifest';
import { proxy } from 'comlink';
import type { BackendReport, ModelLoadProgressFn, UserLoadResult, UserModelOptions } from '@/lib/runtime/protocol';
import type { ModelEntry } from './types';
import { busyAction, errorText, withoutKeys, type Slice } from './slice';

export interface ModelsSlice {
  backend: BackendReport | null;
  backendError: string | null;
  manifest: Manifest | null;
  models: Record<string, ModelEntry>;
  modelOrder: string[];
  selectedModelId: string | null;
  /** True once init has listed the bundled and saved models (an id not among them then is unknown). */
  modelsListed: boolean;
  /**
   * Starts the backend (`threads`: WASM threads, `?threads=`; default one per core), lists bundled and saved
   * models, selects (and loads) the default one.
   */
  init(opts: { backend?: string; threads?: number }): Promise<void>;
  selectModel(id: string): Promise<void>;
  /** Loads `id` in the worker unless it is ready; true when it is. Concurrent calls share one load. */
  ensureModel(id: string): Promise<boolean>;
  /** Any format (TF.js, ONNX, Keras); `onProgress` gets (fraction, stage) from the worker. */
  loadUserFiles(files: File[], opts?: UserModelOptions, onProgress?: ModelLoadProgressFn): Promise<string | null>;
  renameModel(id: string, name: string): Promise<void>;
  /** Changes a user model's settings (labels, normalisation, channel order, resize, output kind). */
  updateModelSettings(id: string, opts: UserModelOptions): Promise<boolean>;
  removeModel(id: string): Promise<void>;
  /** Lists and selects a user model the worker built and saved itself (a fine-tuned head); loads nothing new. */
  adoptBuiltModel(id: string, name: string): Promise<void>;
}

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

const ofModel = (id: string) => (key: string) => key.startsWith(`${id}|`);

export const createModelsSlice: Slice<ModelsSlice> = (set, get, deps) => {
  const inflight = new Map<string, Promise<boolean>>();
  const manifestHref = () => new URL(deps.manifestUrl, deps.pageUrl()).href;

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
  const adoptUserModel = (load: () => Promise<UserLoadResult>): Promise<string | null> =>
    busyAction(get, 'loadModel', async () => {
      const { info, inferred, warnings } = await load();
      addModelEntry({ id: info.id, name: info.name, source: 'user', status: 'ready', info, inferred });
      set({ selectedModelId: info.id });
      void get().probeModel(info.id);
      get().notify('info', loadedMessage(info.name, inferred, warnings));
      return info.id;
    });

  return {
    backend: null,
    backendError: null,
    manifest: null,
    models: {},
    modelOrder: [],
    selectedModelId: null,
    modelsListed: false,

    async init({ backend, threads }) {
      const api = deps.service().api;
      try {
        const report = await api.init({ backend, threads, wasmBase: new URL('/tfjs-wasm/', deps.pageUrl()).href });
        set({ backend: report });
        void api.watchBackend(proxy((change) => void get().backendChanged(change))).catch(() => undefined);
      } catch (e) {
        set({ backendError: errorText(e) });
        return;
      }
      let manifest: Manifest | null = null;
      try {
        const res = await deps.fetch(deps.manifestUrl);
        if (!res.ok) throw new Error(`the server answered ${res.status}`);
        manifest = parseManifest(await res.json());
        set({ manifest });
        for (const m of manifest.models)
          addModelEntry({ id: m.id, name: m.name, source: 'bundled', status: 'idle', manifest: m });
      } catch (e) {
        get().notify('error', `The bundled models could not be listed: ${errorText(e)}`);
      }
      try {
        for (const saved of await api.listSaved()) {
          addModelEntry({ id: saved.id, name: saved.name, source: 'user', status: 'idle', saved });
          if (saved.damaged)
            get().notify(
              'error',
              `The saved model “${saved.name}” is damaged (${saved.damaged}); remove it and load the model again.`,
            );
        }
      } catch (e) {
        get().notify('error', `Your saved models could not be read from this browser's storage: ${errorText(e)}`);
      }
      set({ modelsListed: true });
      const first = manifest?.defaults.explain ?? get().modelOrder[0];
      if (first && !get().selectedModelId) await get().selectModel(first);
    },

    async ensureModel(id) {
      const entry = get().models[id];
      if (!entry) return false;
      if (entry.status === 'ready') return true;
      const pending = inflight.get(id);
      if (pending) return pending;
      const api = deps.service().api;
      const job = (async () => {
        patchModel(id, { status: 'loading', error: undefined });
        try {
          const info = entry.manifest ? await api.loadBundled(entry.manifest, manifestHref()) : await api.loadSaved(id);
          patchModel(id, { status: 'ready', info, name: entry.name || info.name });
          void get().probeModel(id);
          return true;
        } catch (e) {
          const msg = errorText(e);
          patchModel(id, { status: 'error', error: msg });
          get().notify('error', `Model “${entry.name}” could not be loaded: ${msg}`);
          return false;
        } finally {
          inflight.delete(id);
        }
      })();
      inflight.set(id, job);
      return job;
    },

    async selectModel(id) {
      if (!get().models[id]) return;
      set({ selectedModelId: id });
      await get().ensureModel(id);
    },

    loadUserFiles(files, opts = {}, onProgress) {
      return adoptUserModel(() =>
        deps.service().api.loadFromFiles(files, opts, onProgress ? proxy(onProgress) : undefined),
      );
    },

    async updateModelSettings(id, opts) {
      try {
        const { info, inferred, warnings } = await deps.service().api.updateSaved(id, opts);
        patchModel(id, { info, name: info.name, status: 'ready', inferred });
        void get().probeModel(id);
        set((s) => ({
          predictions: withoutKeys(s.predictions, ofModel(id)),
          evaluations: withoutKeys(s.evaluations, ofModel(id)),
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

    async adoptBuiltModel(id, name) {
      addModelEntry({ id, name, source: 'user', status: 'idle' });
      await get().selectModel(id);
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
        const selectedModelId =
          s.selectedModelId === id ? (s.manifest?.defaults.explain ?? modelOrder[0] ?? null) : s.selectedModelId;
        return { models, modelOrder, predictions: withoutKeys(s.predictions, ofModel(id)), selectedModelId };
      });
    },
  };
};
