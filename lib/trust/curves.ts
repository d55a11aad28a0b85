/**
 * Deletion / insertion curves of a map on a model (Petsiuk et al. 2018, see faithfulness.ts): batched
 * forward passes through the `ModelAdapter` (one `tf.tidy` per batch, probabilities copied out), the
 * target's probability per step, against a random order as the floor. Worker side: imports tfjs.
 */
import * as tf from '@tensorflow/tfjs';
import type { ImageInput, ModelAdapter } from '@/lib/models/adapter-types';
import { ExplainError } from '@/lib/models/adapter-types';
import { abortError, nextTick, now, take } from '@/lib/explain/common';
import {
  blurImage,
  curveAuc,
  defaultBlurRadius,
  meanCurve,
  perturbInto,
  pixelOrder,
  randomOrder,
  stepCounts,
  type FaithfulnessResult,
  type PerturbationMode,
} from './faithfulness';

export interface FaithfulnessOptions {
  /** Points on each curve minus one (default 20: 5 % of the pixels per step), integer in [2, 200]. */
  steps?: number;
  /** Images per model call (default 32). */
  batchSize?: number;
  /** Random orders averaged for the floor (default 2), integer in [1, 16]. */
  randomRepeats?: number;
  /** Seed of the random orders (default 1). */
  seed?: number;
  /** What a deleted pixel becomes: 'black' (0, the paper's choice) or 'blur' (the insertion start). */
  deletionBaseline?: 'black' | 'blur';
  /** Blur radius of the insertion start in pixels (default ~5 % of the shorter side). */
  blurRadius?: number;
  /** A floor computed before for the same image, target and options (set level: one floor per image). */
  floor?: Pick<FaithfulnessResult, 'randomDeletion' | 'randomInsertion' | 'randomRepeats'>;
  signal?: AbortSignal;
  /** Fraction in [0, 1] after each batch. */
  onProgress?: (fraction: number) => void;
}

/** Counts the model calls of a run (shared by the curves of one result). */
interface Counter {
  calls: number;
}

function checkOptions(steps: number, repeats: number, batchSize: number): void {
  if (!Number.isInteger(steps) || steps < 2 || steps > 200)
    throw new ExplainError(`steps must be an integer from 2 to 200, got ${steps}`);
  if (!Number.isInteger(repeats) || repeats < 1 || repeats > 16)
    throw new ExplainError(`randomRepeats must be an integer from 1 to 16, got ${repeats}`);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new ExplainError(`batchSize must be a positive integer`);
}

/**
 * The target's probability (`adapter.probabilities`, column `target`) after each step of one game
 * (length steps + 1). `onBatch` is called after each model call; the signal is checked before each.
 */
export async function perturbationCurve(
  adapter: ModelAdapter,
  input: ImageInput,
  baseline: Float32Array,
  target: number,
  order: Uint32Array,
  mode: PerturbationMode,
  opts: { steps: number; batchSize: number; signal?: AbortSignal; onBatch?: () => void; counter?: Counter },
): Promise<Float32Array> {
  const { width: w, height: h, channels: c } = input;
  const size = h * w * c;
  const counts = stepCounts(h * w, opts.steps);
  const probs = new Float32Array(counts.length);
  for (let start = 0; start < counts.length; start += opts.batchSize) {
    if (opts.signal?.aborted) throw abortError();
    const m = Math.min(opts.batchSize, counts.length - start);
    const batch = new Float32Array(m * size);
    const one = new Float32Array(size);
    for (let j = 0; j < m; j++) {
      perturbInto(one, input.data, baseline, c, order, counts[start + j] as number, mode);
      batch.set(one, j * size);
    }
    const col = tf.tidy(() => tf.slice(adapter.probabilities(tf.tensor4d(batch, [m, h, w, c])), [0, target], [-1, 1]));
    probs.set(await take(col), start);
    if (opts.counter) opts.counter.calls += 1;
    opts.onBatch?.();
    await nextTick();
  }
  return probs;
}

/**
 * Deletion and insertion curves of `map` (H×W, the model's input size) for class `target`, with the mean of
 * `randomRepeats` random orders as the floor (or `opts.floor`). Cost: (2 + 2·randomRepeats)·(steps + 1) images
 * (2·(steps + 1) with a floor given).
 */
export async function faithfulness(
  adapter: ModelAdapter,
  input: ImageInput,
  target: number,
  map: Float32Array,
  opts: FaithfulnessOptions = {},
): Promise<FaithfulnessResult> {
  const t0 = now();
  const steps = opts.steps ?? 20;
  const repeats = opts.randomRepeats ?? 2;
  const batchSize = opts.batchSize ?? 32;
  checkOptions(steps, repeats, batchSize);
  const k = adapter.info.numClasses;
  if (!Number.isInteger(target) || target < 0 || target >= k)
    throw new ExplainError(`target class ${target} is out of range: this model has ${k} classes (0…${k - 1})`);
  if (map.length !== input.width * input.height)
    throw new ExplainError(
      `the map has ${map.length} values but the image is ${input.height}×${input.width}: compute the map for this model first`,
    );
  if (opts.signal?.aborted) throw abortError();
  const blurred = blurImage(input, opts.blurRadius ?? defaultBlurRadius(input)).data;
  const black = new Float32Array(input.data.length);
  const delBase = opts.deletionBaseline === 'blur' ? blurred : black;
  const batchesPerCurve = Math.ceil((steps + 1) / batchSize);
  const floor = opts.floor;
  const total = batchesPerCurve * (2 + (floor ? 0 : 2 * repeats));
  let done = 0;
  const counter: Counter = { calls: 0 };
  const run = { steps, batchSize, signal: opts.signal, counter, onBatch: () => opts.onProgress?.(++done / total) };
  const order = pixelOrder(map);
  const del = await perturbationCurve(adapter, input, delBase, target, order, 'deletion', run);
  const ins = await perturbationCurve(adapter, input, blurred, target, order, 'insertion', run);
  const rDel: Float32Array[] = [];
  const rIns: Float32Array[] = [];
  for (let r = 0; r < (floor ? 0 : repeats); r++) {
    const ro = randomOrder(order.length, (opts.seed ?? 1) + r);
    rDel.push(await perturbationCurve(adapter, input, delBase, target, ro, 'deletion', run));
    rIns.push(await perturbationCurve(adapter, input, blurred, target, ro, 'insertion', run));
  }
  return {
    target,
    steps,
    deletion: { probs: del, auc: curveAuc(del) },
    insertion: { probs: ins, auc: curveAuc(ins) },
    randomDeletion: floor?.randomDeletion ?? meanCurve(rDel),
    randomInsertion: floor?.randomInsertion ?? meanCurve(rIns),
    randomRepeats: floor?.randomRepeats ?? repeats,
    forwardPasses: counter.calls,
    ms: now() - t0,
  };
}
