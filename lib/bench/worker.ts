/// <reference lib="webworker" />
/**
 * The benchmark's own worker (the /bench page, driven by `npm run bench`): the dashboard's worker core —
 * the same model loading, images, datasets and explanation path — plus the benchmark methods of
 * BenchApi. Keeping them here keeps the production worker (lib/runtime/worker.ts) free of benchmark code.
 */
import * as Comlink from 'comlink';
import { createWorkerCore } from '@/lib/runtime/worker-core';
import { forwardEquivalents } from './accounting';
import type { BenchWorkerApi } from './protocol';
import { WorkerBench } from './worker-bench';

const core = createWorkerCore();
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
    return { pixels: held.pixels, count: held.meta.count, height: held.meta.height, width: held.meta.width, channels: held.meta.channels };
  },
});

const api: BenchWorkerApi = {
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

Comlink.expose(api);
