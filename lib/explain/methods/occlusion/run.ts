/**
 * Occlusion (Zeiler & Fergus 2014, https://arxiv.org/abs/1311.2901): slide a windowSize×windowSize patch
 * over the image with `stride`, replace it by `fill`, and record the drop of the class PROBABILITY:
 *   drop_w = P(target | x) − P(target | x with window w filled).
 * A pixel's value is the mean drop over the windows that cover it (signed: negative = hiding it helps).
 * Window positions: windows.ts. Model calls (exact): 1 for the unoccluded reference + ceil(windows / batchSize).
 * `extras.perClass` = { classes, maps }: the same drop maps for other classes from the same passes
 * (config `classes`; null = all classes when the model has ≤ 32, else the 10 most probable).
 * Two paths give the same probabilities (max |Δ| < 1e-5): exact incremental inference (incremental.ts: each
 * layer recomputes only the box a patch can change) for tfjs layers models where it saves work, else plain
 * (every patched image through the whole model). `extras.path` says which ran and why.
 */
import * as tf from '@tensorflow/tfjs';
import { chunks, defaultBlurSigma, finite, gaussianBlur, nextTick, take } from '../../common';
import { defineMethod, type MethodContext } from '../../define';
import { perturbationScoreKind } from '@/lib/models/output-kind';
import type { ImageInput, ModelAdapter } from '../../types';
import {
  prepareIncremental,
  type IncrementalFallback,
  type OcclusionSetup,
  type WindowBatch,
  type WindowScorer,
} from './incremental';
import { occlusionMeta, type OcclusionConfig, type OcclusionFill, type OcclusionPath } from './meta';
import { windowCount, windowStarts } from './windows';

export type { OcclusionConfig, OcclusionFill, OcclusionPath } from './meta';
export { windowStarts } from './windows';

export type OcclusionExtras = {
  windows: number;
  /** P(target | x) of the unoccluded image. */
  referenceProbability: number;
  /** Drop maps (H×W each) for `classes` (the target always among them), from the same passes. */
  perClass: { classes: number[]; maps: Float32Array[] };
  /** Which path computed the map (incremental or plain, and why). */
  path: OcclusionPath;
};

/** Exact number of model calls occlusion makes for this input and config. */
export function occlusionPasses(
  height: number,
  width: number,
  config: Pick<OcclusionConfig, 'windowSize' | 'stride' | 'batchSize'>,
): number {
  return 1 + Math.ceil(windowCount(height, width, config.windowSize, config.stride) / config.batchSize);
}

function fillImage(input: ImageInput, fill: OcclusionFill): Float32Array {
  const { data, channels: c } = input;
  switch (fill) {
    case 'zero':
      return new Float32Array(data.length);
    case 'grey':
      return new Float32Array(data.length).fill(0.5);
    case 'blur':
      return gaussianBlur(input, defaultBlurSigma(input));
    case 'mean': {
      const mean = new Float64Array(c);
      for (let i = 0; i < data.length; i++) mean[i % c] = (mean[i % c] as number) + (data[i] as number);
      const n = data.length / c;
      return Float32Array.from({ length: data.length }, (_, i) => (mean[i % c] as number) / n);
    }
  }
}

/** Plain occlusion: every patched image through the whole model (adapter.probabilities). */
class PlainScorer implements WindowScorer {
  constructor(
    private readonly adapter: ModelAdapter,
    private readonly setup: OcclusionSetup,
    readonly reference: Float32Array,
    readonly path: OcclusionPath,
  ) {}

  async score(batch: WindowBatch): Promise<Float32Array> {
    const { input, fill, patchH, patchW } = this.setup;
    const { width: W, channels: C } = input;
    const n = batch.rows.length;
    const size = input.data.length;
    const images = new Float32Array(n * size);
    for (let b = 0; b < n; b++) {
      const y0 = batch.rows[b] as number;
      const x0 = batch.cols[b] as number;
      const off = b * size;
      images.set(input.data, off);
      for (let y = y0; y < y0 + patchH; y++) {
        const rowStart = (y * W + x0) * C;
        images.set(fill.subarray(rowStart, rowStart + patchW * C), off + rowStart);
      }
    }
    return probabilities(this.adapter, images, n, input);
  }

  dispose(): void {}
}

async function probabilities(
  adapter: ModelAdapter,
  batch: Float32Array,
  n: number,
  input: ImageInput,
): Promise<Float32Array> {
  const p = tf.tidy(() => adapter.probabilities(tf.tensor4d(batch, [n, input.height, input.width, input.channels])));
  return take(p);
}

