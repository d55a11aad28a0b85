/**
 * One entry for every model format a user can bring: TensorFlow.js (model.json + shards, or a folder),
 * ONNX (`.onnx`, with external-data files beside it) and Keras (`.keras` Keras 3 zip, legacy `.h5`).
 *
 * The format is decided here and only here, by content first (the first 16 bytes of each file), with the
 * file name as a hint where the content is ambiguous:
 * - `PK\x03\x04` (zip) → Keras 3 `.keras` (a `.pt` / `.pth` zip is a PyTorch checkpoint: refused, named);
 * - `\x89HDF\r\n\x1a\n` → Keras `.h5`;
 * - `{` after optional whitespace / BOM → JSON (a TensorFlow.js model.json, or a card / labels file);
 * - a protobuf whose first field is `ir_version` (tag 0x08) in a file named `.onnx` (or any file whose
 *   name says nothing else) → ONNX.
 * `card.json`, `labels.txt` / `labels.json` beside any format apply the same way (each loader reads them).
 *
 * The Keras and ONNX readers are imported on first use (their own chunks: h5wasm is 7 MB).
 *
 * Ownership: a `LoadedAnyModel` owns tfjs memory: `model.dispose()` (tfjs) or `adapter.dispose()` (ONNX).
 */
import { loadModelFromFiles, type FileLike, type LoadedModel, type LoadOptions } from './load';
import type { OnnxAdapter } from './onnx/adapter';
import type { LoadedOnnxModel } from './onnx/load';
import { isGraphModel, type TfModel } from './validate';
import { ModelError } from './types';
import { isSidecar } from './sidecars';

/** What a file's first bytes say it is. */
export type SniffedKind = 'keras' | 'h5' | 'json' | 'onnx' | 'image' | 'pytorch' | 'tflite' | 'unknown';

/** Stages of a load, in order, for a progress bar. */
export type LoadStage = 'read' | 'build' | 'inspect';

/** Called with the overall fraction done in [0, 1] (monotone) and the current stage. */
export type LoadProgress = (fraction: number, stage: LoadStage) => void;

/** A loaded model of any format. `formatLabel` says which format was read, in words. */
export type LoadedAnyModel =
  | (LoadedModel & {
      kind: 'tfjs';
      /** e.g. "TensorFlow.js LayersModel", "Keras 3 .keras", "Keras .h5 (legacy)". `package`: the canonical
       * model.json + weights.bin (Keras: the converted model), for IndexedDB. */
      formatLabel: string;
    })
  | (Omit<LoadedModel, 'model' | 'package'> & {
      kind: 'onnx';
      /** e.g. "ONNX (opset 13)". */
      formatLabel: string;
      /** Owned by the caller: `adapter.dispose()`. */
      adapter: OnnxAdapter;
      /** The original `.onnx` and the external-data files it read (what a reload translates again). */
      originals: { name: string; data: ArrayBuffer }[];
    });

export interface AnyLoadOptions extends LoadOptions {
  onProgress?: LoadProgress;
}

const KERAS_NAME = /\.(keras|h5|hdf5)$/i;

const HDF5_MAGIC = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

function startsWith(head: Uint8Array, magic: readonly number[], at = 0): boolean {
  if (head.length < at + magic.length) return false;
  return magic.every((b, i) => head[at + i] === b);
}

/**
 * What `head` (a file's first ≥ 16 bytes) holds; `name` breaks ties (protobuf has no magic number).
 * Pure; never throws.
 */
export function sniffModelBytes(head: Uint8Array, name: string): SniffedKind {
  const lower = name.toLowerCase();
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04]) || startsWith(head, [0x50, 0x4b, 0x05, 0x06])) {
    return /\.(pt|pth|ckpt|bin)$/.test(lower) ? 'pytorch' : 'keras';
  }
  if (startsWith(head, HDF5_MAGIC)) return 'h5';
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47]) || startsWith(head, [0xff, 0xd8, 0xff]) || startsWith(head, [0x47, 0x49, 0x46, 0x38])) return 'image';
  if (startsWith(head, [0x52, 0x49, 0x46, 0x46]) && startsWith(head, [0x57, 0x45, 0x42, 0x50], 8)) return 'image';
  if (startsWith(head, [0x54, 0x46, 0x4c, 0x33], 4)) return 'tflite';
  let i = startsWith(head, [0xef, 0xbb, 0xbf]) ? 3 : 0;
  while (i < head.length && (head[i] === 0x20 || head[i] === 0x09 || head[i] === 0x0a || head[i] === 0x0d)) i++;
  if (head[i] === 0x7b || head[i] === 0x5b) return 'json';
  if (/\.pkl$|\.pt$|\.pth$/.test(lower)) return 'pytorch';
  // ModelProto: field 1 (ir_version, varint) → tag 0x08; small version numbers (3…12).
  if (head[0] === 0x08 && (head[1] ?? 0) > 0 && (head[1] ?? 0) < 0x20 && !/\.(bin|data|txt|json)$/.test(lower)) return 'onnx';
  if (lower.endsWith('.onnx')) return 'onnx';
  // A .json that is not JSON (an HTML error page, an empty file): the TF.js loader says what it is.
  if (lower.endsWith('.json')) return 'json';
  return 'unknown';
}

