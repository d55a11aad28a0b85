/**
 * The page side of `npm run bench` (scripts/bench/run.mjs drives it through `window.__bench`). Each step
 * talks to the benchmark's own worker (lib/bench/worker.ts: the dashboard's worker core plus the bench
 * methods; explanations go through an ExplainService as on the dashboard) and returns plain JSON: numbers
 * and short strings, never maps. No tfjs on this page: forward-equivalents are counted in the worker. Main-thread long tasks (> 50 ms) are collected for the whole page life
 * by a PerformanceObserver and attributed to the step during which they happened.
 */
import { type Attribution, type MethodId, METHOD_IDS } from '@/lib/explain';
import { type Manifest, type ModelInfo, parseManifest } from '@/lib/models';
import type { BackendReport, MemoryReport } from '@/lib/runtime';
import { median, tasksDuring, type BenchConnection, type TaskSpan } from '@/lib/bench';
import { composeView, DEFAULT_LOOK } from '@/lib/render';
import { mulberry32 } from '@/lib/random';

export interface PreparedModel {
  modelId: string;
  imageId: string;
  /** The class the model predicts for the image (explained as the target). */
  target: number;
  inputShape: [number, number, number];
  paramCount: number;
  spatialLayer: string;
}

export interface StepTiming {
  wallMs: number;
  longTasks: number;
  longestTaskMs: number;
  memBefore: MemoryReport;
  memAfter: MemoryReport;
}

export interface MethodRun extends StepTiming {
  method: MethodId;
  workerMs: number;
  modelCalls: number;
  config: Record<string, unknown>;
  /** Time to paint the map on the page (composeView + putImageData at 384 px), inside wallMs. */
  paintMs: number;
  /** Long tasks while painting the result (not the method's: the renderer's). */
  paintLongTasks: number;
  /** Forward-equivalents of this run and how they were counted (lib/bench/accounting.ts). */
  fe: number;
  feFormula: string;
}

/** Max |a − b| over two equally long arrays (Infinity when the lengths differ). */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
}

function argmax(xs: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < xs.length; i++) if ((xs[i] as number) > (xs[best] as number)) best = i;
  return best;
}

/** Seeded RGB noise with a bright square, as a stand-in photo for the 224×224 network. */
function syntheticRgb(size: number, seed: number): Uint8Array {
  const rand = mulberry32(seed);
  const px = new Uint8Array(size * size * 3);
  for (let i = 0; i < px.length; i++) {
    const r = rand();
    const p = Math.floor(i / 3);
    const [y, x] = [Math.floor(p / size), p % size];
    const inSquare = y > size / 3 && y < (2 * size) / 3 && x > size / 4 && x < size / 2;
    px[i] = inSquare ? 200 + Math.floor(r * 8) : Math.floor(r * 128);
  }
  return px;
}

export class BenchHarness {
  private readonly tasks: TaskSpan[] = [];
  private manifest: Manifest | null = null;
  private started: Promise<BackendReport> | null = null;
  private readonly canvas: HTMLCanvasElement;

  /**
   * `backend`: the `?backend=` choice (undefined: the worker's own order). `onBackend` hears the outcome
   * (the report, or the error text) for the page's status line.
   */
  constructor(
    private readonly connection: BenchConnection,
    private readonly backend: string | undefined,
    private readonly log: (line: string) => void,
    private readonly onBackend: (report: BackendReport | null, error: string | null) => void = () => undefined,
  ) {
    this.canvas = document.createElement('canvas');
    try {
      const obs = new PerformanceObserver((list) => {
        for (const e of list.getEntries()) this.tasks.push({ startTime: e.startTime, duration: e.duration });
      });
      obs.observe({ type: 'longtask', buffered: true });
    } catch {
      this.log('PerformanceObserver "longtask" is not supported in this browser: long tasks read as 0.');
    }
  }

  private get api() {
    return this.connection.api;
  }

  private service() {
    return this.connection.service;
  }

  private manifestUrl(): string {
    return new URL('/models/manifest.json', location.href).href;
  }

