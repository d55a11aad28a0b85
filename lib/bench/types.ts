/**
 * Plain-data shapes of the benchmark API (the `bench*` methods of the benchmark worker, see protocol.ts).
 * Nothing here holds a tensor; all times are milliseconds of `performance.now()` in the worker.
 */

/** Options of the MobileNet-v1-style benchmark network (see mobilenet.ts). */
export interface BenchMobileNetOptions {
  /** Model id in the worker's registry. */
  id: string;
  alpha?: number;
  inputSize?: number;
  numClasses?: number;
  seed?: number;
}

/** Forward (and optionally forward+backward) timing at one batch size. */
export interface BenchForwardRow {
  batchSize: number;
  /** Median over reps of (time of one batched call incl. upload and read-back) ÷ batchSize. */
  forwardMsPerImage: number;
  /** Same for one batched input-gradient call (forward + backward), when measured. */
  gradientMsPerImage?: number;
  reps: number;
}

export interface BenchNaiveOcclusionResult {
  ms: number;
  windows: number;
  calls: number;
  /** The map (H×W), to check it against the batched method's. */
  values: Float32Array;
}

export interface BenchGradCamResult {
  mode: 'cached' | 'rebuild';
  layer: string;
  /** Time of each call, in order (the first includes building/caching). */
  msPerCall: number[];
  /** h'×w' map of the last call, to check both modes agree. */
  cam: Float32Array;
}

export interface BenchInferenceResult {
  /** 'predict': the LayersModel's own predict (fused kernels); 'adapter': our adapter's probabilities. */
  via: 'predict' | 'adapter';
  n: number;
  batchSize: number;
  ms: number;
  /** Posteriors [n × k] to check they match the evaluation's. */
  probs: Float32Array;
}
