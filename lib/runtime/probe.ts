/**
 * The capability probe (worker side, tfjs): before any method is offered, a dry run of each thing the
 * methods need from a model — one forward pass, one input gradient, one layer gradient at the last
 * spatial layer — on a small probe input at the model's input shape (a seeded uniform-noise image and a
 * mid-grey one, batch [2, h, w, c], pixels in [0, 1]). Each run either works (its time is measured) or
 * fails with a reason in plain words naming the missing kernel or op (probe-verdicts.ts), which the page
 * shows on the disabled method. The per-method verdicts follow from the methods' `requires`.
 *
 * Caught: a kernel the backend lacks, an op without a gradient, non-finite scores or gradients, and an
 * input gradient that is exactly zero on the noise image although the output differs between the two
 * images (a piecewise-constant op such as Round or Sign in the graph: every gradient map would be blank).
 * The forward pass runs on both images, the gradients on the noise image only (the cost: about 3 forward
 * passes plus one backward pass and one layer gradient).
 * Every tensor is released (leak-tested); the result is plain data.
 */
import { releaseFailedTape } from '@/lib/models/failed-tape';
import * as tf from '@tensorflow/tfjs';
import type { ModelAdapter } from '@/lib/explain/types';
import { listMethodMetas } from '@/lib/explain/catalog';
import { mulberry32 } from '@/lib/random';
import {
  BACKEND_LABELS,
  type BackendName,
  type CapabilityCheck,
  type ModelProbe,
  type ProbedCapability,
} from './probe-types';
import { CAPABILITY_WORDS, describeFailure, verdictsFor, type KernelLookup } from './probe-verdicts';

export interface ProbeOptions {
  /** The active backend (named in the reasons). */
  backend: BackendName;
  /** Backends this browser can start, for the "run it elsewhere" offers. */
  available: readonly BackendName[];
  /** Seed of the noise image (default 12). */
  seed?: number;
  /** Kernel registry lookup (default: tf.getKernel). */
  hasKernel?: KernelLookup;
  /**
   * Which checks to run besides the forward pass (default: all). The page runs the cheap ones first
   * (`FAST_CHECKS`: Grad-CAM, occlusion and RISE can start) and the input gradient next.
   */
  capabilities?: readonly ProbedCapability[];
  /** An earlier (partial) probe of the same adapter on the same backend: its checks are kept, not re-run. */
  previous?: ModelProbe | null;
}

/** The phase-one checks: a forward pass and the layer gradient (one backward pass of the head only). */
export const FAST_CHECKS: readonly ProbedCapability[] = ['logitsOnly', 'layerGradients'];

/** The probe batch [2, h, w, c] in pixel space: seeded uniform noise in [0, 1), then mid-grey 0.5. */
export function probeBatch(shape: readonly [number, number, number], seed = 12): Float32Array {
  const n = shape[0] * shape[1] * shape[2];
  const out = new Float32Array(2 * n);
  const rnd = mulberry32(seed);
  for (let i = 0; i < n; i++) out[i] = rnd();
  out.fill(0.5, n);
  return out;
}

const allFinite = (v: ArrayLike<number>) => {
  for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i])) return false;
  return true;
};

const allZero = (v: Float32Array) => v.every((x) => x === 0);

/** Runs `fn` (tensor-returning, synchronous) in a tidy, reads its values, releases it; times the whole. */
async function timed(fn: () => tf.Tensor): Promise<{ values: Float32Array; ms: number }> {
  const t0 = performance.now();
  const t = tf.tidy(fn);
  try {
    const values = (await t.data()) as Float32Array;
    return { values, ms: performance.now() - t0 };
  } finally {
    t.dispose();
  }
}

