/**
 * The typed interface between the page and the worker that owns TensorFlow.js. Everything that crosses it
 * is plain, structured-cloneable data (numbers, strings, typed arrays, Files): never a tensor or a model.
 */
import type { Attribution, ImageInput, MethodId, ModelCapability } from '@/lib/explain/types';
import type { RunBasis } from '@/lib/explain/estimate-budget';
import type {
  ManifestDataset,
  ManifestModel,
  ModelInfo,
  OutputKind,
  Preprocessing,
  ResizePolicy,
} from '@/lib/models/types';
import type { LabelledSetReport } from '@/lib/datasets';
import type { OodReport } from '@/lib/ood';
import type { StoredModelMeta } from '@/lib/models/store-idb';
import type { TrustApi } from '@/lib/trust/types';
import type { HeadTuneApi } from '@/lib/train';

import type { BackendName, BackendSpeed, ModelProbe } from './probe-types';

export type { BackendName, BackendSpeed, CapabilityCheck, MethodVerdict, ModelProbe } from './probe-types';

export interface BackendReport {
  backend: BackendName;
  /** What the WebGL probe saw (GPU renderer string), if it ran. */
  renderer?: string;
  /** Why this backend was chosen, in words. */
  reason: string;
  /** Every backend this browser can start (the backend menu's choices). */
  available?: BackendName[];
  /** WASM only: the threads it runs on (1: single-threaded — the page is not cross-origin isolated). */
  threads?: number;
}

/** A backend change the worker made by itself (a WebGL context loss): where it runs now, or why nowhere. */
export type BackendChange = { report: BackendReport } | { error: string };

export interface ImageMeta {
  id: string;
  name: string;
  width: number;
  height: number;
  format: string;
}

export interface Prediction {
  modelId: string;
  imageId: string;
  /**
   * Probabilities [numClasses] (`adapter.probabilities`: softmax of logits, [1 − p, p] for a binary output,
   * independent for multi-label) — for regression the values themselves.
   */
  probs: Float32Array;
  /** Class scores [numClasses] (`adapter.scores`: the numbers methods explain). */
  scores: Float32Array;
  ms: number;
}

/** Optional answers from the user or a sidecar card for a user model. */
export interface UserModelOptions {
  name?: string;
  labels?: string[];
  preprocessing?: Partial<Preprocessing>;
  /** 'auto': detect (output-kind.ts). */
  outputKind?: OutputKind | 'auto';
  /** Unit of regression values ("years"). */
  unit?: string;
}

/** A user model after loading: its info, and what nobody said so we assumed (the UI asks about these). */
export interface UserLoadResult {
  info: ModelInfo;
  /** Card fields filled in from the model or defaults, e.g. ["labels", "normalization"]. */
  inferred: string[];
  warnings: string[];
}

export interface ExplainRequest {
  modelId: string;
  imageId: string;
  method: MethodId;
  target: number;
  /**
   * The method's configuration. A parameter of kind 'image' (e.g. IG's `baselineImage`) may instead be given
   * as `<name>Id`: the id of an image the worker holds (e.g. `baselineImageId`), which the worker converts to
   * that model's input (same preprocessing and resize policy) before running the method.
   */
  config: Record<string, unknown>;
  resize?: ResizePolicy;
}

export interface MemoryReport {
  numTensors: number;
  numBytes: number;
}

/** Progress callback passed through comlink.proxy. */
export type ProgressFn = (fraction: number) => void;

/** Stages of a model load, in order: reading the files, building the model, probing and summarising it. */
export type ModelLoadStage = 'read' | 'build' | 'inspect';

/** Model-load progress (through comlink.proxy): overall fraction in [0, 1], monotone, and the stage. */
export type ModelLoadProgressFn = (fraction: number, stage: ModelLoadStage) => void;

