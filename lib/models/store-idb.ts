/**
 * User models persisted in IndexedDB, so they survive a reload.
 *
 * Why idb-keyval with our own records instead of tf.io's 'indexeddb://' handlers:
 * - we store exactly the validated canonical package (model.json text + weight bytes) and load it back
 *   through the same validating loader as files and URLs (loadModelFromPackage), for both LayersModel and
 *   GraphModel; tf.io would hand the bytes straight to tfjs;
 * - our metadata (name, preprocessing, labels, output kind, source, date) lives in the same database and
 *   is written in the same transaction as the weights (setMany), so a model never exists half-saved;
 * - listing reads only the small metadata records (`meta:<id>`), never the weights (`data:<id>`), and a
 *   damaged record is reported on its own without hiding the others;
 * - it works the same in the page, in the worker and under fake-indexeddb in Node tests (tf.io registers
 *   its IndexedDB router only when it believes it runs in a browser).
 *
 * Formats: TF.js and Keras models are stored as their canonical package (Keras: the converted
 * model.json + weights.bin); ONNX models as their original bytes (the `.onnx` and its external-data
 * files), translated again on load (`loadAny`), so a saved ONNX model is exactly what the user dropped.
 *
 * Names and labels are stored as plain text exactly as given (the UI renders them as text).
 */
import { createStore, type UseStore } from 'idb-keyval';
import { chunkPrefix, joinBuffer, splitBuffer, type ChunkRef } from './idb-chunks';
import { idbKv, resilientKv, storageProblemMessage, type Kv, type ResilientKv } from './kv-fallback';
import type { ModelPackage } from './artifacts';
import type { ModelCard } from './card';
import { isRecord } from './json';
import { parseOutputKind } from './output-kind';
import { loadModelFromPackage, type LoadedModel, type LoadOptions } from './load';
import { fromTfjs, loadOnnxOriginals, type LoadedAnyModel } from './formats';
import { ModelError, type ModelFormat, type ModelInfo, type OutputKind, type Preprocessing } from './types';

export const DEFAULT_DB_NAME = 'why-dashboard-models';
export const DEFAULT_STORE_NAME = 'user-models';

/** What the model list shows (plain data; a superset of the worker protocol's SavedModelMeta). */
export interface StoredModelMeta {
  schema: 1;
  id: string;
  name: string;
  /** ISO 8601. */
  createdAt: string;
  format: ModelFormat;
  /** Which file format was read, in words ("ONNX (opset 13)", "Keras 3 .keras" …); absent in old records. */
  formatLabel?: string;
  /** Where it came from, in words (e.g. "files: model.json + 2 weight files", a URL). */
  source: string;
  preprocessing: Preprocessing;
  labels: string[];
  outputKind: OutputKind;
  /** Unit of regression values ("years"); absent when the card gave none. */
  unit?: string;
  /** Bytes of model.json + weights (ONNX: of the original files). */
  byteSize: number;
}

/** A record that could not be read; listing goes on without it. */
export interface BrokenRecord {
  id: string;
  reason: string;
  /** The name in the damaged record, when it still has one. */
  name?: string;
}

/** A row of the saved-model list: a readable record, or a damaged one (named, so it can be removed). */
export type ListedModel = StoredModelMeta | (Pick<StoredModelMeta, 'id' | 'name' | 'createdAt' | 'format' | 'source'> & { damaged: string });

/** One original file of an ONNX model (the `.onnx` or an external-data file), by base name. */
export interface OriginalFile {
  name: string;
  data: ArrayBuffer;
}

/** Buffers over {@link CHUNK_BYTES} are stored as chunk records and referenced here (`idb-chunks.ts`). */
type StoredBuffer = ArrayBuffer | ChunkRef;
type StoredData =
  | { schema: 1; modelJson: string; weightData: StoredBuffer }
  | { schema: 1; kind: 'onnx'; files: { name: string; data: StoredBuffer }[] };

/** What `saveRecord` needs: the package plus what to show and how to preprocess. */
export interface SaveRecordInput {
  id: string;
  name: string;
  /** TF.js / Keras: the canonical package. Exactly one of `pkg` and `originals`. */
  pkg?: ModelPackage;
  /** ONNX: the original files. */
  originals?: readonly OriginalFile[];
  format: ModelFormat;
  formatLabel?: string;
  source: string;
  /** A ResolvedCard fits: the preprocessing, labels and output kind in force. */
  card: { preprocessing: Preprocessing; labels: string[]; outputKind: OutputKind; unit?: string };
  now?: Date;
}

