/**
 * The worker's Trust jobs (issue 15): faithfulness of a map (deletion / insertion, Petsiuk et al. 2018) for
 * one image, and averaged per method over images of an evaluation set. They build on the WorkerCore's
 * registries (models, datasets, cached model inputs) and its map of running requests, so
 * `WorkerApi.cancel(requestId)` cancels them like an explanation. Worker-only: imports tfjs.
 */
import * as tf from '@tensorflow/tfjs';
import { getMethod } from '@/lib/explain/registry';
import type { ImageInput, ModelAdapter } from '@/lib/explain/types';
import { take } from '@/lib/explain/common';
import { preprocessRGBA } from '@/lib/images';
import { faithfulness } from '@/lib/trust/curves';
import { cascadingRandomisation, variableSteps } from '@/lib/trust/sanity';
import { weightsTopDown } from '@/lib/models/onnx';
import { createGraphAdapter, createLayersAdapter } from '@/lib/models/adapter';
import { fromTfjs } from '@/lib/models/formats';
import { isGraphModel } from '@/lib/models/validate';
import { beatsRandom, sampleIndices, type FaithfulnessResult } from '@/lib/trust/faithfulness';
import type { FaithfulnessSetResult, MethodFaithfulness, TrustApi } from '@/lib/trust/types';
import { capBatchSize } from './batch-cap';
import type { WorkerDatasets } from './worker-datasets';
import type { WorkerModels } from './worker-models';
import type { WorkerCore } from './worker-core';
import { createRobustnessJobs } from './trust-robustness';
import { createActivationJobs } from './trust-activations';

/** What the Trust jobs need from the WorkerCore. */
export interface TrustDeps {
  models: WorkerModels;
  datasets: WorkerDatasets;
  modelInputFor: WorkerCore['modelInputFor'];
  /** The core's running requests (request id → controller): what `cancel` aborts. */
  running: Map<string, AbortController>;
}

/** Runs `work` under a fresh controller registered as `requestId` (cancellable), removed when it settles. */
async function tracked<T>(
  running: Map<string, AbortController>,
  requestId: string,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  running.set(requestId, controller);
  try {
    return await work(controller.signal);
  } finally {
    running.delete(requestId);
  }
}

/** Index of the largest value (the predicted class). */
async function predictedClass(adapter: ModelAdapter, input: ImageInput): Promise<number> {
  const p = await take(
    tf.tidy(() => adapter.probabilities(tf.tensor4d(input.data, [1, input.height, input.width, input.channels]))),
  );
  let best = 0;
  for (let k = 1; k < p.length; k++) if ((p[k] as number) > (p[best] as number)) best = k;
  return best;
}

