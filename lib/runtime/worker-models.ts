/**
 * The worker's model registry: loads (bundled, files, URL, IndexedDB), validates, wraps each model in its
 * ModelAdapter, and disposes model + adapter (and the adapter's cached sub-models) together.
 *
 * User files of every format go through `loadAnyModelFromFiles` (lib/models/formats.ts, the one place the
 * format is decided): TF.js and Keras become a LayersModel/GraphModel behind the tfjs adapters; ONNX comes
 * with its own adapter (OnnxAdapter). Saved as their package (TF.js, Keras) or original bytes (ONNX).
 */
import type * as tf from '@tensorflow/tfjs';
import type { ModelAdapter } from '@/lib/explain/types';
import { createGraphAdapter, createLayersAdapter } from '@/lib/models/adapter';
import { fromTfjs, loadAnyModelFromFiles, loadOnnxOriginals, type LoadedAnyModel } from '@/lib/models/formats';
import { loadManifestModel, loadModelFromPackage, type LoadedModel } from '@/lib/models/load';
import { isGraphModel } from '@/lib/models/validate';
import { cardFromAnswers } from '@/lib/models/card';
import { ModelError, type ManifestModel, type ModelInfo } from '@/lib/models/types';
import * as saved from '@/lib/models/store-idb';
import { storageProblemMessage } from '@/lib/models/kv-fallback';
import type { ModelLoadProgressFn, SavedModelMeta, UserLoadResult, UserModelOptions } from './protocol';

interface Loaded {
  info: ModelInfo;
  adapter: ModelAdapter;
}

export class WorkerModels {
  private readonly models = new Map<string, Loaded>();
  /** How to load each model again (bundled: its manifest entry; saved: IndexedDB), for `reloadAll`. */
  private readonly sources = new Map<string, () => Promise<LoadedModel | LoadedAnyModel>>();

  get(id: string): Loaded {
    const m = this.models.get(id);
    if (!m) throw new ModelError('not-found', 'This model is not loaded (it may have been removed). Pick it again.');
    return m;
  }

  private adopt(loaded: LoadedModel | LoadedAnyModel): ModelInfo {
    const any = 'kind' in loaded ? loaded : fromTfjs(loaded);
    const { info } = any;
    let adapter: ModelAdapter;
    if (any.kind === 'onnx') adapter = any.adapter;
    else adapter = isGraphModel(any.model) ? createGraphAdapter(any.model, info) : createLayersAdapter(any.model, info);
    this.unload(info.id);
    this.models.set(info.id, { info, adapter });
    return info;
  }

  async loadBundled(entry: ManifestModel, manifestUrl: string): Promise<ModelInfo> {
    if (this.models.has(entry.id)) return this.get(entry.id).info;
    const info = this.adopt(await loadManifestModel(entry, manifestUrl));
    this.sources.set(info.id, () => loadManifestModel(entry, manifestUrl));
    return info;
  }

  private async persist(input: LoadedModel | LoadedAnyModel): Promise<UserLoadResult> {
    const loaded = 'kind' in input ? input : fromTfjs(input);
    const info = this.adopt(loaded);
    this.sources.set(info.id, () => saved.loadSavedAnyModel(info.id));
    const rec: saved.SaveRecordInput = {
      id: info.id,
      name: info.name,
      card: loaded.card,
      source: loaded.sourceDescription,
      format: info.format,
      formatLabel: loaded.formatLabel,
    };
    if (loaded.kind === 'onnx') rec.originals = loaded.originals;
    else rec.pkg = loaded.package;
    try {
      await saved.saveModel(rec);
    } catch (e) {
      this.unload(info.id);
      throw e;
    }
    const problem = saved.storageProblem();
    const warnings = problem ? [...loaded.warnings, storageProblemMessage(problem)] : [...loaded.warnings];
    return { info, inferred: [...loaded.card.inferred], warnings };
  }