/** A saved model's package and the card to load it with (for callers that load it themselves). */
export interface SavedModelRecord {
  meta: StoredModelMeta;
  name: string;
  source: string;
  /** TF.js / Keras records. */
  pkg?: ModelPackage;
  /** ONNX records. */
  originals?: OriginalFile[];
  /** Every field given, so loading reproduces the saved preprocessing exactly. */
  card: ModelCard;
}

export interface ModelStore {
  /** Saves a loaded model (its validated package and its info). Overwrites a record with the same id. */
  save(loaded: Pick<LoadedModel, 'package' | 'info' | 'sourceDescription'>, opts?: { name?: string; now?: Date }): Promise<StoredModelMeta>;
  /** Lower-level save from plain fields (same transaction semantics). */
  saveRecord(rec: SaveRecordInput): Promise<StoredModelMeta>;
  /** The package + card of a saved model. Errors: 'not-found', 'corrupt-record'. */
  getRecord(id: string): Promise<SavedModelRecord>;
  /** Every readable record (newest first) and the ids of damaged ones. */
  list(): Promise<{ models: StoredModelMeta[]; broken: BrokenRecord[] }>;
  getMeta(id: string): Promise<StoredModelMeta>;
  /** Loads and validates a saved TF.js / Keras model. Errors: 'not-found', 'corrupt-record' (also for an ONNX record: use loadAny). Caller disposes the model. */
  load(id: string, opts?: Pick<LoadOptions, 'extraOps'>): Promise<LoadedModel>;
  /** Loads a saved model of any format (ONNX translated again from its original bytes). Caller disposes it. */
  loadAny(id: string, opts?: Pick<LoadOptions, 'extraOps'>): Promise<LoadedAnyModel>;
  rename(id: string, name: string): Promise<StoredModelMeta>;
  /** Deletes metadata and weights (no error when absent). */
  remove(id: string): Promise<void>;
  /** Why the store keeps models in memory only (IndexedDB failed), or null. */
  storageProblem(): string | null;
}

const metaKey = (id: string): string => `meta:${id}`;
const dataKey = (id: string): string => `data:${id}`;

function checkMeta(v: unknown): StoredModelMeta | string {
  if (!isRecord(v)) return 'the record is not an object';
  if (v.schema !== 1) return `unknown record version ${JSON.stringify(v.schema)}`;
  for (const k of ['id', 'name', 'createdAt', 'source'] as const) if (typeof v[k] !== 'string') return `"${k}" is missing`;
  if (v.format !== 'layers' && v.format !== 'graph' && v.format !== 'onnx') return '"format" is invalid';
  if (v.formatLabel !== undefined && typeof v.formatLabel !== 'string') return '"formatLabel" is invalid';
  if (!isRecord(v.preprocessing)) return '"preprocessing" is missing';
  if (!Array.isArray(v.labels) || !v.labels.every((l) => typeof l === 'string')) return '"labels" is invalid';
  const outputKind = parseOutputKind(v.outputKind);
  if (!outputKind) return '"outputKind" is invalid';
  if (v.unit !== undefined && typeof v.unit !== 'string') return '"unit" is invalid';
  return { ...(v as unknown as StoredModelMeta), outputKind };
}

function cardFromMeta(m: StoredModelMeta): ModelCard {
  const p = m.preprocessing;
  const card: ModelCard = {
    name: m.name,
    labels: [...m.labels],
    inputSize: { height: p.height, width: p.width },
    channels: p.channels,
    channelOrder: p.channelOrder,
    normalization: p.normalization,
    resize: p.resize,
    outputKind: m.outputKind,
  };
  if (p.invert !== undefined) card.invert = p.invert;
  if (m.unit !== undefined) card.unit = m.unit;
  return card;
}

/**
 * A store over IndexedDB database `dbName`, object store `storeName`; when IndexedDB fails (disabled,
 * closing, quota) it goes on in memory for the session (`storageProblem()` says why). `kv` replaces the
 * IndexedDB operations (tests).
 */
