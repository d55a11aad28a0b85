/**
 * The worker side of the benchmark (`bench*` methods of WorkerApi): registers the MobileNet-sized
 * network, keeps second copies of models for the baselines that need a raw LayersModel (Grad-CAM
 * rebuilt per call, `model.predict` inference), and times model passes and the baselines.
 *
 * Ownership: every model registered or loaded here is disposed by `dispose(id)`; every tensor created by a
 * measurement is disposed before it returns (the benchmark checks `tf.memory()` around each step).
 */
import * as tf from '@tensorflow/tfjs';
import type { ImageInput, ModelAdapter } from '@/lib/explain/types';
import { gradCam, resolveCamLayer } from '@/lib/explain/grad-cam';
import { resize } from '@/lib/resize';
import { buildModelInfo, loadManifestModel } from '@/lib/models/load';
import { isGraphModel } from '@/lib/models/validate';
import type { ManifestModel, ModelInfo, Preprocessing } from '@/lib/models/types';
import { buildMobileNetV1 } from './mobilenet';
import { median } from './timing';
import { gradCamRebuild } from './grad-cam-rebuild';
import { naiveOcclusion, type NaiveOcclusionConfig } from './naive-occlusion';
import { mulberry32 } from '@/lib/random';
import type {
  BenchForwardRow,
  BenchGradCamResult,
  BenchInferenceResult,
  BenchMobileNetOptions,
  BenchNaiveOcclusionResult,
} from './types';

/** What the benchmark needs from the worker's registries. */
export interface BenchDeps {
  model(id: string): { info: ModelInfo; adapter: ModelAdapter };
  adoptLayersModel(model: tf.LayersModel, info: ModelInfo): ModelInfo;
  unload(id: string): void;
  /** The model input of an image the worker holds (preprocessed for that model). */
  input(modelId: string, imageId: string): ImageInput;
  /** Raw uint8 pixels of a bundled evaluation set. */
  datasetPixels(datasetId: string): {
    pixels: Uint8Array;
    count: number;
    height: number;
    width: number;
    channels: number;
  };
}

/** The preprocessing of the benchmark MobileNet: RGB in [−1, 1] like Keras' MobileNet, centre crop. */
export function mobileNetPreprocessing(size: number): Preprocessing {
  return {
    height: size,
    width: size,
    channels: 3,
    channelOrder: 'rgb',
    normalization: 'minus-one-one',
    resize: 'center-crop',
  };
}

async function read(t: tf.Tensor): Promise<Float32Array> {
  try {
    return new Float32Array(await t.data());
  } finally {
    t.dispose();
  }
}