  async loadFromFiles(
    files: File[],
    opts: UserModelOptions,
    onProgress?: ModelLoadProgressFn,
  ): Promise<UserLoadResult> {
    const o: Parameters<typeof loadAnyModelFromFiles>[1] = { source: 'user', card: cardFromAnswers(opts) };
    if (opts.name) o.name = opts.name;
    if (onProgress) o.onProgress = onProgress;
    return this.persist(await loadAnyModelFromFiles(files, o));
  }

  async listSaved(): Promise<SavedModelMeta[]> {
    return saved.listModels();
  }

  async loadSaved(id: string): Promise<ModelInfo> {
    if (this.models.has(id)) return this.get(id).info;
    const info = this.adopt(await saved.loadSavedAnyModel(id));
    this.sources.set(id, () => saved.loadSavedAnyModel(id));
    return info;
  }

  async updateSaved(id: string, opts: UserModelOptions): Promise<UserLoadResult> {
    const rec = await saved.getModel(id);
    const card = { ...rec.card, ...cardFromAnswers(opts) };
    const name = opts.name?.trim() || rec.name;
    if (rec.originals) {
      const loaded = await loadOnnxOriginals(rec.originals, { id, name, source: 'user', card });
      return this.persist({ ...loaded, sourceDescription: rec.source });
    }
    if (!rec.pkg)
      throw new ModelError(
        'corrupt-record',
        `The saved model “${rec.name}” is damaged. Remove it and load the model again.`,
      );
    const loaded = await loadModelFromPackage(rec.pkg, {
      id,
      name,
      source: 'user',
      card,
      sourceDescription: rec.source,
    });
    const label = rec.meta.formatLabel;
    return this.persist(label !== undefined ? { ...loaded, info: { ...loaded.info, formatLabel: label } } : loaded);
  }

  async renameSaved(id: string, name: string): Promise<void> {
    await saved.renameModel(id, name);
    const m = this.models.get(id);
    if (m) m.info = { ...m.info, name };
  }

  async removeSaved(id: string): Promise<void> {
    this.unload(id);
    await saved.removeModel(id);
  }

  unload(id: string): void {
    const m = this.models.get(id);
    if (!m) return;
    this.models.delete(id);
    this.sources.delete(id);
    m.adapter.dispose();
  }

  /**
   * Loads every model again from its source (after a backend switch: its weights are created on the new
   * backend; after a lost WebGL context the old ones are gone). A model without a source (built in memory)
   * keeps its tensors, which tfjs moves to the new backend when they are next used. Returns the reloaded
   * ids and, per model that failed, the reason (that model stays as it was).
   */
  async reloadAll(): Promise<{ reloaded: string[]; failed: { id: string; error: string }[] }> {
    const reloaded: string[] = [];
    const failed: { id: string; error: string }[] = [];
    for (const [id, source] of [...this.sources]) {
      try {
        const name = this.models.get(id)?.info.name;
        this.adopt(await source());
        this.sources.set(id, source);
        const m = this.models.get(id);
        if (m && name) m.info = { ...m.info, name };
        reloaded.push(id);
      } catch (e) {
        failed.push({ id, error: e instanceof Error ? e.message : String(e) });
      }
    }
    return { reloaded, failed };
  }

  /**
   * Registers a LayersModel built in memory (the benchmark's MobileNet): wraps it in an adapter under
   * `info.id`, replacing a model with that id. Takes ownership of `model` (disposed by `unload`).
   */
  adoptLayersModel(model: tf.LayersModel, info: ModelInfo): ModelInfo {
    this.unload(info.id);
    this.models.set(info.id, { info, adapter: createLayersAdapter(model, info) });
    return info;
  }

  /** A private copy of loaded model `id`, loaded again from its source (the caller owns and disposes it). */
  async freshCopy(id: string): Promise<LoadedModel | LoadedAnyModel> {
    const source = this.sources.get(id);
    if (!source)
      throw new ModelError('not-found', 'This model is not loaded (it may have been removed). Pick it again.');
    return source();
  }

  /** Adopts a model built in this worker (a fine-tuned head) and saves it as a user model. */
  saveBuilt(loaded: LoadedModel): Promise<UserLoadResult> {
    return this.persist(loaded);
  }
}