export function createModelStore(
  opts: { dbName?: string; storeName?: string; kv?: Kv; chunkBytes?: number } = {},
): ModelStore {
  let db: UseStore | undefined;
  const kv: ResilientKv = resilientKv(
    opts.kv ?? idbKv(() => (db ??= createStore(opts.dbName ?? DEFAULT_DB_NAME, opts.storeName ?? DEFAULT_STORE_NAME))),
  );

  const getMeta = async (id: string): Promise<StoredModelMeta> => {
    const raw = await kv.get<unknown>(metaKey(id));
    if (raw === undefined) throw new ModelError('not-found', `No saved model with id “${id}” (it may have been removed).`);
    const m = checkMeta(raw);
    if (typeof m === 'string') throw new ModelError('corrupt-record', `The saved model “${id}” is damaged (${m}). Remove it and load the model again.`);
    return m;
  };

  const getRecord = async (id: string): Promise<SavedModelRecord> => {
    const meta = await getMeta(id);
    const raw = await kv.get<unknown>(dataKey(id));
    const join = (v: unknown) => joinBuffer(v, (keys) => kv.getMany<unknown>(keys));
    if (isRecord(raw) && raw.schema === 1 && raw.kind === 'onnx') {
      const stored = Array.isArray(raw.files) ? raw.files : [];
      const files: OriginalFile[] = [];
      for (const f of stored) {
        const data = isRecord(f) && typeof f.name === 'string' ? await join(f.data) : undefined;
        if (data) files.push({ name: (f as { name: string }).name, data });
      }
      const ok = files.length > 0 && files.length === stored.length;
      if (!ok || meta.format !== 'onnx') {
        throw new ModelError('corrupt-record', `The saved model “${meta.name}” is damaged (its ONNX files are unreadable). Remove it and load the model again.`);
      }
      return { meta, name: meta.name, source: meta.source, originals: files, card: cardFromMeta(meta) };
    }
    const weightData = isRecord(raw) ? await join(raw.weightData) : undefined;
    if (!isRecord(raw) || raw.schema !== 1 || typeof raw.modelJson !== 'string' || !weightData) {
      throw new ModelError(
        'corrupt-record',
        `The saved model “${meta.name}” is damaged (its weights are ${raw === undefined ? 'missing' : 'unreadable'}). Remove it and load the model again.`,
      );
    }
    return { meta, name: meta.name, source: meta.source, pkg: { modelJson: raw.modelJson, weightData }, card: cardFromMeta(meta) };
  };

  return {
    save(loaded, o = {}) {
      const info: ModelInfo = loaded.info;
      const rec: SaveRecordInput = {
        id: info.id,
        name: o.name ?? info.name,
        pkg: loaded.package,
        format: info.format,
        source: loaded.sourceDescription,
        card: info,
      };
      if (info.formatLabel !== undefined) rec.formatLabel = info.formatLabel;
      if (o.now) rec.now = o.now;
      return this.saveRecord(rec);
    },

    async saveRecord(rec) {
      if ((rec.pkg === undefined) === (rec.originals === undefined || rec.originals.length === 0)) {
        throw new ModelError('load-failed', 'A saved model needs either its package (TF.js, Keras) or its original files (ONNX), not both or neither.');
      }
      const bytes = rec.pkg
        ? new TextEncoder().encode(rec.pkg.modelJson).byteLength + rec.pkg.weightData.byteLength
        : (rec.originals ?? []).reduce((s, f) => s + f.data.byteLength, 0);
      const meta: StoredModelMeta = {
        schema: 1,
        id: rec.id,
        name: rec.name,
        createdAt: (rec.now ?? new Date()).toISOString(),
        format: rec.format,
        source: rec.source,
        preprocessing: structuredClone(rec.card.preprocessing),
        labels: [...rec.card.labels],
        outputKind: rec.card.outputKind,
        byteSize: bytes,
      };
      if (rec.formatLabel !== undefined) meta.formatLabel = rec.formatLabel;
      if (rec.card.unit !== undefined) meta.unit = rec.card.unit;
      const chunks: [string, ArrayBuffer][] = [];
      const split = (buf: ArrayBuffer): StoredBuffer => {
        const { value, entries } = splitBuffer(buf, meta.id, chunks.length, opts.chunkBytes);
        chunks.push(...entries);
        return value;
      };
      const data: StoredData = rec.pkg
        ? { schema: 1, modelJson: rec.pkg.modelJson, weightData: split(rec.pkg.weightData) }
        : { schema: 1, kind: 'onnx', files: (rec.originals ?? []).map((f) => ({ name: f.name, data: split(f.data) })) };
      // One transaction: the meta, the data record and its chunks are saved together or not at all.
      await kv.setMany([[metaKey(meta.id), meta], [dataKey(meta.id), data], ...chunks]);
      return meta;
    },

    getRecord,

    async list() {
      const hadProblem = kv.problem() !== null;
      const all = (await kv.keys()).filter((k): k is string => typeof k === 'string' && k.startsWith('meta:'));
      const problem = kv.problem();
      if (problem !== null && !hadProblem) throw new ModelError('load-failed', storageProblemMessage(problem));
      const values = await kv.getMany<unknown>(all);
      const models: StoredModelMeta[] = [];
      const broken: BrokenRecord[] = [];
      all.forEach((k, i) => {
        const m = checkMeta(values[i]);
        const raw = values[i];
        const name = isRecord(raw) && typeof raw.name === 'string' && raw.name.trim() ? raw.name : undefined;
        if (typeof m === 'string') broken.push(name ? { id: k.slice(5), reason: m, name } : { id: k.slice(5), reason: m });
        else models.push(m);
      });
      models.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
      return { models, broken };
    },

    getMeta,

    async load(id, o = {}) {
      const rec = await getRecord(id);
      if (!rec.pkg) throw new ModelError('corrupt-record', `The saved model “${rec.name}” is an ONNX model; load it with loadAny.`);
      const pkg = rec.pkg;
      const opts: LoadOptions & { sourceDescription: string } = {
        id: rec.meta.id,
        name: rec.name,
        source: 'user',
        card: rec.card,
        sourceDescription: rec.source,
      };
      if (o.extraOps) opts.extraOps = o.extraOps;
      try {
        const loaded = await loadModelFromPackage(pkg, opts);
        if (rec.meta.formatLabel !== undefined) loaded.info = { ...loaded.info, formatLabel: rec.meta.formatLabel };
        return loaded;
      } catch (e) {
        const msg = e instanceof Error ? e.message : String(e);
        throw new ModelError('corrupt-record', `The saved model “${rec.name}” could not be loaded: ${msg}`);
      }
    },

    async loadAny(id, o = {}) {
      const rec = await getRecord(id);
      if (rec.pkg) return fromTfjs(await this.load(id, o));
      try {
        return await loadOnnxOriginals(rec.originals ?? [], { id: rec.meta.id, name: rec.name, source: 'user', card: rec.card });
      } catch (e) {
        const msg = e instanceof Error ? e.message : String(e);
        throw new ModelError('corrupt-record', `The saved model “${rec.name}” could not be loaded: ${msg}`);
      }
    },

    async rename(id, name) {
      const clean = name.trim();
      if (clean === '') throw new ModelError('bad-card', 'A model name cannot be empty.');
      await getMeta(id);
      let out: StoredModelMeta | undefined;
      await kv.update<StoredModelMeta>(metaKey(id), (old) => {
        out = { ...(old as StoredModelMeta), name: clean };
        return out;
      });
      return out as StoredModelMeta;
    },

    async remove(id) {
      const chunkKeys = (await kv.keys()).filter((k): k is string => typeof k === 'string' && k.startsWith(chunkPrefix(id)));
      await kv.delMany([metaKey(id), dataKey(id), ...chunkKeys]);
    },

    storageProblem: () => kv.problem(),
  };
}

