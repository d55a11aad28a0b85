/**
 * Adversarial and noise robustness on a model, through the input-gradient path every gradient method uses
 * (`adapter.inputGradients`): FGSM (Goodfellow et al. 2015, https://arxiv.org/abs/1412.6572) and PGD
 * (Madry et al. 2018, https://arxiv.org/abs/1706.06083), L∞, in pixel space p ∈ [0, 1] (ε = k/255 is k grey
 * levels), on the class score the methods explain. Untargeted: lower the score of the class attacked;
 * targeted: raise the score of the chosen class. Worker side: imports tfjs.
 */
import * as tf from '@tensorflow/tfjs';
import { abortError, take } from '@/lib/explain/common';
import type { ImageInput, ModelAdapter } from '@/lib/models/adapter-types';
import { ExplainError } from '@/lib/models/adapter-types';
import { gaussian, mulberry32 } from '@/lib/random';

export interface AttackOptions {
  /** L∞ radius in pixel units, [0, 1] (k/255 = k grey levels). */
  epsilon: number;
  /** 1 = FGSM; more = PGD with that many steps of size `stepSize` (default 2.5·ε/steps). */
  steps?: number;
  stepSize?: number;
  /** A class to push the image towards (targeted), or null/undefined to push it away from `source`. */
  target?: number | null;
  signal?: AbortSignal;
}

export interface AttackResult {
  /** The perturbed image (HWC, [0, 1]) and the perturbation (perturbed − original), same length. */
  perturbed: Float32Array;
  delta: Float32Array;
  probsBefore: Float32Array;
  probsAfter: Float32Array;
  /** Model calls (gradient steps + 2 forward passes). */
  calls: number;
}

function checkClass(adapter: ModelAdapter, k: number, what: string): void {
  const n = adapter.info.numClasses;
  if (!Number.isInteger(k) || k < 0 || k >= n)
    throw new ExplainError(`${what} ${k} is out of range: this model has ${n} classes (0…${n - 1})`);
}

/** Probabilities [n·K] of n stacked HWC images. One model call. */
export async function probabilitiesOf(
  adapter: ModelAdapter,
  data: Float32Array,
  n: number,
  input: ImageInput,
): Promise<Float32Array> {
  return take(tf.tidy(() => adapter.probabilities(tf.tensor4d(data, [n, input.height, input.width, input.channels]))));
}

/** sign(∂ score[k] / ∂ x) of one image (−1, 0 or 1 per value). One model call. */
export async function gradientSign(
  adapter: ModelAdapter,
  data: Float32Array,
  input: ImageInput,
  k: number,
): Promise<Float32Array> {
  return take(
    tf.tidy(() =>
      tf.sign(adapter.inputGradients(tf.tensor4d(data, [1, input.height, input.width, input.channels]), k).grads),
    ),
  );
}

/** Clips `x` into the L∞ ball of radius `eps` around `x0` and into [0, 1], in place. */
export function project(x: Float32Array, x0: Float32Array, eps: number): void {
  for (let i = 0; i < x.length; i++) {
    const lo = Math.max(0, (x0[i] as number) - eps);
    const hi = Math.min(1, (x0[i] as number) + eps);
    x[i] = Math.min(hi, Math.max(lo, x[i] as number));
  }
}

/**
 * FGSM (steps = 1) or PGD on one image: `source` is the class attacked (untargeted) — usually the predicted
 * or the true class; with `target` set, the image is pushed towards that class instead.
 */
export async function attack(
  adapter: ModelAdapter,
  input: ImageInput,
  source: number,
  opts: AttackOptions,
): Promise<AttackResult> {
  checkClass(adapter, source, 'class');
  if (opts.target != null) checkClass(adapter, opts.target, 'target class');
  const eps = opts.epsilon;
  if (!(eps >= 0 && eps <= 1)) throw new ExplainError(`epsilon must be in [0, 1] (k/255), got ${eps}`);
  const steps = opts.steps ?? 1;
  if (!Number.isInteger(steps) || steps < 1 || steps > 200)
    throw new ExplainError(`steps must be an integer from 1 to 200, got ${steps}`);
  const alpha = steps === 1 ? eps : (opts.stepSize ?? (2.5 * eps) / steps);
  const towards = opts.target != null;
  const k = towards ? (opts.target as number) : source;
  const x0 = input.data;
  const x = Float32Array.from(x0);
  for (let s = 0; s < steps; s++) {
    if (opts.signal?.aborted) throw abortError();
    const g = await gradientSign(adapter, x, input, k);
    for (let i = 0; i < x.length; i++) x[i] = (x[i] as number) + (towards ? alpha : -alpha) * (g[i] as number);
    project(x, x0, eps);
  }
  const both = new Float32Array(2 * x.length);
  both.set(x0);
  both.set(x, x.length);
  const p = await probabilitiesOf(adapter, both, 2, input);
  const kk = adapter.info.numClasses;
  return {
    perturbed: x,
    delta: Float32Array.from(x, (v, i) => v - (x0[i] as number)),
    probsBefore: p.slice(0, kk),
    probsAfter: p.slice(kk),
    calls: steps + 1,
  };
}

