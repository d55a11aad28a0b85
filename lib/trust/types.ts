/**
 * What the Trust jobs take and give across the worker boundary (plain data only; no tfjs here): the
 * requests of lib/runtime/trust-jobs.ts and their results. The maths behind them is in faithfulness.ts.
 */
import type { MethodId } from '@/lib/explain/types';
import type { ResizePolicy } from '@/lib/models/types';
import type { FaithfulnessResult } from './faithfulness';
import type { SanityVerdict } from './similarity';
import type { RobustnessSummary } from './robustness';

/** Curve settings shared by the single-image and the set-level runs. */
export interface CurveSettings {
  /** Points per curve minus one (default 20), integer in [2, 200]. */
  steps?: number;
  /** Random orders averaged for the floor (default 2), integer in [1, 16]. */
  randomRepeats?: number;
}

/** Deletion / insertion of one map (`values`: H×W at the model's input size) for one image and class. */
export interface FaithfulnessRequest extends CurveSettings {
  modelId: string;
  imageId: string;
  target: number;
  values: Float32Array;
  resize?: ResizePolicy;
}

/** Set level: each method's map recomputed on `n` images of an evaluation set, for the predicted class. */
export interface FaithfulnessSetRequest extends CurveSettings {
  modelId: string;
  datasetId: string;
  /** The methods and the configuration each runs with (the view's parameters). */
  methods: { method: MethodId; config: Record<string, unknown> }[];
  /** Images, spread evenly over the set (1 … the set's size). */
  n: number;
  resize?: ResizePolicy;
}

/** One method's averages over the images of a set-level run. */
export interface MethodFaithfulness {
  method: MethodId;
  /** Mean deletion AUC (lower is better) and insertion AUC (higher is better), in [0, 1]. */
  deletion: number;
  insertion: number;
  /** Fraction of images where the map beat the random floor on deletion / insertion. */
  beatsDeletion: number;
  beatsInsertion: number;
  /** Images this method was computed on (it may fail on some: `errors`). */
  n: number;
  /** The first error message, if any image failed for this method. */
  error?: string;
}

export interface FaithfulnessSetResult {
  datasetId: string;
  /** Images used. */
  n: number;
  steps: number;
  methods: MethodFaithfulness[];
  /** The random floor's mean AUCs over the same images. */
  randomDeletion: number;
  randomInsertion: number;
  ms: number;
}

/** Cascading randomisation (Adebayo et al. 2018) of one method's map for one image and class. */
export interface SanityRequest {
  modelId: string;
  imageId: string;
  method: MethodId;
  target: number;
  /** The method's configuration (the view's parameters). */
  config: Record<string, unknown>;
  /** Randomise at most this many layers from the top (default: every layer with weights). */
  maxSteps?: number;
  seed?: number;
  resize?: ResizePolicy;
}

/** The maps in a row and how alike each is to the original (plain data; see lib/trust/sanity.ts). */
export interface SanityReport {
  original: Float32Array;
  width: number;
  height: number;
  steps: { layer: string; values: Float32Array; spearman: number; ssim: number }[];
  verdict: SanityVerdict;
  ms: number;
}

/** FGSM (steps 1) or PGD on one image, away from `source` or towards `target`. */
export interface AttackRequest {
  modelId: string;
  imageId: string;
  /** The class attacked (usually the predicted one). */
  source: number;
  /** Push towards this class instead (targeted); null: untargeted. */
  target: number | null;
  /** L∞ radius in grey levels (ε = levels/255), integer 0 … 64. */
  levels: number;
  /** 1 = FGSM; more = PGD steps. */
  steps: number;
  resize?: ResizePolicy;
}

export interface AttackReport {
  width: number;
  height: number;
  channels: number;
  /** The perturbed model input (HWC, [0, 1]) and the perturbation (perturbed − original). */
  perturbed: Float32Array;
  delta: Float32Array;
  probsBefore: Float32Array;
  probsAfter: Float32Array;
  /** Smallest FGSM ε (k/255, k ≤ 32) that moves the decision away from `source`; null when none does. */
  flipEpsilon: number | null;
  /** The same found with PGD (bisection over k, PGD at each; the request's steps, or 10 for FGSM requests). */
  flipEpsilonPgd: number | null;
}

