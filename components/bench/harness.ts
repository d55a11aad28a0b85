/**
 * The page side of `npm run bench` (scripts/bench/run.mjs drives it through `window.__bench`). Each step
 * talks to the benchmark's own worker (lib/bench/worker.ts: the dashboard's worker core plus the bench
 * methods; explanations go through an ExplainService as on the dashboard) and returns plain JSON: numbers
 * and short strings, never maps. No tfjs on this page: forward-equivalents are counted in the worker.
 * Main-thread long tasks (> 50 ms) are collected for the whole page life (long-tasks.ts) and attributed to
 * the step during which they happened. The A-versus-B steps live in comparisons.ts.
 */
import { type Attribution, type MethodId, METHOD_IDS } from '@/lib/explain';
import { type Manifest, type ModelInfo, parseManifest } from '@/lib/models';
import type { BackendReport, MemoryReport } from '@/lib/runtime';
import type { BenchConnection } from '@/lib/bench';
import { argmax } from '@/lib/explain-view';
import { composeView, DEFAULT_LOOK } from '@/lib/render';
import { LongTasks, longTasksSupported, nextTask } from './long-tasks';
import { syntheticRgb } from './fixtures';
import { evaluationVsInference, gradCamCachedVsRebuild, occlusionVsNaive } from './comparisons';
import { methodValues, modelInput, prepareUpload } from './reference';
import type { BenchContext, MethodRun, PreparedModel } from './types';

export class BenchHarness {
  private manifest: Manifest | null = null;
  private started: Promise<BackendReport> | null = null;
  private readonly canvas: HTMLCanvasElement;
  private readonly ctx: BenchContext;

  /**
   * `backend`: the `?backend=` choice (undefined: the worker's own order). `onBackend` hears the outcome
   * (the report, or the error text) for the page's status line. `threads`: `?threads=` (WASM threads;
   * undefined: one per core where the page is cross-origin isolated).
   */
  constructor(
    connection: BenchConnection,
    private readonly backend: string | undefined,
    private readonly log: (line: string) => void,
    private readonly onBackend: (report: BackendReport | null, error: string | null) => void = () => undefined,
    private readonly threads?: number,
  ) {
    this.canvas = document.createElement('canvas');
    this.ctx = { api: connection.api, service: connection.service, tasks: new LongTasks(log), log };
  }

  private get api() {
    return this.ctx.api;
  }

  private manifestUrl(): string {
    return new URL('/models/manifest.json', location.href).href;
  }

  /** Starts the worker's backend (once) and loads the bundled manifest; fails after `timeoutMs`. */
  async init(
    timeoutMs = 60_000,
  ): Promise<{ backend: BackendReport; userAgent: string; longTaskSupported: boolean; methods: readonly MethodId[] }> {
    this.started ??= this.api
      .init({ backend: this.backend, wasmBase: new URL('/tfjs-wasm/', location.href).href, threads: this.threads })
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
      return { backend, userAgent: navigator.userAgent, longTaskSupported: longTasksSupported(), methods: METHOD_IDS };
    } finally {
      clearTimeout(timer);
    }
  }

  private async prepared(info: ModelInfo, imageId: string): Promise<PreparedModel> {
    return {
      modelId: info.id,
      imageId,
      target: argmax((await this.api.predict(info.id, imageId)).probs),
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
    const p = await this.prepared(info, image.id);
    this.log(`prepared ${info.id} (${info.paramCount} params), image ${image.name}, target ${p.target}`);
    return { ...p, datasetId: setEntry.id };
  }

  /** The MobileNet-sized network (random weights) and a synthetic 256×256 photo. */
  async prepareMobileNet(opts: {
    id: string;
    alpha: number;
    inputSize: number;
  }): Promise<PreparedModel & { buildMs: number }> {
    const t0 = performance.now();
    const info = await this.api.benchRegisterMobileNet({ ...opts, seed: 1 });
    const buildMs = performance.now() - t0;
    const size = Math.round(opts.inputSize * 1.15);
    const image = await this.api.addPixels(syntheticRgb(size, 7), size, size, 3, 'synthetic.png');
    const p = await this.prepared(info, image.id);
    this.log(`prepared ${info.id} (${info.paramCount} params) in ${buildMs.toFixed(0)} ms, target ${p.target}`);
    return { ...p, buildMs };
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
    const a: Attribution = await this.ctx.service.explain(
      'bench',
      { modelId: p.modelId, imageId: p.imageId, method, target: p.target, config },
      (f) => {
        progress = f;
      },
    );
    const tArrived = performance.now();
    // Paint in a task of its own (as the dashboard's React effect does), so a long paint is not counted as
    // a long task of the method.
    await nextTask();
    const tPaint = performance.now();
    this.paint(a);
    const t1 = performance.now();
    await nextTask();
    const memAfter = await this.api.memory();
    const running = this.ctx.tasks.during(t0, tArrived);
    const fe = await this.api.benchForwardEquivalents(method, a.config, p.inputShape);
    this.log(
      `${p.modelId} ${method}: ${(t1 - t0).toFixed(0)} ms, ${running.longTasks} long tasks (progress ${progress.toFixed(2)})`,
    );
    return {
      method,
      wallMs: t1 - t0,
      ...running,
      paintLongTasks: this.ctx.tasks.during(tPaint, t1).longTasks,
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

  /** Paints the map alone at 384 px on an off-screen canvas, as the dashboard's overlay does. */
  private paint(a: Attribution): void {
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
  }

  occlusionVsNaive(p: PreparedModel, config: { windowSize: number; stride: number; batchSize: number }) {
    return occlusionVsNaive(this.ctx, p, config);
  }

  gradCamCachedVsRebuild(p: PreparedModel, reps: number) {
    return gradCamCachedVsRebuild(this.ctx, p, reps);
  }

  evaluationVsInference(modelId: string, datasetId: string, batchSize: number, rounds = 2) {
    return evaluationVsInference(this.ctx, modelId, datasetId, batchSize, rounds);
  }

  /** A model file fetched from `url` (the PyTorch-reference bench: corpus ONNX files), with a synthetic photo. */
  prepareUpload(fileName: string, url: string, opts: { labels?: string[]; imageSize: number }) {
    return prepareUpload(this.ctx, fileName, url, opts);
  }

  /** The model input the worker explains (NHWC numbers), for the PyTorch reference. */
  modelInput(p: PreparedModel) {
    return modelInput(this.ctx, p);
  }

  /** One explanation's map and worker time (the reference bench's parity check). */
  methodValues(p: PreparedModel, method: MethodId, config: Record<string, unknown>) {
    return methodValues(this.ctx, p, method, config);
  }

  memory(): Promise<MemoryReport> {
    return this.api.memory();
  }

  async dispose(modelId: string): Promise<void> {
    await this.api.benchDispose(modelId);
  }
}