// ---------------------------------------------------------------------------------------------------
// Module-level helpers over the default database (what the worker calls).

let defaultStore: ModelStore | undefined;
/** The store over DEFAULT_DB_NAME / DEFAULT_STORE_NAME, created on first use. */
export function defaultModelStore(): ModelStore {
  return (defaultStore ??= createModelStore());
}
export const saveModel = (rec: SaveRecordInput): Promise<StoredModelMeta> => defaultModelStore().saveRecord(rec);
/** Readable records, then damaged ones (listed with `damaged` = the reason, never dropped silently). */
export const listModels = async (): Promise<ListedModel[]> => {
  const { models, broken } = await defaultModelStore().list();
  const damaged = broken.map((b) => ({
    id: b.id,
    name: b.name ?? `Damaged saved model ${b.id.slice(0, 8)}`,
    createdAt: '',
    format: 'layers' as const,
    source: 'this browser (damaged record)',
    damaged: b.reason,
  }));
  return [...models, ...damaged];
};
/** Why saved models are kept in memory only, or null while IndexedDB works. */
export const storageProblem = (): string | null => defaultModelStore().storageProblem();
export const getModel = (id: string): Promise<SavedModelRecord> => defaultModelStore().getRecord(id);
export const loadSavedModel = (id: string, opts?: Pick<LoadOptions, 'extraOps'>): Promise<LoadedModel> => defaultModelStore().load(id, opts);
export const loadSavedAnyModel = (id: string, opts?: Pick<LoadOptions, 'extraOps'>): Promise<LoadedAnyModel> => defaultModelStore().loadAny(id, opts);
export const renameModel = (id: string, name: string): Promise<StoredModelMeta> => defaultModelStore().rename(id, name);
export const removeModel = (id: string): Promise<void> => defaultModelStore().remove(id);
