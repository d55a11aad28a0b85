/**
 * The worker's model registry: loads (bundled, files, URL, IndexedDB), validates, wraps each model in its
 * ModelAdapter, and disposes model + adapter (and the adapter's cached sub-models) together.
 */
import type * as tf from '@tensorflow/tfjs';
import type { ModelAdapter } from '@/lib/explain/types';
import { createGraphAdapter, createLayersAdapter } from '@/lib/models/adapter';
import {
  loadManifestModel,
  loadModelFromFiles,
  loadModelFromPackage,
  loadModelFromUrl,
  type LoadedModel,
  type LoadOptions,
} from '@/lib/models/load';
import { isGraphModel } from '@/lib/models/validate';
import { cardFromAnswers } from '@/lib/models/card';
import { ModelError, type ManifestModel, type ModelInfo } from '@/lib/models/types';
import * as saved from '@/lib/models/store-idb';
import type { SavedModelMeta, UserLoadResult, UserModelOptions } from './protocol';

interface Loaded {
  info: ModelInfo;
  adapter: ModelAdapter;
}

export class WorkerModels {
  private readonly models = new Map<string, Loaded>();

  get(id: string): Loaded {
    const m = this.models.get(id);
    if (!m) throw new ModelError('not-found', 'This model is not loaded (it may have been removed). Pick it again.');
    return m;
  }

  private adopt(loaded: LoadedModel): ModelInfo {
    const { model, info } = loaded;
    const adapter = isGraphModel(model) ? createGraphAdapter(model, info) : createLayersAdapter(model, info);
    this.unload(info.id);
    this.models.set(info.id, { info, adapter });
    return info;
  }

  async loadBundled(entry: ManifestModel, manifestUrl: string): Promise<ModelInfo> {
    if (this.models.has(entry.id)) return this.get(entry.id).info;
    return this.adopt(await loadManifestModel(entry, manifestUrl));
  }

  private async persist(loaded: LoadedModel): Promise<UserLoadResult> {
    const info = this.adopt(loaded);
    await saved.saveModel({
      id: info.id,
      name: info.name,
      pkg: loaded.package,
      card: loaded.card,
      source: loaded.sourceDescription,
      format: info.format,
    });
    return { info, inferred: [...loaded.card.inferred], warnings: [...loaded.warnings] };
  }

  async loadFromFiles(files: File[], opts: UserModelOptions): Promise<UserLoadResult> {
    const o: LoadOptions = { source: 'user', card: cardFromAnswers(opts) };
    if (opts.name) o.name = opts.name;
    return this.persist(await loadModelFromFiles(files, o));
  }

  async loadFromUrl(url: string, opts: UserModelOptions): Promise<UserLoadResult> {
    const o: LoadOptions = { source: 'user', card: cardFromAnswers(opts) };
    if (opts.name) o.name = opts.name;
    return this.persist(await loadModelFromUrl(url, o));
  }

  async listSaved(): Promise<SavedModelMeta[]> {
    return saved.listModels();
  }

  async loadSaved(id: string): Promise<ModelInfo> {
    if (this.models.has(id)) return this.get(id).info;
    return this.adopt(await saved.loadSavedModel(id));
  }

  async updateSaved(id: string, opts: UserModelOptions): Promise<UserLoadResult> {
    const rec = await saved.getModel(id);
    const card = { ...rec.card, ...cardFromAnswers(opts) };
    const loaded = await loadModelFromPackage(rec.pkg, {
      id,
      name: opts.name?.trim() || rec.name,
      source: 'user',
      card,
      sourceDescription: rec.source,
    });
    return this.persist(loaded);
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
    m.adapter.dispose();
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
}
