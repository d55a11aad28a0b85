/**
 * Plain-data descriptions of models and evaluation sets. Nothing here holds a tensor: these objects cross
 * the worker boundary, live in the store, and are written to the bundled manifest (models/manifest.json).
 */
import type { OutputKind } from './output-kind';

/** Named normalisation presets. Pixels enter as p ∈ [0,1] (RGB); the model sees (p·scale − mean[c]) / std[c]. */
export type NormalizationPreset = 'zero-one' | 'minus-one-one' | 'zero-255' | 'imagenet' | 'caffe-bgr';

export interface Normalization {
  /** Multiplier applied to p ∈ [0,1] before mean/std (1 or 255). */
  scale: number;
  /** Per-channel mean, in the model's channel order, in scaled units. Length 1 or channels. */
  mean: number[];
  /** Per-channel std, in the model's channel order, in scaled units. Length 1 or channels. */
  std: number[];
}

/** How an image of any size is brought to the model's input size. */
export type ResizePolicy = 'stretch' | 'center-crop' | 'pad';

export interface Preprocessing {
  /** Model input height and width in pixels. */
  height: number;
  width: number;
  /** 1 = grey (luma of RGB), 3 = colour. */
  channels: 1 | 3;
  /** Order of the colour channels the model expects (ignored when channels = 1). */
  channelOrder: 'rgb' | 'bgr';
  /** A preset name, or explicit numbers. */
  normalization: NormalizationPreset | Normalization;
  /** Default resize policy (the user can change it in the UI). */
  resize: ResizePolicy;
  /**
   * Invert grey values (1 − p) before normalisation. MNIST-style models expect a light object on a dark
   * background; photos of dark ink on white paper need this.
   */
  invert?: boolean;
}

/** What the model's outputs mean (softmax, logits, one sigmoid, multi-label, regression): see output-kind.ts. */
export type { OutputKind };

/** 'onnx': an ONNX graph translated to TensorFlow.js ops (lib/models/onnx). */
export type ModelFormat = 'layers' | 'graph' | 'onnx';

/** One bundled model as listed in models/manifest.json. URLs are relative to the manifest. */
export interface ManifestModel {
  id: string;
  name: string;
  version: string;
  task: 'image-classification';
  format: ModelFormat;
  /** e.g. "fashion-finetuned/model.json" */
  modelUrl: string;
  /** [height, width, channels] */
  inputShape: [number, number, number];
  preprocessing: Preprocessing;
  labels: string[];
  outputKind: OutputKind;
  /** One line: where the weights came from. */
  provenance: string;
  /** e.g. "fashion-finetuned/card.md" and "fashion-finetuned/card.json" */
  cardUrl?: string;
  cardJsonUrl?: string;
  /** Id of the bundled evaluation set this model is meant for. */
  datasetId?: string;
  /** Short description shown in the picker. */
  description?: string;
  /**
   * How many training images each class had, in label order (from the card): Evaluate's "training mix"
   * priors preset. Absent when the card does not say (e.g. weak-label pretraining).
   */
  trainingMix?: number[];
  /**
   * e.g. "fashion-finetuned/checkpoints.json": the fine-tuning run's checkpoints (lib/timeline parses it),
   * written by `python3 -m whytrain.checkpoints`. Absent for a model without a checkpoint timeline.
   */
  checkpointsUrl?: string;
}

/**
 * A bundled evaluation set: uint8 pixels [count, height, width, channels] row-major in `imagesUrl`,
 * uint8 labels [count] in `labelsUrl` (class indices into `labels`).
 */
export interface ManifestDataset {
  id: string;
  name: string;
  imagesUrl: string;
  labelsUrl: string;
  count: number;
  height: number;
  width: number;
  channels: 1 | 3;
  labels: string[];
  provenance: string;
  /** Optional: index of each image in its source test set (for traceability). */
  sourceIndicesUrl?: string;
}

export interface Manifest {
  version: 1;
  models: ManifestModel[];
  datasets: ManifestDataset[];
  defaults: { explain: string; compare: [string, string] };
}

/** One layer row of an architecture summary. */
export interface LayerSummary {
  name: string;
  className: string;
  /** Output shape with null for the batch dimension. */
  outputShape: (number | null)[];
  params: number;
  /** True when the output is [batch, h, w, channels] with h, w > 1: usable for class-activation maps. */
  spatial: boolean;
}

/** Everything the UI needs to know about a loaded model (plain data). */
export interface ModelInfo {
  id: string;
  name: string;
  source: 'bundled' | 'user';
  format: ModelFormat;
  /** Which file format was read, in words: "ONNX (opset 13)", "Keras 3 .keras", "TensorFlow.js LayersModel" … */
  formatLabel?: string;
  inputShape: [number, number, number];
  /** Output shape with null for the batch dimension, e.g. [null, 10]. */
  outputShape: (number | null)[];
  /** Classes (or values) shown and explained: the output width K, or 2 for a binary model with one output. */
  numClasses: number;
  labels: string[];
  outputKind: OutputKind;
  /** Why this output kind: detected ("the last op is Sigmoid on one output") or "set in the model card". */
  outputKindReason?: string;
  /** Unit of regression values, from the card ("years"). */
  unit?: string;
  preprocessing: Preprocessing;
  paramCount: number;
  layers: LayerSummary[];
  /** Layer (or graph node) names usable for Grad-CAM; the last one is the default. */
  spatialLayers: string[];
  /** The datasets this model can be evaluated on. */
  datasetId?: string;
  provenance?: string;
}

/** A user-facing error with a stable code, so tests and the UI can tell cases apart. */
export type ModelErrorCode =
  | 'malformed-json'
  | 'not-a-model'
  | 'missing-weights'
  | 'short-weights'
  | 'unknown-layer'
  | 'unknown-op'
  | 'not-image-input'
  | 'multiple-inputs'
  | 'bad-output'
  | 'nan-weights'
  | 'network'
  | 'cors'
  | 'load-failed'
  /** The model card / labels file the user supplied is invalid or disagrees with the model. */
  | 'bad-card'
  /** The bundled models/manifest.json is invalid. */
  | 'bad-manifest'
  /** A URL answered 404, or a stored model id does not exist. */
  | 'not-found'
  /** A model saved in IndexedDB is damaged (unreadable record). */
  | 'corrupt-record';

export class ModelError extends Error {
  constructor(
    readonly code: ModelErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ModelError';
  }
}
