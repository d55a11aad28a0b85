/**
 * How alike two maps are, pure maths (no tfjs): what the sanity check of Adebayo et al., "Sanity Checks for
 * Saliency Maps" (NeurIPS 2018, https://arxiv.org/abs/1810.03292), reports between the original map and the
 * map after randomising the model's layers (the rank correlation is lib/metrics' `spearman`). Both measures
 * are taken on the absolute maps (the paper's choice: a sign flip of the whole map should not count as a
 * change), H×W row-major.
 */
import { spearman } from '@/lib/metrics';

/** Spearman's rank correlation ρ ∈ [−1, 1] of |a| and |b| (ties averaged; 0 for a constant map). */
export function spearmanAbs(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const abs = (x: ArrayLike<number>) => Float64Array.from(x as ArrayLike<number>, (v) => Math.abs(v));
  return spearman(abs(a), abs(b)) ?? 0;
}

/** |map| scaled to [0, 1] by its maximum (an all-zero map stays zeros). */
export function normalisedAbs(map: ArrayLike<number>): Float64Array {
  let max = 0;
  for (let i = 0; i < map.length; i++) max = Math.max(max, Math.abs(map[i] as number));
  return Float64Array.from(map as ArrayLike<number>, (v) => (max > 0 ? Math.abs(v) / max : 0));
}

/**
 * Mean structural similarity (Wang et al. 2004) of the normalised absolute maps, with `win`×`win` uniform
 * windows (scikit-image's default 7, shrunk to the map when smaller), data range 1, K1 = 0.01, K2 = 0.03.
 * 1 = identical; near 0 = unrelated structure. `width`·`height` must equal both lengths.
 */
export function ssimAbs(a: ArrayLike<number>, b: ArrayLike<number>, width: number, height: number, win = 7): number {
  if (a.length !== width * height || b.length !== width * height)
    throw new RangeError(`ssim: maps must have ${width}×${height} values`);
  const x = normalisedAbs(a);
  const y = normalisedAbs(b);
  const w = Math.max(1, Math.min(win, width, height));
  const c1 = 0.01 ** 2;
  const c2 = 0.03 ** 2;
  const np = w * w;
  // Unbiased (co)variances, as scikit-image with `use_sample_covariance`.
  const cov = np > 1 ? np / (np - 1) : 1;
  let sum = 0;
  let count = 0;
  for (let r = 0; r + w <= height; r++) {
    for (let c = 0; c + w <= width; c++) {
      let mx = 0;
      let my = 0;
      let mxx = 0;
      let myy = 0;
      let mxy = 0;
      for (let i = r; i < r + w; i++) {
        for (let j = c; j < c + w; j++) {
          const xv = x[i * width + j] as number;
          const yv = y[i * width + j] as number;
          mx += xv;
          my += yv;
          mxx += xv * xv;
          myy += yv * yv;
          mxy += xv * yv;
        }
      }
      mx /= np;
      my /= np;
      const vx = (mxx / np - mx * mx) * cov;
      const vy = (myy / np - my * my) * cov;
      const vxy = (mxy / np - mx * my) * cov;
      sum += ((2 * mx * my + c1) * (2 * vxy + c2)) / ((mx * mx + my * my + c1) * (vx + vy + c2));
      count += 1;
    }
  }
  return count > 0 ? sum / count : 1;
}

/** The sanity check's plain verdict from the lowest similarity reached while the model was destroyed. */
export type SanityVerdict = 'passes' | 'partly' | 'fails';

/**
 * 'passes' when the map changed (lowest Spearman ρ below 0.5), 'fails' when it survived the destruction
 * (ρ stayed at or above 0.8 and SSIM at or above 0.6: it behaves like an edge detector of the input),
 * 'partly' in between.
 */
export function sanityVerdict(steps: readonly { spearman: number; ssim: number }[]): SanityVerdict {
  if (steps.length === 0) throw new RangeError('sanityVerdict needs at least one randomisation step');
  const rho = Math.min(...steps.map((s) => s.spearman));
  const ssim = Math.min(...steps.map((s) => s.ssim));
  if (rho < 0.5) return 'passes';
  if (rho >= 0.8 && ssim >= 0.6) return 'fails';
  return 'partly';
}