/** The worker's API; the Trust jobs (lib/trust/types.ts `TrustApi`) are merged in and cancelled by `cancel`. */
export interface WorkerApi extends TrustApi, HeadTuneApi {
  /** `threads`: WASM threads to start (the bench's `?threads=`); default one per core where isolated. */
  init(opts: { backend?: string; wasmBase: string; threads?: number }): Promise<BackendReport>;
  loadBundled(entry: ManifestModel, manifestUrl: string): Promise<ModelInfo>;
  /**
   * A user model of any format from local files: TF.js model.json + shards (or a folder), `.onnx` (+ its
   * external-data files), `.keras`, `.h5`; optional card.json / labels.txt. Saved in IndexedDB.
   */
  loadFromFiles(files: File[], opts: UserModelOptions, onProgress?: ModelLoadProgressFn): Promise<UserLoadResult>;
  /** Changes a saved user model's settings (labels, normalisation, …): reloads and re-saves it. */
  updateSaved(id: string, opts: UserModelOptions): Promise<UserLoadResult>;
  /** User models saved in IndexedDB. */
  listSaved(): Promise<SavedModelMeta[]>;
  loadSaved(id: string): Promise<ModelInfo>;
  renameSaved(id: string, name: string): Promise<void>;
  removeSaved(id: string): Promise<void>;
  unload(modelId: string): Promise<void>;
  /** Decodes an image (header checked first) and keeps its pixels in the worker. */
  addImage(bytes: ArrayBuffer, name: string): Promise<ImageMeta>;
  /** Adds an image from raw pixels (e.g. a bundled evaluation-set sample): grey or RGB uint8 HWC. */
  addPixels(pixels: Uint8Array, width: number, height: number, channels: 1 | 3, name: string): Promise<ImageMeta>;
  removeImage(imageId: string): Promise<void>;
  /** The exact model input ("what the model sees") for this model and resize policy. */
  modelInput(modelId: string, imageId: string, resize?: ResizePolicy): Promise<ImageInput>;
  predict(modelId: string, imageId: string, resize?: ResizePolicy): Promise<Prediction>;
  explain(requestId: string, req: ExplainRequest, onProgress?: ProgressFn): Promise<Attribution>;
  cancel(requestId: string): Promise<void>;
  /** The model's measured passes on the active backend and its batch cap (estimates, sized defaults). */
  runBasis(modelId: string): Promise<RunBasis>;
  memory(): Promise<MemoryReport>;
  /**
   * The capability probe of a loaded model on the active backend (cached until the backend changes);
   * `capabilities` limits a first, cheap phase (probe.ts `FAST_CHECKS`), a later call completes it.
   */
  probe(modelId: string, capabilities?: readonly ModelCapability[]): Promise<ModelProbe>;
  /** Switches the backend at run time: reloads the loaded models on it and drops the cached probes. */
  switchBackend(name: BackendName): Promise<BackendReport>;
  /** Calls `cb` (a comlink.proxy) whenever the worker changes the backend by itself (WebGL context loss). */
  watchBackend(cb: (change: BackendChange) => void): Promise<void>;
  /**
   * Test-only (NEXT_PUBLIC_TEST_HOOKS builds): loses the WebGL context now (false when not on WebGL);
   * `webglComesBack: false` makes the rebuild skip WebGL, as when the GPU stays away.
   */
  loseContextForTest(opts?: { webglComesBack?: boolean }): Promise<boolean>;
  /** A forward pass of one image of the model, timed on each available backend; the active one stays. */
  backendSpeeds(modelId: string): Promise<BackendSpeed[]>;

  /** Evaluation sets. */
  loadBundledDataset(entry: ManifestDataset, manifestUrl: string): Promise<{ meta: DatasetMeta; labels: Int32Array }>;
  /** A user's labelled images (folder per class, zip, or images + CSV), matched to `modelLabels`. */
  addLabelledSet(
    name: string,
    files: { path: string; bytes: ArrayBuffer }[],
    modelLabels: string[],
  ): Promise<{ meta: DatasetMeta; labels: Int32Array; report: LabelledSetReport }>;
  /** Posteriors of a model over a whole set, batched, with progress and cancellation (by requestId). */
  evaluate(
    requestId: string,
    modelId: string,
    datasetId: string,
    opts: { batchSize?: number; resize?: ResizePolicy },
    onProgress?: ProgressFn,
  ): Promise<EvaluationResult>;
  /** RGBA pixels of one image of a set (thumbnails, galleries). */
  datasetImage(
    datasetId: string,
    index: number,
  ): Promise<{ data: Uint8ClampedArray; width: number; height: number; name: string }>;
  /** Puts one image of a set into the image strip (so it can be predicted and explained). */
  addDatasetImage(datasetId: string, index: number): Promise<ImageMeta>;
  /**
   * Is this image like the images the model was evaluated on (`datasetId`, loaded here)? lib/ood; the set's
   * reference statistics are computed once per model, set and resize policy. Without a set: only the notes.
   */
  oodCheck(modelId: string, imageId: string, opts: { datasetId?: string; resize?: ResizePolicy }): Promise<OodReport>;
}

export interface DatasetMeta {
  id: string;
  name: string;
  count: number;
  /** Class names, index = label. */
  labels: string[];
  /** 0 for user sets (mixed sizes). */
  height: number;
  width: number;
  channels: 1 | 3;
  source: 'bundled' | 'user';
}

export interface EvaluationResult {
  datasetId: string;
  n: number;
  k: number;
  /** Posteriors [n × k], row-major. */
  probs: Float32Array;
  /** True labels [n]. */
  labels: Int32Array;
  ms: number;
  /** Time spent building input batches vs running the model. */
  prepMs: number;
  inferMs: number;
}

/** A saved model as the model list shows it (the record's summary; `damaged` set for a record that cannot be read). */
export type SavedModelMeta = Pick<
  StoredModelMeta,
  'id' | 'name' | 'createdAt' | 'format' | 'formatLabel' | 'source'
> & {
  /** Set for a damaged record (why it cannot be read); it is listed so that it can be removed. */
  damaged?: string;
};
