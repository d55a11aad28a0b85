/**
 * The worker side of the dashboard, as a factory: the backend, every loaded model (and its adapter with
 * cached Grad-CAM sub-models), every decoded image and every tensor, and the WorkerApi over them.
 * `worker.ts` exposes it as the production worker; `lib/bench/worker.ts` exposes it plus the benchmark's
 * methods, reusing the same registries (one model-loading path). Worker-only: imports tfjs.
 */
import * as tf from '@tensorflow/tfjs';
import type { Attribution, ImageInput, ModelAdapter, ParamSpec } from '@/lib/explain/types';
import type { ManifestModel, ModelInfo, ResizePolicy } from '@/lib/models/types';
import { chooseBackend, loseWebGLContext, resetWebGL, switchTo, webglTarget } from './backend';
import { createContextLossGuard, guardJobs, testHooksOn, type ContextLossGuard, type GLTarget } from './context-loss';
import { measureForward, probeModel } from './probe';
import type { BackendName, BackendSpeed, ModelProbe } from './probe-types';
import type { BackendReport, ExplainRequest, ImageMeta, Prediction, UserModelOptions, WorkerApi } from './protocol';
import { WorkerModels } from './worker-models';
import { WorkerImages } from './worker-images';
import { WorkerDatasets } from './worker-datasets';
import { capBatchSize } from './batch-cap';
import { getMethod } from '@/lib/explain/registry';
import { doneEstimateMs, planRun } from '@/lib/explain/estimate-budget';
import { PassTimingCache } from './pass-timing';
import { withGradientPieces, type PieceLimits } from './segmented-gradients';
import { releaseLayersGraphCache } from './layers-cache';
import { createOodJobs, type OodJobs } from './ood-jobs';
import { createTrustJobs } from './trust-jobs';
import { createHeadTuneJobs } from './headtune-jobs';

/** What a worker entry gets: the API to expose and the registries behind it (for extra entry points). */
export interface WorkerCore {
  api: WorkerApi;
  models: WorkerModels;
  images: WorkerImages;
  datasets: WorkerDatasets;
  /** The model input of an image for a model (cached per model, image and resize policy). */
  modelInputFor(
    modelId: string,
    imageId: string,
    resize?: ResizePolicy,
  ): { input: ImageInput; adapter: ModelAdapter; info: ModelInfo };
  /** The out-of-distribution jobs (lib/runtime/ood-jobs.ts): samples, cached references, checks. */
  ood: OodJobs;
  /** Drops cached inputs of a model (`prefix`) and/or of an image. */
  forget(modelId: string | null, imageId: string | null): void;
  /**
   * Switches the tfjs backend at run time: cancels running work, starts `name`, reloads every loaded model
   * on it and drops the cached probes (the page re-probes). Throws in words when `name` cannot start.
   */
  switchBackend(name: BackendName): Promise<BackendReport>;
  /** WebGL context loss: GPU jobs race it; on a loss it rebuilds and reloads (context-loss.ts). */
  contextLoss: ContextLossGuard;
}

export interface WorkerCoreOptions {
  /** The active backend's GL context (default: tfjs's WebGL backend's; tests hand in a fake). */
  glTarget?: () => GLTarget | null;
  /** When input gradients are taken in pieces, and how small (default: over 150 ms, pieces of ~40 ms). */
  pieces?: PieceLimits;
}

