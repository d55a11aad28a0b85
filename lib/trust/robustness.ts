/**
 * Set-level robustness, pure maths (no tfjs): accuracy against FGSM at each ε and against Gaussian noise at
 * each σ, overall and per class, and the median FGSM (and PGD) flip ε. The per-image predictions come from
 * lib/runtime/trust-jobs.ts (`adversarial.ts` on the model).
 */

/** One evaluated image: its true class and the predicted class under each perturbation. */
export interface RobustnessRow {
  label: number;
  clean: number;
  /** Predicted class after FGSM at each ε (same order as the ε list). */
  fgsm: readonly number[];
  /** Predicted class with Gaussian noise at each σ. */
  noise: readonly number[];
  /** Smallest FGSM ε that moves the decision away from the clean prediction; null: none up to the search limit. */
  flip: number | null;
  /** The same with PGD, when it was searched. */
  flipPgd?: number | null;
}

export interface RobustnessSummary {
  n: number;
  epsilons: number[];
  sigmas: number[];
  cleanAccuracy: number;
  /** Accuracy at each ε / σ, in [0, 1]. */
  fgsmAccuracy: number[];
  noiseAccuracy: number[];
  /** Per class (row) at each ε / σ (column): accuracy, NaN for a class with no image. */
  fgsmByClass: number[][];
  noiseByClass: number[][];
  /** Images per class. */
  classCounts: number[];
  /** Median flip ε over the images (a null flip counts as above every ε searched); null when most never flip. */
  medianFlip: number | null;
  /** The median PGD flip ε, when every row has one searched (`flipPgd`); same conventions. */
  medianFlipPgd?: number | null;
}

/** Median of values where null means "above every finite value"; null when the median itself is such. */
export function medianWithCensored(values: readonly (number | null)[]): number | null {
  if (values.length === 0) return null;
  const sorted = values.map((v) => (v === null ? Infinity : v)).sort((a, b) => a - b);
  const mid = sorted.length / 2;
  const m =
    sorted.length % 2
      ? (sorted[Math.floor(mid)] as number)
      : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  return Number.isFinite(m) ? m : null;
}

/** Accuracy overall and per class for each perturbation level. `k` = number of classes. */
export function summariseRobustness(
  rows: readonly RobustnessRow[],
  k: number,
  epsilons: readonly number[],
  sigmas: readonly number[],
): RobustnessSummary {
  const counts = new Array<number>(k).fill(0);
  for (const r of rows) counts[r.label] = (counts[r.label] ?? 0) + 1;
  const acc = (pick: (r: RobustnessRow) => number) =>
    rows.length ? rows.filter((r) => pick(r) === r.label).length / rows.length : NaN;
  const byClass = (pick: (r: RobustnessRow) => number) =>
    counts.map((c, cls) => (c ? rows.filter((r) => r.label === cls && pick(r) === cls).length / c : NaN));
  const levels = (n: number, get: (r: RobustnessRow, i: number) => number) =>
    Array.from({ length: n }, (_, i) => (r: RobustnessRow) => get(r, i));
  const fg = levels(epsilons.length, (r, i) => r.fgsm[i] as number);
  const no = levels(sigmas.length, (r, i) => r.noise[i] as number);
  return {
    n: rows.length,
    epsilons: [...epsilons],
    sigmas: [...sigmas],
    cleanAccuracy: acc((r) => r.clean),
    fgsmAccuracy: fg.map(acc),
    noiseAccuracy: no.map(acc),
    fgsmByClass: counts.map((_, cls) => fg.map((f) => byClass(f)[cls] as number)),
    noiseByClass: counts.map((_, cls) => no.map((f) => byClass(f)[cls] as number)),
    classCounts: counts,
    medianFlip: medianWithCensored(rows.map((r) => r.flip)),
    ...(rows.length > 0 && rows.every((r) => r.flipPgd !== undefined)
      ? { medianFlipPgd: medianWithCensored(rows.map((r) => r.flipPgd ?? null)) }
      : {}),
  };
}
