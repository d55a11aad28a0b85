/**
 * The benchmark worker's API over a worker core: the dashboard's WorkerApi unchanged (same registries,
 * same model loading, explanations and evaluation) plus BenchApi. `worker.ts` exposes it; tests build it
 * over a core in Node.
 */
import { forwardEquivalents } from './accounting';
import type { WorkerCore } from '@/lib/runtime/worker-core';
import type { BenchWorkerApi } from './protocol';
import { WorkerBench } from './worker-bench';

/** Adds the benchmark methods to `core.api`; the models they register live in `core.models`. */
export function createBenchWorkerApi(core: WorkerCore): BenchWorkerApi {
  const bench = new WorkerBench({
    model: (id) => core.models.get(id),
    adoptLayersModel: (model, info) => {
      core.forget(info.id, null);
      return core.models.adoptLayersModel(model, info);
    },
    unload: (id) => {
      core.forget(id, null);
      core.models.unload(id);
    },
    input: (modelId, imageId) => core.modelInputFor(modelId, imageId).input,
    datasetPixels: (id) => {
      const held = core.datasets.get(id);
      if (!held.pixels) throw new Error('only bundled evaluation sets can be benchmarked');
      return {
        pixels: held.pixels,
        count: held.meta.count,
        height: held.meta.height,
        width: held.meta.width,
        channels: held.meta.channels,
      };
    },
  });

  return {
    ...core.api,
    benchRegisterMobileNet: (opts) => bench.registerMobileNet(opts),
    benchLoadRawBundled: (entry, manifestUrl) => bench.loadRawBundled(entry, manifestUrl),
    benchForward: (modelId, opts) => bench.forward(modelId, opts),
    benchNaiveOcclusion: (modelId, imageId, target, config) => bench.naiveOcclusion(modelId, imageId, target, config),
    benchGradCam: (modelId, imageId, target, opts) => bench.gradCam(modelId, imageId, target, opts),
    benchPureInference: (modelId, datasetId, opts) => bench.pureInference(modelId, datasetId, opts),
    async benchForwardEquivalents(method, config, inputShape) {
      return forwardEquivalents({ method, config, inputShape });
    },
    async benchDispose(modelId) {
      bench.dispose(modelId);
    },
  };
}
