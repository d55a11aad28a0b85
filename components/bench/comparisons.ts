/**
 * The bench's A-versus-B steps: each runs our way and a baseline on the same input in the benchmark worker
 * and returns both timings and how far their outputs differ (plain numbers for scripts/bench/run.mjs).
 */
import { median } from '@/lib/bench';
import { maxAbsDiff } from './fixtures';
import type { BenchContext, PreparedModel } from './types';

const timed = <T>(ctx: BenchContext, fn: () => Promise<T>) => ctx.tasks.timed(() => ctx.api.memory(), fn);

/** Batched occlusion (our method) vs the naive one-call-per-window loop; same windows, maps compared. */
export async function occlusionVsNaive(
  ctx: BenchContext,
  p: PreparedModel,
  config: { windowSize: number; stride: number; batchSize: number },
) {
  const fill = 'zero' as const;
  const batched = await timed(ctx, () =>
    ctx.service.explain('bench', {
      modelId: p.modelId,
      imageId: p.imageId,
      method: 'occlusion',
      target: p.target,
      config: { ...config, fill },
    }),
  );
  const naive = await timed(ctx, () =>
    ctx.api.benchNaiveOcclusion(p.modelId, p.imageId, p.target, {
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
  ctx.log(`${p.modelId} occlusion batched ${out.batchedMs.toFixed(0)} ms vs naive ${out.naiveMs.toFixed(0)} ms`);
  return out;
}

/** `reps` Grad-CAM calls with cached sub-graphs vs rebuilding sub-models on every call. */
export async function gradCamCachedVsRebuild(ctx: BenchContext, p: PreparedModel, reps: number) {
  const run = (mode: 'cached' | 'rebuild') =>
    ctx.api.benchGradCam(p.modelId, p.imageId, p.target, { mode, reps: reps + 1, layer: '' });
  const cached = await run('cached');
  const memBefore = await ctx.api.memory();
  const rebuild = await run('rebuild');
  const memAfter = await ctx.api.memory();
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
  ctx.log(`${p.modelId} Grad-CAM cached ${out.cachedMs.toFixed(1)} ms vs rebuild ${out.rebuildMs.toFixed(1)} ms`);
  return out;
}

/**
 * The worker's evaluate over a bundled set vs pure batched inference over the same images, interleaved
 * `rounds` times (the machine is shared: the fastest round of each is kept).
 */
export async function evaluationVsInference(
  ctx: BenchContext,
  modelId: string,
  datasetId: string,
  batchSize: number,
  rounds = 2,
) {
  const pure = (via: 'predict' | 'adapter') => ctx.api.benchPureInference(modelId, datasetId, { batchSize, via });
  // Warm both paths once (kernels for this batch size).
  await pure('adapter');
  const evs: { wallMs: number; ms: number; prepMs: number; inferMs: number; longTasks: number; leaked: number }[] = [];
  const predicts: number[] = [];
  const adapters: number[] = [];
  let diffPredict = 0;
  let diffAdapter = 0;
  let n = 0;
  for (let r = 0; r < rounds; r++) {
    const ev = await timed(ctx, () =>
      ctx.api.evaluate(`bench-eval-${Date.now()}-${r}`, modelId, datasetId, { batchSize }),
    );
    evs.push({
      wallMs: ev.wallMs,
      ms: ev.value.ms,
      prepMs: ev.value.prepMs,
      inferMs: ev.value.inferMs,
      longTasks: ev.longTasks,
      leaked: ev.memAfter.numTensors - ev.memBefore.numTensors,
    });
    const predict = await pure('predict');
    const adapter = await pure('adapter');
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
  ctx.log(`${modelId} evaluate ${out.evaluateMs.toFixed(0)} ms vs predict ${out.purePredictMs.toFixed(0)} ms`);
  return out;
}