/** Accuracy against FGSM at each ε and Gaussian noise at each σ over `n` images of a set (true labels). */
export interface RobustnessSetRequest {
  modelId: string;
  datasetId: string;
  n: number;
  /** In pixel units (k/255). */
  epsilons: number[];
  sigmas: number[];
  /** Also search each image's smallest PGD flip ε (10 steps per radius; ~6 radii, so ~60 calls per image). */
  pgdFlip?: boolean;
  resize?: ResizePolicy;
}

export type RobustnessSetResult = RobustnessSummary & { datasetId: string; ms: number };

/** The feature maps of one image at a spatial layer. */
export interface ActivationsRequest {
  modelId: string;
  imageId: string;
  layer: string;
  resize?: ResizePolicy;
}

export interface ActivationsReport {
  layer: string;
  height: number;
  width: number;
  channels: number;
  /** HWK row-major. */
  values: Float32Array;
  means: Float32Array;
}

/** The images of a set that activate one channel of a layer most (by the channel's mean). */
export interface TopActivatingRequest {
  modelId: string;
  datasetId: string;
  layer: string;
  channel: number;
  /** Images scanned, spread over the set. */
  n: number;
  /** How many to return. */
  top: number;
  resize?: ResizePolicy;
}

export interface TopActivatingResult {
  /** Indices into the set, best first, and their mean activations. */
  indices: number[];
  means: number[];
  scanned: number;
}

/** An image optimised from grey or noise to maximise one class (see lib/trust/fooling.ts). */
export interface FoolingRequest {
  modelId: string;
  target: number;
  start: 'grey' | 'noise';
  steps: number;
  regularise: boolean;
  seed?: number;
}

export interface FoolingReport {
  width: number;
  height: number;
  channels: number;
  data: Float32Array;
  /** The target's probability before and after each step. */
  trajectory: Float32Array;
  probs: Float32Array;
}

/** Feature visualisation: an image optimised from grey or noise to maximise one channel of a spatial layer. */
export interface FeatureVisRequest {
  modelId: string;
  /** One of the model's spatial layers. */
  layer: string;
  /** Channel index, [0, k). */
  channel: number;
  start: 'grey' | 'noise';
  /** Gradient steps, integer 1 … 1000. */
  steps: number;
  regularise: boolean;
  seed?: number;
}

export interface FeatureVisReport {
  width: number;
  height: number;
  channels: number;
  /** The image reached (HWC, [0, 1]). */
  data: Float32Array;
  /** The channel's mean activation before and after each step. */
  trajectory: Float32Array;
}

/** The worker's Trust jobs (merged into `WorkerApi`); cancelled by `WorkerApi.cancel(requestId)`. */
export interface TrustApi {
  faithfulness(
    requestId: string,
    req: FaithfulnessRequest,
    onProgress?: (f: number) => void,
  ): Promise<FaithfulnessResult>;
  faithfulnessSet(
    requestId: string,
    req: FaithfulnessSetRequest,
    onProgress?: (f: number) => void,
  ): Promise<FaithfulnessSetResult>;
  /** Runs on a fresh copy of the model loaded again in the worker: the loaded model is never changed. */
  sanityCheck(requestId: string, req: SanityRequest, onProgress?: (f: number) => void): Promise<SanityReport>;
  attack(requestId: string, req: AttackRequest): Promise<AttackReport>;
  activations(requestId: string, req: ActivationsRequest): Promise<ActivationsReport>;
  fooling(requestId: string, req: FoolingRequest, onProgress?: (f: number) => void): Promise<FoolingReport>;
  featureVis(requestId: string, req: FeatureVisRequest, onProgress?: (f: number) => void): Promise<FeatureVisReport>;
  topActivating(
    requestId: string,
    req: TopActivatingRequest,
    onProgress?: (f: number) => void,
  ): Promise<TopActivatingResult>;
  robustnessSet(
    requestId: string,
    req: RobustnessSetRequest,
    onProgress?: (f: number) => void,
  ): Promise<RobustnessSetResult>;
}