type Slice = (start: number, end: number) => { arrayBuffer(): Promise<ArrayBuffer> };

/** `f.slice` bound to `f` where `f` is a File / Blob, else undefined (a plain FileLike). */
function sliceOf(f: FileLike): Slice | undefined {
  const slice = (f as FileLike & { slice?: Slice }).slice;
  return typeof slice === 'function' ? slice.bind(f) : undefined;
}

/** The first 16 bytes of a file (File.slice where there is one, so a 100 MB file is not read twice). */
async function headOf(f: FileLike): Promise<Uint8Array> {
  const slice = sliceOf(f);
  const buf = slice ? await slice(0, 16).arrayBuffer() : await f.arrayBuffer();
  return new Uint8Array(buf, 0, Math.min(16, buf.byteLength));
}

/** `f` under another name (same content). */
function renamed(f: FileLike, name: string): FileLike {
  const out: FileLike = { name, size: f.size, arrayBuffer: () => f.arrayBuffer(), text: () => f.text() };
  return out;
}

/** Bytes per read of a large file (progress steps; peak memory is the file plus one chunk). */
export const READ_CHUNK_BYTES = 4 * 1024 * 1024;

/**
 * Reads all of `f`, calling `onChunk(bytes)` as pieces arrive: `f.slice(a, b).arrayBuffer()` chunks of
 * `chunkBytes` into one buffer of `f.size` bytes where the file can be sliced (a browser or Node
 * `File`/`Blob`: a 100 MB file reports progress while it is read, in the worker, off the page's thread),
 * else one `arrayBuffer()` call.
 */
export async function readAllBytes(f: FileLike, onChunk: (bytes: number) => void, chunkBytes = READ_CHUNK_BYTES): Promise<ArrayBuffer> {
  const slice = sliceOf(f);
  if (!slice || !(f.size > chunkBytes)) {
    const b = await f.arrayBuffer();
    onChunk(b.byteLength);
    return b;
  }
  const out = new Uint8Array(f.size);
  for (let at = 0; at < f.size; ) {
    const piece = new Uint8Array(await slice(at, Math.min(f.size, at + chunkBytes)).arrayBuffer());
    if (piece.byteLength === 0) throw new ModelError('load-failed', `${f.name} ended after ${at} of its ${f.size} bytes while it was read.`);
    out.set(piece, at);
    at += piece.byteLength;
    onChunk(piece.byteLength);
  }
  return out.buffer;
}

/** Wraps files so each `arrayBuffer()` is read once (in chunks: readAllBytes), remembered, and its bytes counted for progress. */
function tracked(files: readonly FileLike[], onBytes: (read: number) => void): { files: FileLike[]; read: Map<string, ArrayBuffer> } {
  const read = new Map<string, ArrayBuffer>();
  let total = 0;
  const out = files.map((f): FileLike => {
    let pending: Promise<ArrayBuffer> | undefined;
    const wrapped: FileLike = {
      name: f.name,
      size: f.size,
      arrayBuffer: () =>
        (pending ??= readAllBytes(f, (n) => {
          total += n;
          onBytes(total);
        }).then((b) => {
          read.set(f.name, b);
          return b;
        })),
      text: () => f.text(),
    };
    if (f.webkitRelativePath !== undefined) (wrapped as { webkitRelativePath?: string }).webkitRelativePath = f.webkitRelativePath;
    return wrapped;
  });
  return { files: out, read };
}

const SUPPORTED = 'We read TensorFlow.js (model.json with its .bin weight files, or its folder), ONNX (.onnx) and Keras (.keras, .h5).';

function foreign(f: FileLike, kind: SniffedKind): ModelError {
  switch (kind) {
    case 'image':
      return new ModelError('not-a-model', `${f.name} is an image, not a model. Add images on the Explain page. ${SUPPORTED}`);
    case 'pytorch':
      return new ModelError(
        'not-a-model',
        `${f.name} is a PyTorch checkpoint, which holds weights but not the computation. Export it to ONNX first: ` +
          'torch.onnx.export(model.eval(), torch.zeros(1, 3, 224, 224), "model.onnx", opset_version=17).',
      );
    case 'tflite':
      return new ModelError('not-a-model', `${f.name} is a TensorFlow Lite model, which we cannot explain (no gradients). ${SUPPORTED}`);
    default:
      return new ModelError('not-a-model', `${f.name} is not a model file we can read. ${SUPPORTED}`);
  }
}

