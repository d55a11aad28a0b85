/**
 * The worker's robustness jobs (issue 15 item 3): FGSM / PGD on one image with the smallest flipping ε (by
 * FGSM and by a PGD search), and accuracy against FGSM and Gaussian noise over images of an evaluation set
 * (optionally each image's PGD flip ε too). Part of `createTrustJobs` (trust-jobs.ts), cancelled through
 * the same running map. Worker-only: imports tfjs (via lib/trust).
 */
import { preprocessRGBA } from '@/lib/images';
import {
  attack,
  argmaxAt,
  fgsmFlipEpsilon,
  gradientSign,
  pgdFlipEpsilon,
  probabilitiesOf,
  project,
  withNoise,
} from '@/lib/trust/adversarial';
import { summariseRobustness, type RobustnessRow } from '@/lib/trust/robustness';
import type { TrustApi } from '@/lib/trust/types';
import { sampleIndices } from '@/lib/trust/faithfulness';
import { ExplainError } from '@/lib/models/adapter-types';
import type { ImageInput, ModelAdapter } from '@/lib/explain/types';
import { nextTick } from '@/lib/explain/common';
import type { TrustDeps } from './trust-jobs';

/** Predictions of one image under FGSM at each ε (against its label), noise at each σ, and its flip ε. */
async function rowFor(
  adapter: ModelAdapter,
  input: ImageInput,
  label: number,
  epsilons: readonly number[],
  sigmas: readonly number[],
  seed: number,
  pgd: { signal: AbortSignal } | null,
): Promise<RobustnessRow> {
  const size = input.data.length;
  const g = await gradientSign(adapter, input.data, input, label);
  const m = 1 + epsilons.length + sigmas.length;
  const batch = new Float32Array(m * size);
  batch.set(input.data);
  const x = new Float32Array(size);
  epsilons.forEach((eps, j) => {
    for (let i = 0; i < size; i++) x[i] = (input.data[i] as number) - eps * (g[i] as number);
    project(x, input.data, eps);
    batch.set(x, (1 + j) * size);
  });
  sigmas.forEach((s, j) => batch.set(withNoise(input.data, s, seed + j), (1 + epsilons.length + j) * size));
  const p = await probabilitiesOf(adapter, batch, m, input);
  const k = adapter.info.numClasses;
  const pred = (j: number) => argmaxAt(p, j * k, k);
  const clean = pred(0);
  return {
    label,
    clean,
    fgsm: epsilons.map((_, j) => pred(1 + j)),
    noise: sigmas.map((_, j) => pred(1 + epsilons.length + j)),
    flip: await fgsmFlipEpsilon(adapter, input, clean),
    ...(pgd ? { flipPgd: await pgdFlipEpsilon(adapter, input, clean, pgd) } : {}),
  };
}

export function createRobustnessJobs(
  deps: TrustDeps,
  tracked: <T>(id: string, work: (signal: AbortSignal) => Promise<T>) => Promise<T>,
): Pick<TrustApi, 'attack' | 'robustnessSet'> {
  const { models, datasets, modelInputFor } = deps;
  return {
    async attack(requestId, req) {
      const { input, adapter } = modelInputFor(req.modelId, req.imageId, req.resize);
      if (!Number.isInteger(req.levels) || req.levels < 0 || req.levels > 64)
        throw new ExplainError(`ε must be 0 to 64 grey levels (k/255), got ${req.levels}`);
      return tracked(requestId, async (signal) => {
        const r = await attack(adapter, input, req.source, {
          epsilon: req.levels / 255,
          steps: req.steps,
          target: req.target,
          signal,
        });
        return {
          width: input.width,
          height: input.height,
          channels: input.channels,
          perturbed: r.perturbed,
          delta: r.delta,
          probsBefore: r.probsBefore,
          probsAfter: r.probsAfter,
          flipEpsilon: await fgsmFlipEpsilon(adapter, input, req.source),
          flipEpsilonPgd: await pgdFlipEpsilon(adapter, input, req.source, {
            steps: req.steps > 1 ? req.steps : 10,
            signal,
          }),
        };
      });
    },

    async robustnessSet(requestId, req, onProgress) {
      const { adapter, info } = models.get(req.modelId);
      const set = datasets.get(req.datasetId);
      const n = Math.min(set.meta.count, Math.floor(req.n));
      if (!(n >= 1)) throw new Error(`Pick at least one image (the set has ${set.meta.count}).`);
      const picked = sampleIndices(set.meta.count, n);
      if (req.epsilons.some((e) => !(e >= 0 && e <= 1)) || req.sigmas.some((s) => !(s >= 0 && s <= 1)))
        throw new ExplainError('ε and σ must be in [0, 1] (pixel units)');
      const resize = req.resize ?? info.preprocessing.resize;
      const t0 = performance.now();
      return tracked(requestId, async (signal) => {
        const rows: RobustnessRow[] = [];
        for (let i = 0; i < n; i++) {
          if (signal.aborted) throw new DOMException('Cancelled', 'AbortError');
          const index = picked[i] as number;
          const input = preprocessRGBA(datasets.image(req.datasetId, index), info.preprocessing, resize);
          const label = set.labels[index] as number;
          rows.push(
            await rowFor(
              adapter,
              input,
              label,
              req.epsilons,
              req.sigmas,
              1000 + i * 17,
              req.pgdFlip ? { signal } : null,
            ),
          );
          onProgress?.((i + 1) / n);
          await nextTick();
        }
        return {
          ...summariseRobustness(rows, info.numClasses, req.epsilons, req.sigmas),
          datasetId: req.datasetId,
          ms: performance.now() - t0,
        };
      });
    },
  };
}