/** Probes `adapter` on the active backend; never throws for a model that fails (the reasons say why). */
export async function probeModel(adapter: ModelAdapter, opts: ProbeOptions): Promise<ModelProbe> {
  const t0 = performance.now();
  const info = adapter.info;
  const [h, w, c] = info.inputShape;
  const hasKernel: KernelLookup = opts.hasKernel ?? ((k, b) => tf.getKernel(k, b) != null);
  const fail = (e: unknown, cap: keyof typeof CAPABILITY_WORDS, ms: number): CapabilityCheck => {
    releaseFailedTape();
    return { ok: false, ms, ...describeFailure(e, cap, opts.backend, opts.available, hasKernel) };
  };
  const nonFinite = (cap: keyof typeof CAPABILITY_WORDS, ms: number): CapabilityCheck => ({
    ok: false,
    ms,
    reason: `${CAPABILITY_WORDS[cap]} is not a finite number (NaN or ∞) on a probe image on the ${BACKEND_LABELS[opts.backend]} backend.`,
    elsewhere: [],
  });
  const want = (cap: ProbedCapability) =>
    (opts.capabilities ?? ['inputGradients', 'layerGradients']).includes(cap) && !checks[cap];
  const prev = opts.previous?.backend === opts.backend ? opts.previous : null;
  const checks: ModelProbe['checks'] = { ...prev?.checks };
  const x = tf.tensor4d(probeBatch(info.inputShape, opts.seed), [2, h, w, c]);
  const one = tf.slice(x, [0, 0, 0, 0], [1, h, w, c]);
  let forwardMs = prev?.forwardMs ?? 0;
  let target = prev?.target ?? 0;
  let outputMoves = prev?.outputMoves ?? false;
  try {
    // Forward (unless a previous phase ran it): the batch of two (also the warm-up), then one image timed.
    let t = performance.now();
    if (!checks.logitsOnly)
      try {
        const scores = (await timed(() => adapter.scores(x))).values;
        t = performance.now();
        forwardMs = (await timed(() => adapter.scores(one))).ms;
        checks.logitsOnly = allFinite(scores)
          ? { ok: true, ms: forwardMs, elsewhere: [] }
          : nonFinite('logitsOnly', forwardMs);
        const k = scores.length / 2;
        const first = Array.from(scores.subarray(0, k));
        target = Math.max(0, Math.min(first.indexOf(Math.max(...first)), info.numClasses - 1));
        outputMoves = first.some((s, i) => s !== scores[k + i]);
      } catch (e) {
        checks.logitsOnly = fail(e, 'logitsOnly', performance.now() - t);
      }
    if (!checks.logitsOnly.ok) return finish();
    const outputDiffers = outputMoves;

    t = performance.now();
    if (want('inputGradients'))
      try {
        // One image (the noise): a backward pass costs ~7 forward passes (MobileNet 224², README bench).
        const g = await timed(() => adapter.inputGradients(one, target).grads);
        if (!allFinite(g.values)) checks.inputGradients = nonFinite('inputGradients', g.ms);
        else if (outputDiffers && allZero(g.values))
          checks.inputGradients = {
            ok: false,
            ms: g.ms,
            reason:
              'The input gradient of this model is zero everywhere on a probe image although its output changes with the image: ' +
              'its graph has a step-like op (rounding, comparison, argmax), so every gradient map would be blank.',
            elsewhere: [],
          };
        else checks.inputGradients = { ok: true, ms: g.ms, elsewhere: [] };
      } catch (e) {
        checks.inputGradients = fail(e, 'inputGradients', performance.now() - t);
      }

    const layer = info.spatialLayers.at(-1);
    if (layer !== undefined && want('layerGradients')) {
      t = performance.now();
      try {
        const g = await timed(() => adapter.layerGradients(one, layer, target).grads);
        checks.layerGradients = allFinite(g.values)
          ? { ok: true, ms: g.ms, elsewhere: [] }
          : nonFinite('layerGradients', g.ms);
      } catch (e) {
        checks.layerGradients = fail(e, 'layerGradients', performance.now() - t);
      }
    }
    return finish();
  } finally {
    x.dispose();
    one.dispose();
  }

  function finish(): ModelProbe {
    const methods = listMethodMetas().filter((m) => m.isCompatible(info));
    const verdicts = verdictsFor(methods, checks);
    return {
      modelId: info.id,
      backend: opts.backend,
      checks,
      methods: verdicts,
      complete: methods.every((m) => verdicts[m.id] !== undefined),
      target,
      outputMoves,
      forwardMs,
      totalMs: performance.now() - t0,
    };
  }
}

/**
 * Time of one forward pass of one image (the probe's noise image) on the active backend: one warm-up
 * (shader compilation, weight upload), then the median of up to three timed runs, stopping early once
 * `budgetMs` is spent. Releases every tensor.
 */
export async function measureForward(adapter: ModelAdapter, budgetMs = 1500): Promise<number> {
  const [h, w, c] = adapter.info.inputShape;
  const x = tf.tensor4d(probeBatch(adapter.info.inputShape).subarray(0, h * w * c), [1, h, w, c]);
  try {
    await timed(() => adapter.scores(x));
    const times: number[] = [];
    const start = performance.now();
    while (times.length < 3 && (times.length === 0 || performance.now() - start < budgetMs))
      times.push((await timed(() => adapter.scores(x))).ms);
    times.sort((a, b) => a - b);
    return times[Math.floor((times.length - 1) / 2)] as number;
  } finally {
    x.dispose();
  }
}