/** Builds a fresh set of registries and the WorkerApi over them. Call once per worker. */
export function createWorkerCore(opts: WorkerCoreOptions = {}): WorkerCore {
  const models = new WorkerModels();
  const images = new WorkerImages();
  const datasets = new WorkerDatasets();
  const running = new Map<string, AbortController>();
  /** Measured passes per model and backend: estimates, budget-sized defaults and Cancel slicing. */
  const passes = new PassTimingCache();
  /** Small cache of preprocessed inputs: key = model|image|resize. */
  const inputCache = new Map<string, ImageInput>();
  const INPUT_CACHE_MAX = 64;

  function modelInputFor(
    modelId: string,
    imageId: string,
    resize?: ResizePolicy,
  ): { input: ImageInput; adapter: ModelAdapter; info: ModelInfo } {
    const loaded = models.get(modelId);
    const policy = resize ?? loaded.info.preprocessing.resize;
    const key = `${modelId}|${imageId}|${policy}`;
    let input = inputCache.get(key);
    if (!input) {
      input = images.toModelInput(imageId, loaded.info.preprocessing, policy);
      inputCache.set(key, input);
      if (inputCache.size > INPUT_CACHE_MAX) inputCache.delete(inputCache.keys().next().value as string);
    }
    return { input, adapter: loaded.adapter, info: loaded.info };
  }

  function forget(prefix: string | null, imageId: string | null) {
    for (const key of [...inputCache.keys()]) {
      const [m, i] = key.split('|');
      if ((prefix && m === prefix) || (imageId && i === imageId)) inputCache.delete(key);
    }
  }

  /** Probes per adapter (a reloaded model has a new adapter), valid for the backend they ran on. */
  const probes = new WeakMap<ModelAdapter, ModelProbe>();
  let available: BackendName[] = ['cpu'];
  const active = () => tf.getBackend() as BackendName;

  async function switchBackend(name: BackendName): Promise<BackendReport> {
    for (const c of running.values()) c.abort();
    const report = await switchTo(name);
    available = report.available ?? available;
    const { failed } = await models.reloadAll();
    releaseLayersGraphCache();
    if (failed.length)
      report.reason += `; kept as they were (not reloaded): ${failed.map((f) => `${f.id} (${f.error})`).join(', ')}`;
    contextLoss.watch();
    return report;
  }

  const glTarget = opts.glTarget ?? webglTarget;
  /** Test-only: the next rebuild treats WebGL as not coming back (loseContextForTest). */
  let webglStaysAway = false;
  const contextLoss = createContextLossGuard({
    current: glTarget,
    reset: resetWebGL,
    // A new WebGL context first, except after a second loss (a GPU that keeps resetting).
    candidates: (losses) =>
      (['webgl', 'wasm', 'cpu'] as const).filter(
        (b) => tf.findBackendFactory(b) != null && (b !== 'webgl' || (losses < 2 && !webglStaysAway)),
      ),
    switchBackend,
  });

  async function backendSpeeds(modelId: string): Promise<BackendSpeed[]> {
    if (running.size > 0)
      throw new Error('Speeds are measured while nothing else runs: try again when the current run ends.');
    const original = active();
    const out: BackendSpeed[] = [];
    try {
      for (const b of available) {
        try {
          if (b !== active() && !(await tf.setBackend(b))) throw new Error('it could not start');
          await tf.ready();
          out.push({ backend: b, ms: await measureForward(models.get(modelId).adapter) });
        } catch (e) {
          out.push({ backend: b, ms: null, error: e instanceof Error ? e.message : String(e) });
        }
      }
    } finally {
      if (active() !== original) await tf.setBackend(original);
      await tf.ready();
    }
    return out;
  }

  function toBatch(input: ImageInput): tf.Tensor4D {
    return tf.tensor4d(input.data, [1, input.height, input.width, input.channels]);
  }

  /**
   * Replaces `<name>Id` (an image id held here) by `<name>` (that image as this model's input) for every
   * parameter of kind 'image'; other keys pass through. The `<name>Id` key itself is dropped.
   */
  function resolveImageParams(spec: Record<string, ParamSpec>, req: ExplainRequest): Record<string, unknown> {
    const config: Record<string, unknown> = { ...req.config };
    for (const [name, p] of Object.entries(spec)) {
      if (p.kind !== 'image') continue;
      const id = config[`${name}Id`];
      delete config[`${name}Id`];
      if (typeof id === 'string' && id !== '') config[name] = modelInputFor(req.modelId, id, req.resize).input;
    }
    return config;
  }

  const trust = createTrustJobs({ models, datasets, modelInputFor, running });

  const ood = createOodJobs({ datasets, images, modelInputFor, model: (id) => models.get(id) });

  const api: WorkerApi = {
    ...trust,
    ...createHeadTuneJobs(models),
    async init(opts) {
      const report = await chooseBackend(opts.backend, opts.wasmBase, { threads: opts.threads });
      available = report.available ?? available;
      contextLoss.watch();
      return report;
    },
    async probe(modelId, capabilities) {
      const { adapter } = models.get(modelId);
      const cached = probes.get(adapter);
      const previous = cached?.backend === active() ? cached : null;
      if (previous?.complete) return previous;
      const result = await probeModel(adapter, { backend: active(), available, capabilities, previous });
      probes.set(adapter, result);
      return result;
    },
    switchBackend,
    async watchBackend(cb) {
      contextLoss.subscribe(cb);
    },
    async loseContextForTest(o = {}) {
      if (!testHooksOn()) throw new Error('Test hooks are off in this build.');
      webglStaysAway = o.webglComesBack === false;
      return loseWebGLContext();
    },
    backendSpeeds,
    async loadBundled(entry: ManifestModel, manifestUrl: string) {
      return models.loadBundled(entry, manifestUrl);
    },
    async loadFromFiles(files: File[], opts: UserModelOptions, onProgress) {
      return models.loadFromFiles(files, opts, onProgress ? (f, stage) => void onProgress(f, stage) : undefined);
    },
    updateSaved: (id, opts) => models.updateSaved(id, opts),
    listSaved: () => models.listSaved(),
    loadSaved: (id) => models.loadSaved(id),
    renameSaved: (id, name) => models.renameSaved(id, name),
    async removeSaved(id) {
      forget(id, null);
      await models.removeSaved(id);
    },
    async unload(modelId) {
      forget(modelId, null);
      passes.forget(modelId);
      models.unload(modelId);
      releaseLayersGraphCache();
    },
    async addImage(bytes: ArrayBuffer, name: string): Promise<ImageMeta> {
      return images.addEncoded(bytes, name);
    },
    async addPixels(pixels, width, height, channels, name) {
      return images.addPixels(pixels, width, height, channels, name);
    },
    async removeImage(imageId) {
      forget(null, imageId);
      images.remove(imageId);
    },
    async modelInput(modelId, imageId, resize) {
      return modelInputFor(modelId, imageId, resize).input;
    },
    async predict(modelId, imageId, resize): Promise<Prediction> {
      const t0 = performance.now();
      const { input, adapter } = modelInputFor(modelId, imageId, resize);
      const [scoresT, probsT] = tf.tidy(() => {
        const x = toBatch(input);
        return [adapter.scores(x), adapter.probabilities(x)] as const;
      });
      try {
        const [scores, probs] = await Promise.all([scoresT.data(), probsT.data()]);
        return {
          modelId,
          imageId,
          scores: new Float32Array(scores),
          probs: new Float32Array(probs),
          ms: performance.now() - t0,
        };
      } finally {
        scoresT.dispose();
        probsT.dispose();
      }
    },
    async explain(requestId: string, req: ExplainRequest, onProgress?: (f: number) => void): Promise<Attribution> {
      const method = getMethod(req.method);
      const { input, adapter, info } = modelInputFor(req.modelId, req.imageId, req.resize);
      if (!method.isCompatible(info)) throw new Error(`${method.label} cannot explain this model.`);
      const config = capBatchSize(resolveImageParams(method.configSpec, req), method.defaultConfig, input);
      const controller = new AbortController();
      running.set(requestId, controller);
      try {
        // Batches sliced so one call takes ≤ ~150 ms (Cancel is checked between calls); work sized to ~10 s.
        const basis = await passes.basis(req.modelId, adapter);
        const plan = planRun(method, config, info.inputShape, basis);
        // A pass too long for one call runs in pieces (segmented-gradients.ts), Cancel checked between them.
        const split = withGradientPieces(adapter, controller.signal, basis.timings.gradientMs.one, opts.pieces);
        const a = await method.run(split, input, req.target, plan.config, {
          signal: controller.signal,
          onProgress: onProgress ? (f) => void onProgress(f) : undefined,
        });
        // The factor learns speed: an IG run that stopped early is judged at the steps it used.
        passes.record(
          req.modelId,
          method.id,
          a.timings.totalMs,
          doneEstimateMs(method, plan, a.extras, info.inputShape, basis.timings),
        );
        return a;
      } finally {
        running.delete(requestId);
      }
    },
    async cancel(requestId) {
      running.get(requestId)?.abort();
    },
    async runBasis(modelId) {
      return passes.basis(modelId, models.get(modelId).adapter);
    },
    async memory() {
      const m = tf.memory();
      return { numTensors: m.numTensors, numBytes: m.numBytes };
    },
    loadBundledDataset: (entry, manifestUrl) => datasets.loadBundled(entry, manifestUrl),
    addLabelledSet: (name, files, modelLabels) => datasets.addLabelled(name, files, modelLabels),
    async evaluate(requestId, modelId, datasetId, opts, onProgress) {
      const loaded = models.get(modelId);
      const controller = new AbortController();
      running.set(requestId, controller);
      try {
        return await datasets.evaluate(
          datasetId,
          loaded.adapter,
          loaded.info.preprocessing,
          opts.resize ?? loaded.info.preprocessing.resize,
          {
            batchSize: opts.batchSize,
            signal: controller.signal,
            onProgress: onProgress ? (f) => void onProgress(f) : undefined,
          },
        );
      } finally {
        running.delete(requestId);
      }
    },
    async datasetImage(datasetId, index) {
      return datasets.image(datasetId, index);
    },
    oodCheck: (modelId, imageId, opts) => ood.check(modelId, imageId, opts),
    async addDatasetImage(datasetId, index) {
      const img = datasets.image(datasetId, index);
      return images.addRGBA(img.data, img.width, img.height, img.name);
    },
  };

  // Every job races a WebGL context loss and fails with its message (context-loss.ts), except:
  guardJobs(api, contextLoss, {
    except: ['init', 'cancel', 'memory', 'switchBackend', 'backendSpeeds', 'watchBackend', 'loseContextForTest'],
    // Idempotent reads and loads run again on the rebuilt backend instead (a loss while the page starts).
    retried: ['predict', 'probe', 'runBasis', 'modelInput', 'loadBundled', 'loadSaved', 'loadBundledDataset'],
  });

  return { api, models, images, datasets, modelInputFor, ood, forget, switchBackend, contextLoss };
}
