/**
 * Agreement between two models' explanations of the same image: both maps are projected onto one grid in
 * image space (see resample.ts), then compared only where both models saw the image.
 *
 * - Spearman rank correlation ρ ∈ [−1, 1] of the two maps (Spearman 1904, https://doi.org/10.2307/1412159):
 *   do they rank the pixels alike?
 * - Top-10 % overlap (IoU ∈ [0, 1]) of the pixels each map ranks highest (by value: the strongest evidence
 *   for the target class; by |value| when `absolute`).
 * - Difference map D = Â − B̂ with each map divided by its own max |value| (lib/metrics `differenceMap`), so
 *   D ∈ [−2, 2] on one shared scale: positive = A relies on this pixel more, negative = B does.
 * Plain arrays in, plain arrays out (no tensors).
 */
import { differenceMap, spearman, topKOverlap } from '@/lib/metrics';
import type { ResizePolicy } from '@/lib/models/types';
import { attributionToGrid, comparisonGrid, type Grid } from './resample';

export interface MapSide {
  /** Attribution map at the model's input resolution, row-major. */
  values: ArrayLike<number>;
  width: number;
  height: number;
  /** The resize policy that made this model's input from the image. */
  policy: ResizePolicy;
}

export interface PairedMaps {
  grid: Grid;
  /** Both maps on the grid [H·W] (0 where not covered). */
  a: Float32Array;
  b: Float32Array;
  /** 1 where both models saw the image. */
  covered: Uint8Array;
  /** Number of covered grid pixels. */
  coveredCount: number;
  /** Â − B̂ on the grid (0 outside the covered area); values in [−2, 2]. */
  difference: Float32Array;
  /** max |difference| (≥ 0): the symmetric colour scale. */
  differenceMaxAbs: number;
  /** null when a map is constant over the covered area, or fewer than 2 pixels are covered. */
  spearman: number | null;
  /** IoU of the top-`fraction` pixel sets; null when nothing is covered. */
  topOverlap: number | null;
  /** The fraction used for `topOverlap`. */
  topFraction: number;
}

export interface PairOptions {
  /** Fraction of pixels in the top set (default 0.1). */
  topFraction?: number;
  /** Rank by |value| (default false: by value). */
  absolute?: boolean;
  /** Longest grid side (default 224). */
  cap?: number;
}

/** Projects both maps onto the image's comparison grid and measures how much they agree. */
export function pairMaps(
  a: MapSide,
  b: MapSide,
  image: { width: number; height: number },
  opts: PairOptions = {},
): PairedMaps {
  const topFraction = opts.topFraction ?? 0.1;
  const grid = comparisonGrid(image.width, image.height, opts.cap);
  const ga = attributionToGrid(a, image, a.policy, grid);
  const gb = attributionToGrid(b, image, b.policy, grid);
  const n = grid.width * grid.height;
  const covered = new Uint8Array(n);
  let coveredCount = 0;
  for (let i = 0; i < n; i++) {
    if (ga.covered[i] && gb.covered[i]) {
      covered[i] = 1;
      coveredCount++;
    }
  }
  // The statistics see only the covered pixels, packed.
  const pa = new Float32Array(coveredCount);
  const pb = new Float32Array(coveredCount);
  for (let i = 0, j = 0; i < n; i++) {
    if (!covered[i]) continue;
    pa[j] = ga.values[i] as number;
    pb[j] = gb.values[i] as number;
    j++;
  }
  const d = differenceMap(pa, pb);
  const difference = new Float32Array(n);
  for (let i = 0, j = 0; i < n; i++) if (covered[i]) difference[i] = d.values[j++] as number;
  const agreement = coveredCount >= 2 ? spearman(pa, pb) : null;
  const overlap =
    coveredCount >= 1 ? topKOverlap(pa, pb, { fraction: topFraction, absolute: opts.absolute ?? false }) : null;
  return {
    grid,
    a: ga.values,
    b: gb.values,
    covered,
    coveredCount,
    difference,
    differenceMaxAbs: d.maxAbs,
    spearman: agreement,
    topOverlap: overlap,
    topFraction,
  };
}
