/**
 * The worker's feature-map jobs (issue 15 items 4–5): the activations of one image at a spatial layer, the
 * images of an evaluation set that activate one channel most, fooling images optimised for a class, and
 * feature visualisation (an image optimised for one channel of a layer). Part of `createTrustJobs` (trust-jobs.ts).
 * Worker-only: imports tfjs (via lib/trust).
 */
import { preprocessRGBA } from '@/lib/images';
import { nextTick } from '@/lib/explain/common';
import { ExplainError } from '@/lib/models/adapter-types';
import { activationsOf, layerActivations } from '@/lib/trust/activations';
import { channelMeans } from '@/lib/trust/feature-maps';
import { foolingImage, type FoolingOptions } from '@/lib/trust/fooling';
import { channelVisualisation } from '@/lib/trust/feature-vis';
import type { TrustApi } from '@/lib/trust/types';
import { sampleIndices } from '@/lib/trust/faithfulness';
import type { TrustDeps } from './trust-jobs';

/** Images per model call when scanning a set. */
const SCAN_BATCH = 32;

export function createActivationJobs(
  deps: TrustDeps,
  tracked: <T>(id: string, work: (signal: AbortSignal) => Promise<T>) => Promise<T>,
): Pick<TrustApi, 'activations' | 'topActivating' | 'fooling' | 'featureVis'> {
  const { models, datasets, modelInputFor } = deps;
  /** The optimiser's options of a fooling / feature-visualisation request. */
  const ascent = (
    req: { start: 'grey' | 'noise'; steps: number; regularise: boolean; seed?: number },
    signal: AbortSignal,
    onProgress: ((f: number) => void) | undefined,
  ): FoolingOptions => ({
    start: req.start,
    steps: req.steps,
    regularise: req.regularise,
    seed: req.seed,
    signal,
    onProgress: onProgress ? (f) => void onProgress(f) : undefined,
  });
  return {
    async activations(requestId, req) {
      const { input, adapter } = modelInputFor(req.modelId, req.imageId, req.resize);
      return tracked(requestId, () => layerActivations(adapter, input, req.layer));
    },

    async fooling(requestId, req, onProgress) {
      const { adapter, info } = models.get(req.modelId);
      const { height, width, channels } = info.preprocessing;
      return tracked(requestId, async (signal) => {
        const r = await foolingImage(adapter, { height, width, channels }, req.target, ascent(req, signal, onProgress));
        return { height, width, channels, ...r };
      });
    },

    async featureVis(requestId, req, onProgress) {
      const { adapter, info } = models.get(req.modelId);
      const { height, width, channels } = info.preprocessing;
      return tracked(requestId, async (signal) => {
        const shape = { height, width, channels };
        const r = await channelVisualisation(adapter, shape, req.layer, req.channel, ascent(req, signal, onProgress));
        return { ...shape, ...r };
      });
    },

    async topActivating(requestId, req, onProgress) {
      const { adapter, info } = models.get(req.modelId);
      const set = datasets.get(req.datasetId);
      const n = Math.min(set.meta.count, Math.floor(req.n));
      if (!(n >= 1)) throw new Error(`Pick at least one image (the set has ${set.meta.count}).`);
      const picked = sampleIndices(set.meta.count, n);
      const resize = req.resize ?? info.preprocessing.resize;
      const { height: h, width: w, channels: c } = info.preprocessing;
      return tracked(requestId, async (signal) => {
        const scores: { index: number; mean: number }[] = [];
        for (let start = 0; start < n; start += SCAN_BATCH) {
          if (signal.aborted) throw new DOMException('Cancelled', 'AbortError');
          const m = Math.min(SCAN_BATCH, n - start);
          const batch = new Float32Array(m * h * w * c);
          const indices = picked.slice(start, start + m);
          indices.forEach((index, j) =>
            batch.set(
              preprocessRGBA(datasets.image(req.datasetId, index), info.preprocessing, resize).data,
              j * h * w * c,
            ),
          );
          const { values, shape } = await activationsOf(
            adapter,
            batch,
            m,
            { height: h, width: w, channels: c },
            req.layer,
          );
          const k = shape[3];
          if (!Number.isInteger(req.channel) || req.channel < 0 || req.channel >= k)
            throw new ExplainError(`channel ${req.channel} is out of range: layer "${req.layer}" has ${k} channels`);
          const per = values.length / m;
          indices.forEach((index, j) =>
            scores.push({
              index,
              mean: channelMeans(values.subarray(j * per, (j + 1) * per), k)[req.channel] as number,
            }),
          );
          onProgress?.(Math.min(1, (start + m) / n));
          await nextTick();
        }
        scores.sort((a, b) => b.mean - a.mean || a.index - b.index);
        const best = scores.slice(0, Math.max(1, req.top));
        return { indices: best.map((s) => s.index), means: best.map((s) => s.mean), scanned: n };
      });
    },
  };
}
