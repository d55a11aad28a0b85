/**
 * RISE (Petsiuk, Das & Saenko 2018, https://arxiv.org/abs/1806.07421): black-box saliency by random
 * masking. Each mask is a gridSize×gridSize grid of cells kept with probability p, upsampled bilinearly to
 * (gridSize+1)·cell pixels and cropped at a random offset in [0, cell) (cell = ceil(size / gridSize)), so
 * masks are smooth and not aligned to the grid. With masked images x ⊙ M_i,
 *   map = Σ_i P(target | x ⊙ M_i) · M_i / (N · p),
 * an estimate of the expected probability given that a pixel is kept. Unsigned. Masks come from a seeded
 * PRNG. Model calls = ceil(numMasks / batchSize), forward only (probabilities).
 */
import * as tf from '@tensorflow/tfjs';
import { resize } from '@/lib/resize';
import { chunks, mulberry32, nextTick, take } from '../../common';
import { defineMethod } from '../../define';
import { perturbationScoreKind } from '@/lib/models/output-kind';
import { riseMeta } from './meta';

export type { RiseConfig } from './meta';

export type RiseExtras = {
  /** Mean of P(target | x ⊙ M_i) over the masks. */
  meanMaskedProbability: number;
  numClasses: number;
};

/** One RISE mask (H×W, values in [0, 1]) from the generator `rand`. */
export function riseMask(H: number, W: number, gridSize: number, p: number, rand: () => number): Float32Array {
  const cellH = Math.ceil(H / gridSize);
  const cellW = Math.ceil(W / gridSize);
  const grid = new Float32Array(gridSize * gridSize);
  for (let i = 0; i < grid.length; i++) grid[i] = rand() < p ? 1 : 0;
  const bigH = (gridSize + 1) * cellH;
  const bigW = (gridSize + 1) * cellW;
  const big = resize(grid, { width: gridSize, height: gridSize }, { width: bigW, height: bigH });
  const dy = Math.floor(rand() * cellH);
  const dx = Math.floor(rand() * cellW);
  const out = new Float32Array(H * W);
  for (let y = 0; y < H; y++) out.set(big.subarray((y + dy) * bigW + dx, (y + dy) * bigW + dx + W), y * W);
  return out;
}

export const rise = defineMethod(riseMeta, async (ctx) => {
  const { adapter, input, target, config } = ctx;
  const { height: H, width: W, channels: C } = input;
  const K = adapter.info.numClasses;
  const rand = mulberry32(config.seed);
  const acc = new Float64Array(H * W);
  const parts = chunks(config.numMasks, config.batchSize);
  let probSum = 0;
  for (const [start, n] of parts) {
    ctx.throwIfAborted();
    const masks: Float32Array[] = [];
    const batch = new Float32Array(n * H * W * C);
    for (let b = 0; b < n; b++) {
      const m = riseMask(H, W, config.gridSize, config.p, rand);
      masks.push(m);
      const off = b * H * W * C;
      for (let i = 0; i < H * W; i++)
        for (let c = 0; c < C; c++) batch[off + i * C + c] = (input.data[i * C + c] as number) * (m[i] as number);
    }
    const pt = tf.tidy(() => tf.slice(adapter.probabilities(tf.tensor4d(batch, [n, H, W, C])), [0, target], [-1, 1]));
    const probs = await take(pt);
    for (let b = 0; b < n; b++) {
      const pr = probs[b] as number;
      probSum += pr;
      const m = masks[b] as Float32Array;
      for (let i = 0; i < H * W; i++) acc[i] = (acc[i] as number) + pr * (m[i] as number);
    }
    ctx.onProgress((start + n) / config.numMasks);
    await nextTick();
  }
  const norm = config.numMasks * config.p;
  return {
    values: Float32Array.from(acc, (v) => v / norm),
    scoreKind: perturbationScoreKind(adapter.info.outputKind),
    forwardPasses: parts.length,
    extras: { meanMaskedProbability: probSum / config.numMasks, numClasses: K },
  };
});
