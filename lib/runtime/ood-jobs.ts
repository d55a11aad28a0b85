/**
 * Worker job of the "is this image like the model's data?" check (lib/ood). The reference statistics of a
 * (model, evaluation set, resize policy) are computed once — every image of the set through the same
 * preprocessing as a strip image, the model run in batches (one tidy per batch) — and cached with the
 * model's adapter (a reload or backend switch makes a new adapter, so a new reference). Checking one image
 * costs its statistics and one forward pass. Worker-only: imports tfjs.
 */
import * as tf from '@tensorflow/tfjs';
import type { ModelAdapter } from '@/lib/explain/types';
import type { ModelInfo, ResizePolicy } from '@/lib/models/types';
import { preprocessRGBA } from '@/lib/images';
import {
  buildReference,
  conversionNotes,
  imageSample,
  inputRangeNotes,
  oodReport,
  scoreSample,
  type ImageSample,
  type OodReference,
  type OodReport,
} from '@/lib/ood';
import type { ImageInput } from '@/lib/models/adapter-types';
import type { WorkerDatasets } from './worker-datasets';
import type { WorkerImages } from './worker-images';
import { forEachTimedBatch } from './timed-batches';
import { maxBatchFor } from './batch-cap';

export interface OodDeps {
  datasets: WorkerDatasets;
  images: WorkerImages;
  modelInputFor(
    modelId: string,
    imageId: string,
    resize?: ResizePolicy,
  ): { input: ImageInput; adapter: ModelAdapter; info: ModelInfo };
  model(modelId: string): { adapter: ModelAdapter; info: ModelInfo };
}

export interface OodCheckOptions {
  /** The labelled set to compare with (loaded in the worker); none: only the checks that need no set. */
  datasetId?: string;
  resize?: ResizePolicy;
}

export interface OodJobs {
  /** Every image of a held set as a sample (model input statistics, colourfulness, the model's confidence). */
  samples(modelId: string, datasetId: string, resize?: ResizePolicy): Promise<ImageSample[]>;
  /** The reference of a model on a set (computed once per adapter, set and policy). */
  reference(modelId: string, datasetId: string, resize?: ResizePolicy): Promise<OodReference>;
  /** The verdict for one image held by the worker. */
  check(modelId: string, imageId: string, opts?: OodCheckOptions): Promise<OodReport>;
}

/** Probabilities and class scores of a batch [m, h, w, c] as plain arrays. */
async function outputs(adapter: ModelAdapter, batch: Float32Array, shape: [number, number, number, number]) {
  const [scoresT, probsT] = tf.tidy(() => {
    const x = tf.tensor4d(batch, shape);
    return [adapter.scores(x), adapter.probabilities(x)] as const;
  });
  try {
    const [scores, probs] = await Promise.all([scoresT.data(), probsT.data()]);
    return { scores: scores as Float32Array, probs: probs as Float32Array };
  } finally {
    scoresT.dispose();
    probsT.dispose();
  }
}

export function createOodJobs(deps: OodDeps): OodJobs {
  const cache = new WeakMap<ModelAdapter, Map<string, Promise<OodReference>>>();

  async function samplesOf(adapter: ModelAdapter, info: ModelInfo, datasetId: string, policy: ResizePolicy) {
    const held = deps.datasets.get(datasetId);
    const n = held.meta.count;
    const pre = info.preprocessing;
    const { height: h, width: w, channels: c } = pre;
    const k = info.numClasses;
    const samples: ImageSample[] = [];
    // Up to 128 images per forward pass, sized to ~100 ms, the worker's messages let in between.
    await forEachTimedBatch(n, { maxBatch: Math.min(128, maxBatchFor(h, w, c)) }, async (start, m) => {
      const batch = new Float32Array(m * h * w * c);
      const inputs: ImageInput[] = [];
      const colours: ArrayLike<number>[] = [];
      for (let j = 0; j < m; j++) {
        const img = deps.datasets.image(datasetId, start + j);
        const input = preprocessRGBA(img, pre, policy);
        batch.set(input.data, j * h * w * c);
        inputs.push(input);
        colours.push(img.data);
      }
      const out = await outputs(adapter, batch, [m, h, w, c]);
      for (let j = 0; j < m; j++) {
        samples.push(
          imageSample(inputs[j] as ImageInput, colours[j] as ArrayLike<number>, {
            probs: out.probs.subarray(j * k, (j + 1) * k),
            scores: out.scores.subarray(j * k, (j + 1) * k),
            kind: info.outputKind,
          }),
        );
      }
    });
    return samples;
  }

  function samples(modelId: string, datasetId: string, resize?: ResizePolicy): Promise<ImageSample[]> {
    const { adapter, info } = deps.model(modelId);
    return samplesOf(adapter, info, datasetId, resize ?? info.preprocessing.resize);
  }

  function reference(modelId: string, datasetId: string, resize?: ResizePolicy): Promise<OodReference> {
    const { adapter, info } = deps.model(modelId);
    const policy = resize ?? info.preprocessing.resize;
    let byKey = cache.get(adapter);
    if (!byKey) cache.set(adapter, (byKey = new Map()));
    const key = `${datasetId}|${policy}`;
    let ref = byKey.get(key);
    if (!ref) {
      ref = samplesOf(adapter, info, datasetId, policy).then((s) => buildReference(s));
      byKey.set(key, ref);
      // A failed computation is not cached: the next check tries again.
      ref.catch(() => byKey.delete(key));
    }
    return ref;
  }

  async function check(modelId: string, imageId: string, opts: OodCheckOptions = {}): Promise<OodReport> {
    const { input, adapter, info } = deps.modelInputFor(modelId, imageId, opts.resize);
    const src = deps.images.source(imageId);
    const policy = opts.resize ?? info.preprocessing.resize;
    const out = await outputs(adapter, input.data, [1, input.height, input.width, input.channels]);
    const sample = imageSample(input, src.data, { ...out, kind: info.outputKind });
    const notes = conversionNotes(
      { width: src.width, height: src.height, colour: sample.colour },
      { width: input.width, height: input.height, channels: info.preprocessing.channels, policy },
    );
    if (!opts.datasetId) return oodReport(null, null, [...notes, ...inputRangeNotes(sample.input)]);
    const ref = await reference(modelId, opts.datasetId, opts.resize);
    const meta = deps.datasets.get(opts.datasetId).meta;
    return oodReport(scoreSample(ref, sample), { id: meta.id, name: meta.name, n: ref.n }, notes);
  }

  return { samples, reference, check };
}
