/**
 * In-browser head fine-tuning ("Teachable Machine" style): the plain data that crosses between the page and
 * the worker. The body of a loaded model is frozen at a cut layer, its features are computed once, and a new
 * dense head (one Dense layer, logits) is trained on them; the result is saved as a user model (body + head).
 * No tfjs here: the tfjs side is lib/runtime/headtune-jobs.ts.
 */

/** A layer the body can be cut at: its output is a flat feature vector [n, units]. */
export interface CutPoint {
  /** Layer name in the base model. */
  name: string;
  /** Feature length D of its output. */
  units: number;
  /** Layer class (Dense, Flatten, GlobalAveragePooling2D, Dropout, …). */
  className: string;
}

export interface HeadTuneOptions {
  /** Cut layer (a `CutPoint.name`); '' = the default (the input of the model's last Dense layer). */
  cutLayer: string;
  /** Passes over the training split, integer in [1, 500]. */
  epochs: number;
  /** Adam learning rate, in (0, 1]. */
  learningRate: number;
  /** Mini-batch size, integer in [1, 4096]. */
  batchSize: number;
  /** Fraction of every class held out for the live curve, in [0, 0.5]; 0 = no held-out curve. */
  heldOutFraction: number;
  /** Inverse-frequency class weights in the loss (w_c = N / (K · n_c) over the training split). */
  classWeights: boolean;
  /** Draw every class as often as the largest one in each epoch (with replacement for smaller classes). */
  oversample: boolean;
  /** L2 penalty on the head's kernel, ≥ 0. */
  weightDecay: number;
  /** Seeds the split, the head's initial weights and the epoch orders. */
  seed: number;
}

export const DEFAULT_HEAD_TUNE: HeadTuneOptions = {
  cutLayer: '',
  epochs: 40,
  learningRate: 0.01,
  batchSize: 32,
  heldOutFraction: 0.2,
  classWeights: true,
  oversample: false,
  weightDecay: 1e-4,
  seed: 0,
};

/** One point of the live curve, after an epoch. Accuracy in [0, 1]; held-out values are null without a held-out split. */
export interface CurvePoint {
  epoch: number;
  trainLoss: number;
  trainAccuracy: number;
  heldOutLoss: number | null;
  heldOutAccuracy: number | null;
}

/** Progress of a head-tuning job: the phase, its fraction in [0, 1], and the curve so far (train phase). */
export type HeadTuneProgress =
  | { phase: 'features'; fraction: number; done: number; total: number }
  | { phase: 'train'; fraction: number; point: CurvePoint };

export interface HeadTuneRequest {
  /** A loaded LayersModel (TF.js or Keras) whose body is reused. */
  modelId: string;
  /** Labelled images: a folder per class (webkitRelativePath), a zip of that, or images + a CSV. */
  files: { path: string; bytes: ArrayBuffer }[];
  /** Name of the new user model; '' = "<base> + new head". */
  name: string;
  options: HeadTuneOptions;
}

export interface HeadTuneResult {
  /** The saved user model's id (loaded in the worker, saved in IndexedDB). */
  modelId: string;
  name: string;
  classes: string[];
  cutLayer: string;
  featureLength: number;
  trainCount: number;
  heldOutCount: number;
  curve: CurvePoint[];
  /** Held-out recall per class (null where a class has no held-out image or there is no held-out split). */
  heldOutRecall: (number | null)[];
  /** Images per second through the frozen body (decoding and preprocessing included). */
  featureImagesPerSecond: number;
  /** Training examples per second through the head (examples × epochs / training seconds). */
  trainExamplesPerSecond: number;
  /** Files that were not used, in words (unreadable, unlabelled …). */
  skipped: string[];
}

/** Checks options; returns the first problem in words, or null. */
export function headTuneProblem(o: HeadTuneOptions): string | null {
  const int = (v: number, lo: number, hi: number) => Number.isInteger(v) && v >= lo && v <= hi;
  if (!int(o.epochs, 1, 500)) return 'Epochs must be a whole number from 1 to 500.';
  if (!(o.learningRate > 0 && o.learningRate <= 1)) return 'The learning rate must be above 0 and at most 1.';
  if (!int(o.batchSize, 1, 4096)) return 'The batch size must be a whole number from 1 to 4096.';
  if (!(o.heldOutFraction >= 0 && o.heldOutFraction <= 0.5)) return 'The held-out fraction must be from 0 to 0.5.';
  if (!(o.weightDecay >= 0 && Number.isFinite(o.weightDecay))) return 'The weight decay must be 0 or more.';
  if (!Number.isInteger(o.seed)) return 'The seed must be a whole number.';
  return null;
}

/** The head-tuning part of the worker's API (lib/runtime/headtune-jobs.ts; part of WorkerApi). */
export interface HeadTuneApi {
  /** Where `modelId` (a loaded TF.js / Keras layers model) can be cut, and the default cut. */
  headTuneCutPoints(modelId: string): Promise<{ points: CutPoint[]; defaultCut: string }>;
  /**
   * Trains a new head on labelled images and saves body + head as a user model (loaded, in IndexedDB).
   * Progress: features (per batch), then one curve point per epoch. Rejects with AbortError when cancelled.
   */
  trainHead(
    requestId: string,
    req: HeadTuneRequest,
    onProgress?: (p: HeadTuneProgress) => void,
  ): Promise<HeadTuneResult>;
  cancelHeadTune(requestId: string): Promise<void>;
}