  /** Starts the worker's backend (once) and loads the bundled manifest; fails after `timeoutMs`. */
  async init(
    timeoutMs = 60_000,
  ): Promise<{ backend: BackendReport; userAgent: string; longTaskSupported: boolean; methods: readonly MethodId[] }> {
    this.started ??= this.api
      .init({ backend: this.backend, wasmBase: new URL('/tfjs-wasm/', location.href).href })
      .then(
        (report) => {
          this.onBackend(report, null);
          return report;
        },
        (e: unknown) => {
          const text = e instanceof Error ? e.message : String(e);
          this.onBackend(null, text);
          throw new Error(`backend failed: ${text}`);
        },
      );
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('the worker did not start in time')), timeoutMs);
    });
    try {
      const backend = await Promise.race([this.started, timeout]);
      if (!this.manifest) {
        const res = await fetch(this.manifestUrl());
        if (!res.ok) throw new Error(`the manifest could not be read: the server answered ${res.status}`);
        this.manifest = parseManifest(await res.json());
      }
      this.log(`backend ${backend.backend} (${backend.reason})`);
      const supported =
        typeof PerformanceObserver !== 'undefined' && PerformanceObserver.supportedEntryTypes.includes('longtask');
      return { backend, userAgent: navigator.userAgent, longTaskSupported: supported, methods: METHOD_IDS };
    } finally {
      clearTimeout(timer);
    }
  }

  private async timed<T>(fn: () => Promise<T>): Promise<{ value: T } & StepTiming> {
    const memBefore = await this.api.memory();
    const t0 = performance.now();
    const value = await fn();
    const t1 = performance.now();
    // Let a long task that ended the step be delivered to the observer.
    await new Promise((r) => setTimeout(r, 0));
    const memAfter = await this.api.memory();
    const during = tasksDuring(this.tasks, t0, t1);
    return {
      value,
      wallMs: t1 - t0,
      longTasks: during.length,
      longestTaskMs: during.reduce((m, t) => Math.max(m, t.duration), 0),
      memBefore,
      memAfter,
    };
  }

  private async predictTarget(modelId: string, imageId: string): Promise<number> {
    return argmax((await this.api.predict(modelId, imageId)).probs);
  }

  private prepared(info: ModelInfo, imageId: string, target: number): PreparedModel {
    return {
      modelId: info.id,
      imageId,
      target,
      inputShape: info.inputShape,
      paramCount: info.paramCount,
      spatialLayer: info.spatialLayers[info.spatialLayers.length - 1] ?? '',
    };
  }

  /** A bundled model, a raw copy of it, its evaluation set, and image `imageIndex` of that set. */
  async prepareBundled(modelId: string, imageIndex = 0): Promise<PreparedModel & { datasetId: string }> {
    const entry = this.manifest?.models.find((m) => m.id === modelId);
    if (!entry?.datasetId) throw new Error(`no bundled model ${modelId} with an evaluation set`);
    const setEntry = this.manifest?.datasets.find((d) => d.id === entry.datasetId);
    if (!setEntry) throw new Error(`no bundled set ${entry.datasetId}`);
    const info = await this.api.loadBundled(entry, this.manifestUrl());
    await this.api.benchLoadRawBundled(entry, this.manifestUrl());
    await this.api.loadBundledDataset(setEntry, this.manifestUrl());
    const image = await this.api.addDatasetImage(setEntry.id, imageIndex);
    const target = await this.predictTarget(info.id, image.id);
    this.log(`prepared ${info.id} (${info.paramCount} params), image ${image.name}, target ${target}`);
    return { ...this.prepared(info, image.id, target), datasetId: setEntry.id };
  }

  /** The MobileNet-sized network (random weights) and a synthetic 256×256 photo. */
  async prepareMobileNet(opts: {
    id: string;
    alpha: number;
    inputSize: number;
  }): Promise<PreparedModel & { buildMs: number }> {
    const t0 = performance.now();
    const info = await this.api.benchRegisterMobileNet({
      id: opts.id,
      alpha: opts.alpha,
      inputSize: opts.inputSize,
      seed: 1,
    });
    const buildMs = performance.now() - t0;
    const size = Math.round(opts.inputSize * 1.15);
    const image = await this.api.addPixels(syntheticRgb(size, 7), size, size, 3, 'synthetic.png');
    const target = await this.predictTarget(info.id, image.id);
    this.log(`prepared ${info.id} (${info.paramCount} params) in ${buildMs.toFixed(0)} ms, target ${target}`);
    return { ...this.prepared(info, image.id, target), buildMs };
  }

  forward(modelId: string, batchSizes: number[], reps: number, gradient: boolean) {
    return this.api.benchForward(modelId, { batchSizes, reps, gradient });
  }

  /**
   * One explanation through the service (as the dashboard runs it), then painting the map. Long tasks are
   * counted while the worker runs the method (request sent → result received) and, separately, while the
   * page paints the result.
   */
  async method(p: PreparedModel, method: MethodId, config: Record<string, unknown>): Promise<MethodRun> {
    let progress = 0;
    const memBefore = await this.api.memory();
    const t0 = performance.now();
    const a: Attribution = await this.service().explain(
      'bench',
      { modelId: p.modelId, imageId: p.imageId, method, target: p.target, config },
      (f) => {
        progress = f;
      },
    );
    const tArrived = performance.now();
    // Paint in a task of its own (as the dashboard's React effect does), so a long paint is not counted as
    // a long task of the method.
    await new Promise((r) => setTimeout(r, 0));
    const tPaint = performance.now();
    const out = composeView(
      { values: a.values, mapWidth: a.width, mapHeight: a.height, signed: a.signed },
      DEFAULT_LOOK,
      384,
    );
    this.canvas.width = out.width;
    this.canvas.height = out.height;
    this.canvas
      .getContext('2d')
      ?.putImageData(new ImageData(new Uint8ClampedArray(out.rgba), out.width, out.height), 0, 0);
    const t1 = performance.now();
    await new Promise((r) => setTimeout(r, 0)); // let the observer deliver a task that just ended
    const memAfter = await this.api.memory();
    const during = tasksDuring(this.tasks, t0, tArrived);
    const painting = tasksDuring(this.tasks, tPaint, t1);
    const fe = await this.api.benchForwardEquivalents(method, a.config, p.inputShape);
    this.log(
      `${p.modelId} ${method}: ${(t1 - t0).toFixed(0)} ms, ${during.length} long tasks (progress ${progress.toFixed(2)})`,
    );
    return {
      method,
      wallMs: t1 - t0,
      longTasks: during.length,
      longestTaskMs: during.reduce((m, t) => Math.max(m, t.duration), 0),
      paintLongTasks: painting.length,
      memBefore,
      memAfter,
      workerMs: a.timings.totalMs,
      modelCalls: a.timings.forwardPasses,
      config: a.config,
      paintMs: t1 - tPaint,
      fe: fe.fe,
      feFormula: fe.formula,
    };
  }

  /** Batched occlusion (our method) vs the naive one-call-per-window loop; same windows, maps compared. */
  async occlusionVsNaive(p: PreparedModel, config: { windowSize: number; stride: number; batchSize: number }) {
    const fill = 'zero' as const;
    const batched = await this.timed(() =>
      this.service().explain('bench', {
        modelId: p.modelId,
        imageId: p.imageId,
        method: 'occlusion',
        target: p.target,
        config: { ...config, fill },
      }),
    );
    const naive = await this.timed(() =>
      this.api.benchNaiveOcclusion(p.modelId, p.imageId, p.target, {
        windowSize: config.windowSize,
        stride: config.stride,
        fill,
      }),
    );
    const out = {
      batchedMs: batched.wallMs,
      naiveMs: naive.wallMs,
      windows: naive.value.windows,
      naiveCalls: naive.value.calls,
      batchedCalls: batched.value.timings.forwardPasses,
      maxAbsDiff: maxAbsDiff(batched.value.values, naive.value.values),
      tensorsLeaked: naive.memAfter.numTensors - naive.memBefore.numTensors,
    };
    this.log(`${p.modelId} occlusion batched ${out.batchedMs.toFixed(0)} ms vs naive ${out.naiveMs.toFixed(0)} ms`);
    return out;
  }

  /** `reps` Grad-CAM calls with cached sub-graphs vs rebuilding sub-models on every call. */
  async gradCamCachedVsRebuild(p: PreparedModel, reps: number) {
    const cached = await this.api.benchGradCam(p.modelId, p.imageId, p.target, {
      mode: 'cached',
      reps: reps + 1,
      layer: '',
    });
    const memBefore = await this.api.memory();
    const rebuild = await this.api.benchGradCam(p.modelId, p.imageId, p.target, {
      mode: 'rebuild',
      reps: reps + 1,
      layer: '',
    });
    const memAfter = await this.api.memory();
    const out = {
      layer: cached.layer,
      reps,
      // The first call of each warms kernels (and, cached, builds the plan): the median is over the rest.
      cachedMs: median(cached.msPerCall.slice(1)),
      rebuildMs: median(rebuild.msPerCall.slice(1)),
      firstCachedMs: cached.msPerCall[0] ?? Number.NaN,
      firstRebuildMs: rebuild.msPerCall[0] ?? Number.NaN,
      maxAbsDiff: maxAbsDiff(cached.cam, rebuild.cam),
      tensorsLeaked: memAfter.numTensors - memBefore.numTensors,
    };
    this.log(`${p.modelId} Grad-CAM cached ${out.cachedMs.toFixed(1)} ms vs rebuild ${out.rebuildMs.toFixed(1)} ms`);
    return out;
  }

  /**
   * The worker's evaluate over a bundled set vs pure batched inference over the same images, interleaved
   * `rounds` times (the machine is shared: the fastest round of each is kept).
   */
  async evaluationVsInference(modelId: string, datasetId: string, batchSize: number, rounds = 2) {
    // Warm both paths once (kernels for this batch size).
    await this.api.benchPureInference(modelId, datasetId, { batchSize, via: 'adapter' });
    const evs: { wallMs: number; ms: number; prepMs: number; inferMs: number; longTasks: number; leaked: number }[] =
      [];
    const predicts: number[] = [];
    const adapters: number[] = [];
    let diffPredict = 0;
    let diffAdapter = 0;
    let n = 0;
    for (let r = 0; r < rounds; r++) {
      const ev = await this.timed(() =>
        this.api.evaluate(`bench-eval-${Date.now()}-${r}`, modelId, datasetId, { batchSize }),
      );
      evs.push({
        wallMs: ev.wallMs,
        ms: ev.value.ms,
        prepMs: ev.value.prepMs,
        inferMs: ev.value.inferMs,
        longTasks: ev.longTasks,
        leaked: ev.memAfter.numTensors - ev.memBefore.numTensors,
      });
      const predict = await this.api.benchPureInference(modelId, datasetId, { batchSize, via: 'predict' });
      const adapter = await this.api.benchPureInference(modelId, datasetId, { batchSize, via: 'adapter' });
      predicts.push(predict.ms);
      adapters.push(adapter.ms);
      diffPredict = Math.max(diffPredict, maxAbsDiff(ev.value.probs, predict.probs));
      diffAdapter = Math.max(diffAdapter, maxAbsDiff(ev.value.probs, adapter.probs));
      n = ev.value.n;
    }
    const best = evs.reduce((b, e) => (e.wallMs < b.wallMs ? e : b));
    const out = {
      n,
      batchSize,
      rounds,
      evaluateMs: best.wallMs,
      evaluateWorkerMs: best.ms,
      prepMs: best.prepMs,
      inferMs: best.inferMs,
      purePredictMs: Math.min(...predicts),
      pureAdapterMs: Math.min(...adapters),
      maxAbsDiffPredict: diffPredict,
      maxAbsDiffAdapter: diffAdapter,
      longTasks: Math.max(...evs.map((e) => e.longTasks)),
      tensorsLeaked: Math.max(...evs.map((e) => e.leaked)),
    };
    this.log(`${modelId} evaluate ${out.evaluateMs.toFixed(0)} ms vs predict ${out.purePredictMs.toFixed(0)} ms`);
    return out;
  }

  memory(): Promise<MemoryReport> {
    return this.api.memory();
  }

  async dispose(modelId: string): Promise<void> {
    await this.api.benchDispose(modelId);
  }
}