/** Index of the largest of `k` values starting at `offset`. */
export function argmaxAt(values: Float32Array, offset: number, k: number): number {
  let best = 0;
  for (let j = 1; j < k; j++) if ((values[offset + j] as number) > (values[offset + best] as number)) best = j;
  return best;
}

/**
 * The smallest ε = m/255 (m = 1 … maxLevels) at which FGSM against class `source` changes the decision
 * away from it, or null when none up to maxLevels/255 does. FGSM's direction sign(∇) does not depend on ε,
 * so one gradient and one batched forward pass of the maxLevels images answer it.
 */
export async function fgsmFlipEpsilon(
  adapter: ModelAdapter,
  input: ImageInput,
  source: number,
  maxLevels = 32,
): Promise<number | null> {
  checkClass(adapter, source, 'class');
  const g = await gradientSign(adapter, input.data, input, source);
  const size = input.data.length;
  const batch = new Float32Array(maxLevels * size);
  const x = new Float32Array(size);
  for (let m = 1; m <= maxLevels; m++) {
    const eps = m / 255;
    for (let i = 0; i < size; i++) x[i] = (input.data[i] as number) - eps * (g[i] as number);
    project(x, input.data, eps);
    batch.set(x, (m - 1) * size);
  }
  const p = await probabilitiesOf(adapter, batch, maxLevels, input);
  const k = adapter.info.numClasses;
  for (let m = 1; m <= maxLevels; m++) if (argmaxAt(p, (m - 1) * k, k) !== source) return m / 255;
  return null;
}

/** Options of the PGD flip search. */
export interface PgdFlipOptions {
  /** Largest ε searched, in grey levels (default 32: ε ≤ 32/255). */
  maxLevels?: number;
  /** PGD steps at each ε tried (default 10; step size 2.5·ε/steps). */
  steps?: number;
  signal?: AbortSignal;
}

/**
 * The smallest ε = m/255 (m = 1 … maxLevels) at which PGD against class `source` changes the decision, or
 * null when PGD at maxLevels/255 does not. Bisection over m (PGD is run at ⌈log₂ maxLevels⌉ + 1 radii),
 * which takes "flips at m" to hold for every larger m (true of the L∞ ball; PGD only approximates its
 * worst case, so this is an upper estimate of the true smallest flip, like FGSM's, and usually lower).
 * Costs (steps + 1) model calls per radius tried.
 */
export async function pgdFlipEpsilon(
  adapter: ModelAdapter,
  input: ImageInput,
  source: number,
  opts: PgdFlipOptions = {},
): Promise<number | null> {
  checkClass(adapter, source, 'class');
  const maxLevels = opts.maxLevels ?? 32;
  const steps = opts.steps ?? 10;
  const k = adapter.info.numClasses;
  const flips = async (m: number) => {
    const r = await attack(adapter, input, source, { epsilon: m / 255, steps, signal: opts.signal });
    return argmaxAt(r.probsAfter, 0, k) !== source;
  };
  if (!(await flips(maxLevels))) return null;
  let lo = 0; // the largest m known not to flip (0: the clean image, predicted `source` or not)
  let hi = maxLevels; // the smallest m known to flip
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (await flips(mid)) hi = mid;
    else lo = mid;
  }
  return hi / 255;
}

/** `input` plus seeded Gaussian noise N(0, σ²) per value, clipped to [0, 1]. */
export function withNoise(data: Float32Array, sigma: number, seed: number): Float32Array {
  const normal = gaussian(mulberry32(seed));
  return Float32Array.from(data, (v) => Math.min(1, Math.max(0, v + sigma * normal())));
}