function seeded(n: number, seed: number): Float32Array {
  const rand = mulberry32(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = rand();
  return out;
}

/**
 * Disposes a raw copy completely. `model.dispose()` alone is not enough once `gradCamRebuild` has run: each
 * symbolic `layer.apply` raises the layer's reference count, so the layers after the Grad-CAM layer keep
 * their weights alive (one more cost of rebuilding sub-models per call). Their variables are freed here.
 */
function disposeRaw(model: tf.LayersModel): void {
  model.dispose();
  for (const w of model.weights) {
    if (!(w as unknown as { val: tf.Tensor }).val.isDisposed) w.dispose();
  }
}

export class WorkerBench {
  /** Second copies (same weights) for the rebuild-per-call Grad-CAM and `model.predict` baselines. */
  private readonly raw = new Map<string, { model: tf.LayersModel; info: ModelInfo }>();
  /** Ids this class registered in the worker's model registry (and so unloads). */
  private readonly registered = new Set<string>();

  constructor(private readonly deps: BenchDeps) {}

  /** Builds the MobileNet-sized network twice (same seed, same weights): one in the registry, one raw. */
  async registerMobileNet(opts: BenchMobileNetOptions): Promise<ModelInfo> {
    const size = opts.inputSize ?? 224;
    const build = () =>
      buildMobileNetV1({ alpha: opts.alpha, inputSize: size, numClasses: opts.numClasses, seed: opts.seed });
    const model = build();
    const numClasses = (model.outputs[0]?.shape[1] as number | undefined) ?? 1000;
    const info = await buildModelInfo(model, {
      id: opts.id,
      name: `MobileNet-v1 α=${opts.alpha ?? 1} ${size}×${size} (random weights, benchmark)`,
      source: 'user',
      preset: {
        preprocessing: mobileNetPreprocessing(size),
        labels: Array.from({ length: numClasses }, (_, i) => `class ${i}`),
        outputKind: 'logits',
      },
      provenance: 'Built by the benchmark with seeded random weights.',
    });
    this.deps.adoptLayersModel(model, info);
    this.registered.add(opts.id);
    this.keepRaw(opts.id, build(), info);
    return info;
  }

  /** Loads a second copy of a bundled LayersModel for the raw-model baselines. */
  async loadRawBundled(entry: ManifestModel, manifestUrl: string): Promise<void> {
    if (this.raw.has(entry.id)) return;
    const loaded = await loadManifestModel(entry, manifestUrl);
    if (isGraphModel(loaded.model)) {
      loaded.model.dispose();
      throw new Error(`${entry.id} is a graph model; the raw baselines need a LayersModel`);
    }
    this.keepRaw(entry.id, loaded.model, loaded.info);
  }

  private keepRaw(id: string, model: tf.LayersModel, info: ModelInfo): void {
    const old = this.raw.get(id);
    if (old) disposeRaw(old.model);
    this.raw.set(id, { model, info });
  }

  private rawModel(id: string): { model: tf.LayersModel; info: ModelInfo } {
    const r = this.raw.get(id);
    if (!r) throw new Error(`no raw copy of ${id}: call benchLoadRawBundled first`);
    return r;
  }

  /**
   * Batched forward (and forward+backward) time per image at each batch size: one warm-up call, then
   * `reps` timed calls, each uploading a seeded random batch from a Float32Array and reading the result
   * back, as the methods do. Median per image.
   */
  async forward(
    modelId: string,
    opts: { batchSizes: number[]; reps: number; gradient: boolean },
  ): Promise<BenchForwardRow[]> {
    const { adapter, info } = this.deps.model(modelId);
    const [h, w, c] = info.inputShape;
    const rows: BenchForwardRow[] = [];
    for (const bs of opts.batchSizes) {
      const data = seeded(bs * h * w * c, bs);
      const fwd = async () => read(tf.tidy(() => adapter.probabilities(tf.tensor4d(data, [bs, h, w, c]))));
      const grad = async () => read(tf.tidy(() => adapter.inputGradients(tf.tensor4d(data, [bs, h, w, c]), 0).grads));
      const time = async (f: () => Promise<unknown>) => {
        await f();
        const ms: number[] = [];
        for (let r = 0; r < opts.reps; r++) {
          const t0 = performance.now();
          await f();
          ms.push(performance.now() - t0);
        }
        return median(ms) / bs;
      };
      const row: BenchForwardRow = { batchSize: bs, forwardMsPerImage: await time(fwd), reps: opts.reps };
      if (opts.gradient) row.gradientMsPerImage = await time(grad);
      rows.push(row);
    }
    return rows;
  }

  /** The naive one-call-per-window occlusion loop, timed. */
  async naiveOcclusion(
    modelId: string,
    imageId: string,
    target: number,
    config: NaiveOcclusionConfig,
  ): Promise<BenchNaiveOcclusionResult> {
    const { adapter } = this.deps.model(modelId);
    const input = this.deps.input(modelId, imageId);
    const t0 = performance.now();
    const r = await naiveOcclusion(adapter, input, target, config);
    return { ms: performance.now() - t0, windows: r.windows, calls: r.calls, values: r.values };
  }

  /**
   * `reps` Grad-CAM calls at `layer` ('' = default), either through our method (sub-graph plans cached per
   * layer in the adapter) or rebuilding both sub-models on every call (tfjs-examples style, on the raw copy).
   * Both include upsampling the map to the input size.
   */
  async gradCam(
    modelId: string,
    imageId: string,
    target: number,
    opts: { mode: 'cached' | 'rebuild'; reps: number; layer: string },
  ): Promise<BenchGradCamResult> {
    const { adapter, info } = this.deps.model(modelId);
    const input = this.deps.input(modelId, imageId);
    const layer = resolveCamLayer(info, opts.layer);
    const msPerCall: number[] = [];
    let cam: Float32Array = new Float32Array(0);
    for (let r = 0; r < opts.reps; r++) {
      const t0 = performance.now();
      if (opts.mode === 'cached') {
        const a = await gradCam.run(adapter, input, target, { layer });
        cam = (a.extras?.cam as Float32Array | undefined) ?? new Float32Array(0);
      } else {
        const raw = this.rawModel(modelId);
        const res = await gradCamRebuild(raw.model, info.preprocessing, input, target, layer);
        resize(res.cam, { width: res.camWidth, height: res.camHeight }, { width: input.width, height: input.height });
        cam = res.cam;
      }
      msPerCall.push(performance.now() - t0);
    }
    return { mode: opts.mode, layer, msPerCall, cam };
  }

  /**
   * Pure batched inference over a whole bundled set: all images in one prebuilt tensor (built before the
   * clock starts), then one `tidy(softmax(predict(slice)))` + read-back per batch.
   */
  async pureInference(
    modelId: string,
    datasetId: string,
    opts: { batchSize: number; via: 'predict' | 'adapter' },
  ): Promise<BenchInferenceResult> {
    const { adapter, info } = this.deps.model(modelId);
    const set = this.deps.datasetPixels(datasetId);
    const [h, w, c] = info.inputShape;
    if (set.height !== h || set.width !== w || set.channels !== c)
      throw new Error('the set does not have the model input size');
    const n = set.count;
    const k = info.numClasses;
    // Float32 from JS (an int32 tensor made from a Uint8Array aborts the WASM backend).
    const all = tf.tensor4d(
      Float32Array.from(set.pixels.subarray(0, n * h * w * c), (v) => v / 255),
      [n, h, w, c],
    );
    const raw = opts.via === 'predict' ? this.rawModel(modelId).model : null;
    const probs = new Float32Array(n * k);
    const bs = opts.batchSize;
    try {
      const t0 = performance.now();
      for (let start = 0; start < n; start += bs) {
        const m = Math.min(bs, n - start);
        const out = tf.tidy(() => {
          const x = tf.slice(all, [start, 0, 0, 0], [m, h, w, c]);
          if (!raw) return adapter.probabilities(x);
          const s = raw.predict(x, { batchSize: m }) as tf.Tensor2D;
          return info.outputKind === 'logits' ? tf.softmax(s) : s;
        });
        probs.set(await read(out), start * k);
      }
      return { via: opts.via, n, batchSize: bs, ms: performance.now() - t0, probs };
    } finally {
      all.dispose();
    }
  }

  /** Drops the raw copy of `modelId`, and unloads the model itself when the benchmark registered it. */
  dispose(modelId: string): void {
    const r = this.raw.get(modelId);
    if (r) disposeRaw(r.model);
    this.raw.delete(modelId);
    if (this.registered.delete(modelId)) this.deps.unload(modelId);
  }
}
