/**
 * Occlusion (Zeiler & Fergus 2014, https://arxiv.org/abs/1311.2901): slide a windowSize×windowSize patch
 * over the image with `stride`, replace it by `fill`, and record the drop of the class PROBABILITY:
 *   drop_w = P(target | x) − P(target | x with window w filled).
 * A pixel's value is the mean drop over the windows that cover it (signed: negative = hiding it helps).
 *
 * Window positions per axis: 0, stride, 2·stride, … while the window fits, plus one final window flush
 * with the far edge when the last regular one does not reach it, so every pixel is covered.
 * Model calls (exact): 1 for the unoccluded reference + ceil(windows / batchSize).
 * `extras.perClass` = { classes, maps }: the same drop maps for other classes from the same passes
 * (config `classes`; null = all classes when the model has ≤ 32, else the 10 most probable).
 */
import * as tf from '@tensorflow/tfjs';
import { occlusionMeta, type OcclusionConfig, type OcclusionFill } from './catalog';
import { checkInput, checkRange, checkTarget, chunks, defaultBlurSigma, finite, gaussianBlur, nextTick, now, resolveConfig, take, throwIfAborted } from './common';
import { ExplainError, type ExplainMethod, type ImageInput } from './types';

export type { OcclusionConfig, OcclusionFill } from './catalog';

/** Window start offsets along one axis of length `len` (see module doc). */
export function windowStarts(len: number, win: number, stride: number): number[] {
  const w = Math.min(win, len);
  const out: number[] = [];
  for (let p = 0; p + w <= len; p += stride) out.push(p);
  const last = out[out.length - 1] ?? 0;
  if (out.length === 0 || last + w < len) out.push(len - w);
  return out;
}

/** Exact number of model calls occlusion makes for this input and config. */
export function occlusionPasses(height: number, width: number, config: Pick<OcclusionConfig, 'windowSize' | 'stride' | 'batchSize'>): number {
  const windows = windowStarts(height, config.windowSize, config.stride).length * windowStarts(width, config.windowSize, config.stride).length;
  return 1 + Math.ceil(windows / config.batchSize);
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

async function probabilities(adapter: Parameters<ExplainMethod['run']>[0], batch: Float32Array, n: number, input: ImageInput): Promise<Float32Array> {
  const p = tf.tidy(() => adapter.probabilities(tf.tensor4d(batch, [n, input.height, input.width, input.channels])));
  return take(p);
}

export const occlusion: ExplainMethod<OcclusionConfig> = {
  ...occlusionMeta,
  async run(adapter, input, target, partial, opts) {
    const t0 = now();
    const config = resolveConfig(occlusion.defaultConfig, partial);
    checkTarget(adapter, target);
    checkInput(adapter, input);
    checkRange('windowSize', config.windowSize, 1, 1 << 16, true);
    checkRange('stride', config.stride, 1, 1 << 16, true);
    checkRange('batchSize', config.batchSize, 1, 1 << 16, true);
    const K = adapter.info.numClasses;
    for (const k of config.classes ?? []) if (!Number.isInteger(k) || k < 0 || k >= K) throw new ExplainError(`class ${k} in "classes" is out of range (0…${K - 1})`);
    const { height: H, width: W, channels: C } = input;
    const ys = windowStarts(H, config.windowSize, config.stride);
    const xs = windowStarts(W, config.windowSize, config.stride);
    const wy = Math.min(config.windowSize, H);
    const wx = Math.min(config.windowSize, W);
    const windows = ys.length * xs.length;
    const fill = fillImage(input, config.fill);
    const size = input.data.length;

    throwIfAborted(opts?.signal);
    const ref = await probabilities(adapter, input.data, 1, input);
    let passes = 1;
    let classes: number[];
    if (config.classes) classes = [...new Set([target, ...config.classes])];
    else if (K <= 32) classes = Array.from({ length: K }, (_, k) => k);
    else classes = [...new Set([target, ...Array.from({ length: K }, (_, k) => k).sort((a, b) => (ref[b] as number) - (ref[a] as number)).slice(0, 10)])];
    const sums = classes.map(() => new Float64Array(H * W));
    const counts = new Uint32Array(H * W);

    const parts = chunks(windows, config.batchSize);
    for (const [start, n] of parts) {
      throwIfAborted(opts?.signal);
      const batch = new Float32Array(n * size);
      for (let b = 0; b < n; b++) {
        const wi = start + b;
        const y0 = ys[Math.floor(wi / xs.length)] as number;
        const x0 = xs[wi % xs.length] as number;
        const off = b * size;
        batch.set(input.data, off);
        for (let y = y0; y < y0 + wy; y++) {
          const rowStart = (y * W + x0) * C;
          batch.set(fill.subarray(rowStart, rowStart + wx * C), off + rowStart);
        }
      }
      const probs = await probabilities(adapter, batch, n, input);
      passes += 1;
      for (let b = 0; b < n; b++) {
        const wi = start + b;
        const y0 = ys[Math.floor(wi / xs.length)] as number;
        const x0 = xs[wi % xs.length] as number;
        for (let y = y0; y < y0 + wy; y++) for (let x = x0; x < x0 + wx; x++) counts[y * W + x] = (counts[y * W + x] as number) + 1;
        classes.forEach((k, ci) => {
          const drop = (ref[k] as number) - (probs[b * K + k] as number);
          const s = sums[ci] as Float64Array;
          for (let y = y0; y < y0 + wy; y++) for (let x = x0; x < x0 + wx; x++) s[y * W + x] = (s[y * W + x] as number) + drop;
        });
      }
      opts?.onProgress?.((start + n) / windows);
      await nextTick();
    }
    const maps = sums.map((s) => finite(Float32Array.from(s, (v, i) => ((counts[i] as number) > 0 ? v / (counts[i] as number) : 0))));
    const values = maps[classes.indexOf(target)] as Float32Array;
    return {
      method: 'occlusion',
      target,
      width: W,
      height: H,
      values,
      signed: true,
      scoreKind: 'probability',
      config: { ...config },
      timings: { totalMs: now() - t0, forwardPasses: passes },
      extras: { windows, referenceProbability: ref[target], perClass: { classes, maps } },
    };
  },
};
