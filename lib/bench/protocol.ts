/**
 * The typed interface of the benchmark worker (lib/bench/worker.ts): the dashboard's whole WorkerApi (the
 * harness loads models, predicts, explains and evaluates exactly as the dashboard does) plus the
 * benchmark's own methods. Plain, structured-cloneable data only. The production worker does not carry
 * these methods.
 */
import type { ManifestModel, ModelInfo } from '@/lib/models/types';
import type { WorkerApi } from '@/lib/runtime/protocol';
import type { NaiveOcclusionConfig } from './naive-occlusion';
import type {
  BenchForwardRow,
  BenchGradCamResult,
  BenchInferenceResult,
  BenchMobileNetOptions,
  BenchNaiveOcclusionResult,
} from './types';

export interface BenchApi {
  /** Builds the MobileNet-v1-sized network (seeded random weights) and registers it under `opts.id`. */
  benchRegisterMobileNet(opts: BenchMobileNetOptions): Promise<ModelInfo>;
  /** Loads a second copy of a bundled LayersModel for the raw-model baselines. */
  benchLoadRawBundled(entry: ManifestModel, manifestUrl: string): Promise<void>;
  /** Batched forward (and forward+backward) time per image at each batch size. */
  benchForward(
    modelId: string,
    opts: { batchSizes: number[]; reps: number; gradient: boolean },
  ): Promise<BenchForwardRow[]>;
  /** Occlusion with one model call per window (the naive baseline), timed. */
  benchNaiveOcclusion(
    modelId: string,
    imageId: string,
    target: number,
    config: NaiveOcclusionConfig,
  ): Promise<BenchNaiveOcclusionResult>;
  /** Repeated Grad-CAM, with cached sub-graphs (our method) or rebuilding sub-models per call. */
  benchGradCam(
    modelId: string,
    imageId: string,
    target: number,
    opts: { mode: 'cached' | 'rebuild'; reps: number; layer: string },
  ): Promise<BenchGradCamResult>;
  /** Pure batched inference over a bundled set from one prebuilt tensor. */
  benchPureInference(
    modelId: string,
    datasetId: string,
    opts: { batchSize: number; via: 'predict' | 'adapter' },
  ): Promise<BenchInferenceResult>;
  /**
   * Forward-equivalents of one run of `method` with its full `config` on an input of `inputShape`
   * [h, w, c] (lib/bench/accounting.ts). Counted in the worker so the page needs no method code.
   */
  benchForwardEquivalents(
    method: string,
    config: Record<string, unknown>,
    inputShape: [number, number, number],
  ): Promise<{ fe: number; formula: string }>;
  /** Drops the benchmark's copies of `modelId` (and the model, when the benchmark registered it). */
  benchDispose(modelId: string): Promise<void>;
}

/** Everything the benchmark worker answers. */
export type BenchWorkerApi = WorkerApi & BenchApi;