/**
 * The scorer of a run: the incremental path (incremental.ts) where the model supports it and `mode` is
 * 'auto', else plain occlusion (reusing the reference probabilities the incremental analysis computed).
 */
async function scorerFor(adapter: ModelAdapter, setup: OcclusionSetup, mode: 'auto' | 'plain'): Promise<WindowScorer> {
  const prepared: WindowScorer | IncrementalFallback =
    mode === 'auto' ? await prepareIncremental(adapter, setup) : { reason: 'plain occlusion was requested' };
  if ('score' in prepared) return prepared;
  const reference = prepared.reference ?? (await probabilities(adapter, setup.input.data, 1, setup.input));
  return new PlainScorer(adapter, setup, reference, { kind: 'plain', reason: prepared.reason });
}

async function runOcclusion(ctx: MethodContext<OcclusionConfig>, mode: 'auto' | 'plain') {
  const { adapter, input, target, config } = ctx;
  const K = adapter.info.numClasses;
  const { height: H, width: W } = input;
  const ys = windowStarts(H, config.windowSize, config.stride);
  const xs = windowStarts(W, config.windowSize, config.stride);
  const wy = Math.min(config.windowSize, H);
  const wx = Math.min(config.windowSize, W);
  const windows = ys.length * xs.length;
  const at = (wi: number) => ({ y0: ys[Math.floor(wi / xs.length)] as number, x0: xs[wi % xs.length] as number });
  const batchOf = (start: number, n: number): WindowBatch => {
    const list = Array.from({ length: n }, (_, b) => at(start + b));
    return { rows: list.map((w) => w.y0), cols: list.map((w) => w.x0) };
  };
  const setup: OcclusionSetup = {
    input,
    fill: fillImage(input, config.fill),
    patchH: wy,
    patchW: wx,
    all: batchOf(0, windows),
  };
  const scorer = await scorerFor(adapter, setup, mode);
  try {
    const ref = scorer.reference;
    let passes = 1;
    let classes: number[];
    if (config.classes) classes = [...new Set([target, ...config.classes])];
    else if (K <= 32) classes = Array.from({ length: K }, (_, k) => k);
    else
      classes = [
        ...new Set([
          target,
          ...Array.from({ length: K }, (_, k) => k)
            .sort((a, b) => (ref[b] as number) - (ref[a] as number))
            .slice(0, 10),
        ]),
      ];
    const sums = classes.map(() => new Float64Array(H * W));
    const counts = new Uint32Array(H * W);

    for (const [start, n] of chunks(windows, config.batchSize)) {
      ctx.throwIfAborted();
      const probs = await scorer.score(batchOf(start, n));
      passes += 1;
      for (let b = 0; b < n; b++) {
        const { y0, x0 } = at(start + b);
        for (let y = y0; y < y0 + wy; y++)
          for (let x = x0; x < x0 + wx; x++) counts[y * W + x] = (counts[y * W + x] as number) + 1;
        classes.forEach((k, ci) => {
          const drop = (ref[k] as number) - (probs[b * K + k] as number);
          const s = sums[ci] as Float64Array;
          for (let y = y0; y < y0 + wy; y++)
            for (let x = x0; x < x0 + wx; x++) s[y * W + x] = (s[y * W + x] as number) + drop;
        });
      }
      ctx.onProgress((start + n) / windows);
      await nextTick();
    }
    const maps = sums.map((s) =>
      finite(Float32Array.from(s, (v, i) => ((counts[i] as number) > 0 ? v / (counts[i] as number) : 0))),
    );
    const values = maps[classes.indexOf(target)] as Float32Array;
    const extras: OcclusionExtras = {
      windows,
      referenceProbability: ref[target] as number,
      perClass: { classes, maps },
      path: scorer.path,
    };
    return { values, scoreKind: perturbationScoreKind(adapter.info.outputKind), forwardPasses: passes, extras };
  } finally {
    scorer.dispose();
  }
}

/** Occlusion: the incremental path where the model supports it (extras.path says which path ran). */
export const occlusion = defineMethod(occlusionMeta, (ctx) => runOcclusion(ctx, 'auto'));

/** The same method always on the plain path (for tests and the benchmark; not in the registry). */
export const plainOcclusion = defineMethod(occlusionMeta, (ctx) => runOcclusion(ctx, 'plain'));