export function createTrustJobs(deps: TrustDeps): TrustApi {
  const { models, datasets, modelInputFor, running } = deps;
  return {
    ...createRobustnessJobs(deps, (id, work) => tracked(running, id, work)),
    ...createActivationJobs(deps, (id, work) => tracked(running, id, work)),
    async faithfulness(requestId, req, onProgress) {
      const { input, adapter } = modelInputFor(req.modelId, req.imageId, req.resize);
      return tracked(running, requestId, (signal) =>
        faithfulness(adapter, input, req.target, req.values, {
          steps: req.steps,
          randomRepeats: req.randomRepeats,
          signal,
          onProgress: onProgress ? (f) => void onProgress(f) : undefined,
        }),
      );
    },

    async sanityCheck(requestId, req, onProgress) {
      const { input, info } = modelInputFor(req.modelId, req.imageId, req.resize);
      const method = getMethod(req.method);
      if (!method.isCompatible(info)) throw new Error(`${method.label} cannot explain this model.`);
      const config = capBatchSize(req.config, method.defaultConfig, input);
      return tracked(running, requestId, async (signal) => {
        const fresh = await models.freshCopy(req.modelId);
        const copy = 'kind' in fresh ? fresh : fromTfjs(fresh);
        // The adapter owns the copy: disposed below.
        let adapter: ModelAdapter;
        let target: Parameters<typeof cascadingRandomisation>[0];
        if (copy.kind === 'onnx') {
          adapter = copy.adapter;
          target = variableSteps(weightsTopDown(copy.adapter.plan));
        } else {
          const model = copy.model;
          adapter = isGraphModel(model) ? createGraphAdapter(model, info) : createLayersAdapter(model, info);
          target = model;
        }
        try {
          const mapOf = async () => (await method.run(adapter, input, req.target, config, { signal })).values;
          return await cascadingRandomisation(target, mapOf, input, {
            seed: req.seed,
            maxSteps: req.maxSteps,
            signal,
            onProgress: onProgress ? (f) => void onProgress(f) : undefined,
          });
        } finally {
          adapter.dispose();
        }
      });
    },

    async faithfulnessSet(requestId, req, onProgress) {
      const { adapter, info } = models.get(req.modelId);
      const set = datasets.get(req.datasetId);
      const n = Math.min(set.meta.count, Math.floor(req.n));
      if (!(n >= 1)) throw new Error(`Pick at least one image (the set has ${set.meta.count}).`);
      const picked = sampleIndices(set.meta.count, n);
      if (req.methods.length === 0) throw new Error('Pick at least one method.');
      const methods = req.methods.map((m) => ({ ...m, impl: getMethod(m.method) }));
      const refused = methods.find((m) => !m.impl.isCompatible(info));
      if (refused) throw new Error(`${refused.impl.label} cannot explain this model.`);
      const resize = req.resize ?? info.preprocessing.resize;
      const t0 = performance.now();
      return tracked(running, requestId, async (signal) => {
        const sums = methods.map(() => ({
          del: 0,
          ins: 0,
          bDel: 0,
          bIns: 0,
          n: 0,
          error: undefined as string | undefined,
        }));
        let floorDel = 0;
        let floorIns = 0;
        const units = n * (methods.length + 1);
        let done = 0;
        const sub = (f: number) => onProgress?.(Math.min(1, (done + f) / units));
        const curveOpts = { steps: req.steps, randomRepeats: req.randomRepeats, signal };
        for (let i = 0; i < n; i++) {
          const index = picked[i] as number;
          const input = preprocessRGBA(datasets.image(req.datasetId, index), info.preprocessing, resize);
          const target = await predictedClass(adapter, input);
          // The floor once per image (it does not depend on the map): a flat map's curves are not used.
          const base = await faithfulness(adapter, input, target, new Float32Array(input.width * input.height), {
            ...curveOpts,
            onProgress: sub,
          });
          const floor: Pick<FaithfulnessResult, 'randomDeletion' | 'randomInsertion' | 'randomRepeats'> = base;
          floorDel += base.randomDeletion.auc;
          floorIns += base.randomInsertion.auc;
          done += 1;
          for (const [j, m] of methods.entries()) {
            const s = sums[j] as (typeof sums)[number];
            try {
              const config = capBatchSize(m.config, m.impl.defaultConfig, input);
              const a = await m.impl.run(adapter, input, target, config, { signal });
              const r = await faithfulness(adapter, input, target, a.values, { ...curveOpts, floor, onProgress: sub });
              const beats = beatsRandom(r);
              s.del += r.deletion.auc;
              s.ins += r.insertion.auc;
              s.bDel += beats.deletion ? 1 : 0;
              s.bIns += beats.insertion ? 1 : 0;
              s.n += 1;
            } catch (e) {
              if (e instanceof Error && e.name === 'AbortError') throw e;
              s.error ??= e instanceof Error ? e.message : String(e);
            }
            done += 1;
            onProgress?.(done / units);
          }
        }
        const rows: MethodFaithfulness[] = methods.map((m, j) => {
          const s = sums[j] as (typeof sums)[number];
          const mean = (v: number) => (s.n > 0 ? v / s.n : NaN);
          return {
            method: m.method,
            deletion: mean(s.del),
            insertion: mean(s.ins),
            beatsDeletion: mean(s.bDel),
            beatsInsertion: mean(s.bIns),
            n: s.n,
            ...(s.error ? { error: s.error } : {}),
          };
        });
        const out: FaithfulnessSetResult = {
          datasetId: req.datasetId,
          n,
          steps: req.steps ?? 20,
          methods: rows,
          randomDeletion: floorDel / n,
          randomInsertion: floorIns / n,
          ms: performance.now() - t0,
        };
        return out;
      });
    },
  };
}