/** Classifies every non-sidecar file; throws for foreign files and for selections mixing formats. */
async function decide(files: readonly FileLike[]): Promise<{ kind: 'tfjs' | 'onnx' | 'keras'; main: FileLike; sniffed: SniffedKind }> {
  if (files.length === 0) throw new ModelError('not-a-model', 'No files were selected.');
  const found: { f: FileLike; kind: SniffedKind }[] = [];
  for (const f of files) {
    if (isSidecar(f)) continue;
    const lower = f.name.toLowerCase();
    // Weight shards and ONNX external data carry no header; they belong to the model file beside them.
    if (/\.(bin|data|weights)$/.test(lower) || /\.onnx_data$/.test(lower)) continue;
    if (!lower.includes('.')) {
      // No extension (a download, an external-data file): counts only when its content is a model.
      const kind = sniffModelBytes(await headOf(f), f.name);
      if (kind === 'keras' || kind === 'h5' || kind === 'onnx') found.push({ f, kind });
      continue;
    }
    if (/\.(txt|md|csv)$/.test(lower)) continue;
    found.push({ f, kind: sniffModelBytes(await headOf(f), f.name) });
  }
  const bad = found.find((x) => x.kind === 'image' || x.kind === 'pytorch' || x.kind === 'tflite' || x.kind === 'unknown');
  let models = found.filter((x) => x.kind === 'keras' || x.kind === 'h5' || x.kind === 'onnx');
  // JSON beside an .onnx / .keras is a sidecar (e.g. a config.json); alone, it is a TensorFlow.js model.json.
  if (models.length === 0) models = found.filter((x) => x.kind === 'json');
  if (models.length === 0) {
    if (bad) throw foreign(bad.f, bad.kind);
    const names = files.slice(0, 6).map((f) => f.name).join(', ');
    throw new ModelError('not-a-model', `None of the selected files is a model (found: ${names}${files.length > 6 ? ', …' : ''}). ${SUPPORTED}`);
  }
  const families = new Set(models.map((x) => (x.kind === 'h5' ? 'keras' : x.kind === 'json' ? 'tfjs' : x.kind)));
  if (families.size > 1) {
    throw new ModelError(
      'load-failed',
      `The selection mixes model formats (${models.map((x) => x.f.name).join(', ')}). Select one model: a model.json with its weights, one .onnx, or one .keras / .h5.`,
    );
  }
  // A file whose name agrees with its content is the model; extension-less ones are data beside it.
  const named = models.find((x) => (x.kind === 'onnx' ? /\.onnx$/i : x.kind === 'json' ? /\.json$/i : KERAS_NAME).test(x.f.name));
  const first = named ?? (models[0] as { f: FileLike; kind: SniffedKind });
  const family = [...families][0] as 'tfjs' | 'onnx' | 'keras';
  return { kind: family, main: first.f, sniffed: first.kind };
}

/**
 * Loads a user model of any supported format from local files (see the module comment for the rule).
 * Progress: reading the bytes (0 → 0.6 TF.js / ONNX, Keras: its own stages), building, inspecting (→ 1).
 * @throws ModelError with a message naming the file: 'not-a-model' (foreign file: image, PyTorch
 *   checkpoint, TFLite, unknown), 'load-failed' (formats mixed), plus every error of the format's loader.
 */
