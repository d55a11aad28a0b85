/** Test helpers shared by the metric tests (not used by the app). */
import { mulberry32 } from '@/lib/random';
import { bundledLabels } from '@/lib/testing/bundled-manifest';

/** Fashion-MNIST's ten class names, in label order: the bundled `fashion-scratch` model's labels. */
export const FASHION: readonly string[] = bundledLabels('fashion-scratch');

/**
 * Seeded random posteriors [N×K] (normalised Exp(1) draws, i.e. Dirichlet(1,…,1) rows), stored as float32
 * like model outputs.
 */
export function randomPosteriors(n: number, k: number, seed: number): Float32Array {
  const rnd = mulberry32(seed);
  const out = new Float32Array(n * k);
  for (let r = 0; r < n; r++) {
    const row = Array.from({ length: k }, () => -Math.log(1 - rnd()));
    let s = 0;
    for (const v of row) s += v;
    row.forEach((v, j) => (out[r * k + j] = v / s));
  }
  return out;
}

/** Seeded random class indices [N] in [0, K). */
export function randomLabels(n: number, k: number, seed: number): Int32Array {
  const rnd = mulberry32(seed);
  return Int32Array.from({ length: n }, () => Math.floor(rnd() * k));
}