export async function loadAnyModelFromFiles(files: readonly FileLike[], opts: AnyLoadOptions = {}): Promise<LoadedAnyModel> {
  const { onProgress, ...loadOpts } = opts;
  let last = -1;
  let lastStage: LoadStage | undefined;
  // Monotone, and at most ~200 messages per load (each one crosses to the page and redraws the bar).
  const report = (fraction: number, stage: LoadStage): void => {
    if (!onProgress) return;
    const f = Math.max(last, Math.min(1, fraction));
    if (stage === lastStage && f - last < 0.005 && f < 1) return;
    last = f;
    lastStage = stage;
    onProgress(f, stage);
  };
  report(0, 'read');
  const { kind, main, sniffed } = await decide(files);

  if (kind === 'keras') {
    const { loadKerasModel } = await import('./keras');
    const ext = sniffed === 'h5' ? '.h5' : '.keras';
    const list = files.map((f) => (f === main && !KERAS_NAME.test(f.name) ? renamed(f, `${f.name}${ext}`) : f));
    const loaded = await loadKerasModel(list, { ...loadOpts, onProgress: (f, stage) => report(f, stage) });
    const formatLabel = loaded.kerasFormat === 'keras' ? 'Keras 3 .keras' : 'Keras .h5 (legacy)';
    return fromTfjs({ ...loaded, info: { ...loaded.info, formatLabel } });
  }

  const totalBytes = files.reduce((s, f) => s + (isSidecar(f) ? 0 : f.size), 0);
  // Reading is 0 → 0.6; once every byte is in, the model is being built (decoded, translated, probed).
  const t = tracked(files, (n) => report(totalBytes > 0 ? 0.6 * Math.min(1, n / totalBytes) : 0.3, totalBytes > 0 && n >= totalBytes ? 'build' : 'read'));

  if (kind === 'onnx') {
    const { loadOnnxModel } = await import('./onnx');
    const list = t.files.map((f) => (f.name === main.name && !f.name.toLowerCase().endsWith('.onnx') ? renamed(f, `${f.name}.onnx`) : f));
    const onnxOpts: Parameters<typeof loadOnnxModel>[1] = { source: loadOpts.source ?? 'user' };
    if (loadOpts.id !== undefined) onnxOpts.id = loadOpts.id;
    if (loadOpts.name !== undefined) onnxOpts.name = loadOpts.name;
    if (loadOpts.card !== undefined) onnxOpts.card = loadOpts.card;
    if (loadOpts.provenance !== undefined) onnxOpts.provenance = loadOpts.provenance;
    if (loadOpts.datasetId !== undefined) onnxOpts.datasetId = loadOpts.datasetId;
    const loaded = await loadOnnxModel(list, onnxOpts);
    report(1, 'inspect');
    return fromOnnx(
      loaded,
      [...t.read.entries()].map(([name, data]) => ({ name: name === main.name && !name.toLowerCase().endsWith('.onnx') ? `${name}.onnx` : name, data })),
    );
  }

  const loaded: LoadedModel = await loadModelFromFiles(t.files, loadOpts);
  report(1, 'inspect');
  return fromTfjs(loaded);
}

/** A loaded ONNX model as a `LoadedAnyModel`, labelled "ONNX (opset N)", with the bytes a reload needs. */
function fromOnnx(loaded: LoadedOnnxModel, originals: { name: string; data: ArrayBuffer }[]): Extract<LoadedAnyModel, { kind: 'onnx' }> {
  const formatLabel = `ONNX (opset ${loaded.opset})`;
  const { adapter, card, sourceDescription, warnings } = loaded;
  return { kind: 'onnx', formatLabel, adapter, info: { ...loaded.info, formatLabel }, card, originals, sourceDescription, warnings };
}

/** The format label of a TF.js model. */
export function tfjsFormatLabel(model: TfModel): string {
  return isGraphModel(model) ? 'TensorFlow.js GraphModel' : 'TensorFlow.js LayersModel';
}

/** A `LoadedModel` of the TF.js loaders as a `LoadedAnyModel` (keeps a Keras label already in `info`). */
export function fromTfjs(loaded: LoadedModel): LoadedAnyModel {
  const formatLabel = loaded.info.formatLabel ?? tfjsFormatLabel(loaded.model);
  const { model, card, package: pkg, sourceDescription, warnings } = loaded;
  return { kind: 'tfjs', formatLabel, model, info: { ...loaded.info, formatLabel }, card, package: pkg, sourceDescription, warnings };
}

/**
 * Translates a saved ONNX model again from its original bytes (IndexedDB reload). `card` is the card to
 * apply (every field given, so the saved preprocessing comes back exactly).
 */
export async function loadOnnxOriginals(
  originals: readonly { name: string; data: ArrayBuffer }[],
  opts: Pick<LoadOptions, 'id' | 'name' | 'card' | 'source'>,
): Promise<Extract<LoadedAnyModel, { kind: 'onnx' }>> {
  const { loadOnnxModel } = await import('./onnx');
  const files: FileLike[] = originals.map((o) => ({
    name: o.name,
    size: o.data.byteLength,
    arrayBuffer: () => Promise.resolve(o.data),
    text: () => Promise.resolve(new TextDecoder().decode(o.data)),
  }));
  const o: Parameters<typeof loadOnnxModel>[1] = { source: opts.source ?? 'user' };
  if (opts.id !== undefined) o.id = opts.id;
  if (opts.name !== undefined) o.name = opts.name;
  if (opts.card !== undefined) o.card = opts.card;
  return fromOnnx(await loadOnnxModel(files, o), [...originals]);
}
