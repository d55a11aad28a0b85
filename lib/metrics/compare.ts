/**
 * Statistics for the Compare view: agreement between two attribution maps, and a paired comparison of two
 * classifiers on the same labelled images.
 *
 * Maps: Spearman rank correlation, top-k % intersection-over-union, and a difference map on a shared scale.
 * Classifiers: paired accuracies, McNemar's test (exact binomial and χ² with continuity correction),
 * regressions / fixes lists, per-class metric deltas.
 */
import {
  argmaxRows,
  assertClassIndices,
  assertSameLength,
  MetricsError,
  rowCount,
  type ClassIndexArray,
  type ProbArray,
} from './common';
import type { ClassificationSummary } from './confusion';

type Values = ArrayLike<number>;

function assertFinite(v: Values, what: string): void {
  for (let i = 0; i < v.length; i++) {
    if (!Number.isFinite(v[i] as number)) throw new MetricsError(`${what}[${i}] = ${v[i]} is not a finite number.`);
  }
}

// ────────────────────────────────────────────── attribution-map agreement

/**
 * Ranks 1..n with ties given the average of the ranks they span ("fractional" ranking), as Float64Array [n].
 * Implementation: one native numeric sort of the values, then two binary searches per value
 * (rank = (first + last position of the value) / 2 + 1), which is several times faster than sorting an index
 * permutation with a comparator on 50k-pixel maps. Values must not be NaN.
 */
export function averageRanks(v: Values): Float64Array {
  const n = v.length;
  const sorted = Float64Array.from(v).sort();
  const ranks = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = v[i] as number;
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((sorted[mid] as number) < x) lo = mid + 1;
      else hi = mid;
    }
    const first = lo;
    hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((sorted[mid] as number) <= x) lo = mid + 1;
      else hi = mid;
    }
    ranks[i] = (first + lo - 1) / 2 + 1;
  }
  return ranks;
}

/** Pearson correlation; null when either input has zero variance or n < 2. */
export function pearson(a: Values, b: Values): number | null {
  assertSameLength(a, b, 'Pearson correlation');
  const n = a.length;
  if (n < 2) return null;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i] as number;
    mb += b[i] as number;
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = (a[i] as number) - ma;
    const db = (b[i] as number) - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  if (saa === 0 || sbb === 0) return null;
  return Math.max(-1, Math.min(1, sab / Math.sqrt(saa * sbb)));
}

/**
 * Spearman rank correlation ρ ∈ [−1, 1] between two maps of equal length: the Pearson correlation of their
 * average ranks (ties get the mean rank, as scipy.stats.spearmanr does). Identical maps → 1, negated → −1.
 * Returns null when either map is constant (no ranking to compare) or has fewer than 2 values.
 * Spearman (1904), https://doi.org/10.2307/1412159.
 */
export function spearman(a: Values, b: Values): number | null {
  assertSameLength(a, b, 'Spearman correlation');
  assertFinite(a, 'map A');
  assertFinite(b, 'map B');
  return pearson(averageRanks(a), averageRanks(b));
}

export interface TopKOptions {
  /** Fraction of pixels kept, in (0, 1]; default 0.1 (top 10 %). */
  fraction?: number;
  /** Rank by |v| instead of v (for signed maps where strong negative evidence also counts). Default false. */
  absolute?: boolean;
}

/**
 * Indices of the top m = max(1, round(fraction·n)) values (by v or |v|), ties broken by lower index so the set
 * always has exactly m members. Returned ascending.
 */
export function topIndices(v: Values, { fraction = 0.1, absolute = false }: TopKOptions = {}): Int32Array {
  if (!(fraction > 0 && fraction <= 1))
    throw new MetricsError(`The top-k fraction must be in (0, 1] (got ${fraction}).`);
  const n = v.length;
  if (n === 0) return new Int32Array(0);
  const m = Math.max(1, Math.round(fraction * n));
  const key = new Float64Array(n);
  for (let i = 0; i < n; i++) key[i] = absolute ? Math.abs(v[i] as number) : (v[i] as number);
  // threshold = the m-th largest value (native numeric sort); take everything above it, then ties at the
  // threshold in index order until there are m.
  const threshold = Float64Array.from(key).sort()[n - m] as number;
  const out = new Int32Array(m);
  let above = 0;
  for (let i = 0; i < n; i++) if ((key[i] as number) > threshold) above++;
  let ties = m - above;
  let w = 0;
  for (let i = 0; i < n; i++) {
    const x = key[i] as number;
    if (x > threshold || (x === threshold && ties-- > 0)) out[w++] = i;
  }
  return out;
}

/**
 * Top-k % overlap: |T_A ∩ T_B| / |T_A ∪ T_B| (intersection over union) of the two maps' top-`fraction` pixel
 * sets (see `topIndices`). In [0, 1]: identical → 1, disjoint → 0. null for empty maps.
 */
export function topKOverlap(a: Values, b: Values, opts: TopKOptions = {}): number | null {
  assertSameLength(a, b, 'top-k overlap');
  assertFinite(a, 'map A');
  assertFinite(b, 'map B');
  if (a.length === 0) return null;
  const ta = topIndices(a, opts);
  const inB = new Uint8Array(a.length);
  for (const i of topIndices(b, opts)) inB[i] = 1;
  let inter = 0;
  for (const i of ta) inter += inB[i] as number;
  return inter / (2 * ta.length - inter);
}

export interface DifferenceMap {
  /** (A / max|A|) − (B / max|B|), length n, values in [−2, 2]. */
  values: Float32Array;
  /** max|A| and max|B| used for the normalisation (0 for an all-zero map). */
  scaleA: number;
  scaleB: number;
  /** max |values|, for a symmetric colour scale; 0 when the maps agree everywhere. */
  maxAbs: number;
}

/**
 * Difference map on a shared scale. Each map is first divided by its own maximum absolute value, so both lie
 * in [−1, 1] and methods with different units (gradients vs. Grad-CAM activations) become comparable; then
 * D = Â − B̂ ∈ [−2, 2]. Positive = A attributes more there, negative = B does. An all-zero map stays zero
 * (no division by 0). Show it with a diverging colormap centred on 0 with limits ±maxAbs (or ±2 fixed).
 */
export function differenceMap(a: Values, b: Values): DifferenceMap {
  assertSameLength(a, b, 'difference map');
  assertFinite(a, 'map A');
  assertFinite(b, 'map B');
  let sa = 0;
  let sb = 0;
  for (let i = 0; i < a.length; i++) {
    sa = Math.max(sa, Math.abs(a[i] as number));
    sb = Math.max(sb, Math.abs(b[i] as number));
  }
  const values = new Float32Array(a.length);
  let maxAbs = 0;
  for (let i = 0; i < a.length; i++) {
    const d = (sa > 0 ? (a[i] as number) / sa : 0) - (sb > 0 ? (b[i] as number) / sb : 0);
    values[i] = d;
    maxAbs = Math.max(maxAbs, Math.abs(d));
  }
  return { values, scaleA: sa, scaleB: sb, maxAbs };
}

// ────────────────────────────────────────────── special functions

/**
 * Complementary error function erfc(x) = 1 − erf(x), for all real x, with fractional error < 1.2·10⁻⁷.
 * Chebyshev-fitted approximation from Press, Teukolsky, Vetterling & Flannery, Numerical Recipes in C
 * (2nd ed., 1992), §6.2, routine `erfcc`.
 */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const ans =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? ans : 2 - ans;
}

/** Survival function of the χ² distribution with 1 degree of freedom: P(X > x) = erfc(√(x/2)); 1 for x ≤ 0. */
export function chiSquare1Sf(x: number): number {
  if (!(x > 0)) return 1;
  return erfc(Math.sqrt(x / 2));
}

/**
 * Exact two-sided binomial test of k successes in n trials with p = ½:
 * min(1, 2·P(X ≤ min(k, n−k))). Summed in log space, so large n does not underflow.
 */
export function binomialTwoSidedHalf(k: number, n: number): number {
  if (!Number.isInteger(k) || !Number.isInteger(n) || n < 0 || k < 0 || k > n) {
    throw new MetricsError(`Binomial test needs integers 0 ≤ k ≤ n (got k = ${k}, n = ${n}).`);
  }
  if (n === 0) return 1;
  const m = Math.min(k, n - k);
  // log C(n, i) − n·ln 2, built up term by term
  let logTerm = -n * Math.LN2;
  let maxLog = logTerm;
  const logs = [logTerm];
  for (let i = 1; i <= m; i++) {
    logTerm += Math.log((n - i + 1) / i);
    logs.push(logTerm);
    maxLog = Math.max(maxLog, logTerm);
  }
  let s = 0;
  for (const l of logs) s += Math.exp(l - maxLog);
  return Math.min(1, 2 * Math.exp(maxLog + Math.log(s)));
}

// ────────────────────────────────────────────── McNemar

export interface McNemarResult {
  /** A right & B wrong. */
  b: number;
  /** A wrong & B right. */
  c: number;
  /** Discordant pairs b + c. */
  discordant: number;
  /** Exact two-sided binomial p-value, b ~ Bin(b + c, ½) under H₀. */
  exactP: number;
  /** (max(|b − c| − 1, 0))² / (b + c) (Edwards' continuity correction); null when b + c = 0. */
  chiSquare: number | null;
  /** P(χ²₁ > chiSquare); null when b + c = 0. */
  chiSquareP: number | null;
  /** Which p-value to show: 'exact' when b + c < 25 (the χ² approximation is poor there), else 'chi-square'. */
  recommended: 'exact' | 'chi-square';
  /** The recommended p-value. */
  p: number;
}

/**
 * McNemar's test for two classifiers evaluated on the same images (McNemar 1947,
 * https://doi.org/10.1007/BF02295996; Dietterich 1998, "Approximate Statistical Tests for Comparing
 * Supervised Classification Learning Algorithms", https://doi.org/10.1162/089976698300017197).
 * H₀: both classifiers have the same error rate, i.e. the discordant pairs split evenly.
 * Example: b = 10, c = 2 → exact p = 158/4096 ≈ 0.0386, χ² = 49/12 ≈ 4.083, p ≈ 0.0433.
 * @param b count of images A got right and B got wrong
 * @param c count of images A got wrong and B got right
 */
export function mcnemar(b: number, c: number): McNemarResult {
  if (!Number.isInteger(b) || !Number.isInteger(c) || b < 0 || c < 0) {
    throw new MetricsError(`McNemar's test needs non-negative integer counts (got b = ${b}, c = ${c}).`);
  }
  const n = b + c;
  const exactP = binomialTwoSidedHalf(b, n);
  const chiSquare = n === 0 ? null : Math.max(Math.abs(b - c) - 1, 0) ** 2 / n;
  const chiSquareP = chiSquare === null ? null : chiSquare1Sf(chiSquare);
  const recommended = n < 25 || chiSquareP === null ? 'exact' : 'chi-square';
  return {
    b,
    c,
    discordant: n,
    exactP,
    chiSquare,
    chiSquareP,
    recommended,
    p: recommended === 'exact' ? exactP : (chiSquareP as number),
  };
}

// ────────────────────────────────────────────── paired classifier comparison

export interface PairedCase {
  /** Image index. */
  index: number;
  label: number;
  predA: number;
  predB: number;
  /**
   * Regressions: B's probability of its (wrong) prediction. Fixes: B's probability of the true class
   * (= its prediction). Used for sorting, descending: the most confident regressions / fixes first.
   */
  confidence: number;
}

export interface PairedComparison {
  n: number;
  /** In [0, 1]; null when n = 0. */
  accuracyA: number | null;
  accuracyB: number | null;
  /** accuracyB − accuracyA; null when n = 0. */
  delta: number | null;
  /** 2×2 table of (A right?, B right?) counts. aRightBWrong = McNemar's b, aWrongBRight = c. */
  table: { bothRight: number; aRightBWrong: number; aWrongBRight: number; bothWrong: number };
  mcnemar: McNemarResult;
  /** A right, B wrong, sorted by B's confidence in its wrong class (descending; ties by index). */
  regressions: PairedCase[];
  /** A wrong, B right, sorted by B's confidence in the true class (descending; ties by index). */
  fixes: PairedCase[];
}

/**
 * Paired comparison of two classifiers (A = reference/old, B = candidate/new) on the same N labelled images.
 * Both must use the same K classes in the same order.
 * @param probsA [N×K] posteriors of A
 * @param probsB [N×K] posteriors of B
 * @param decisions optional predictions {a, b} ([N] each), e.g. from a cost-based rule; default argmax
 */
export function pairedComparison(
  labels: ClassIndexArray,
  probsA: ProbArray,
  probsB: ProbArray,
  k: number,
  decisions?: { a: ClassIndexArray; b: ClassIndexArray },
): PairedComparison {
  const n = labels.length;
  rowCount(probsA, k, n);
  rowCount(probsB, k, n);
  assertClassIndices(labels, k, 'labels');
  const pa = decisions?.a ?? argmaxRows(probsA, k);
  const pb = decisions?.b ?? argmaxRows(probsB, k);
  assertSameLength(labels, pa, 'labels and A decisions');
  assertSameLength(labels, pb, 'labels and B decisions');
  assertClassIndices(pa, k, 'A decisions');
  assertClassIndices(pb, k, 'B decisions');
  const table = { bothRight: 0, aRightBWrong: 0, aWrongBRight: 0, bothWrong: 0 };
  const regressions: PairedCase[] = [];
  const fixes: PairedCase[] = [];
  for (let i = 0; i < n; i++) {
    const y = labels[i] as number;
    const a = pa[i] as number;
    const b = pb[i] as number;
    const ra = a === y;
    const rb = b === y;
    if (ra && rb) table.bothRight++;
    else if (!ra && !rb) table.bothWrong++;
    else if (ra) {
      table.aRightBWrong++;
      regressions.push({ index: i, label: y, predA: a, predB: b, confidence: probsB[i * k + b] as number });
    } else {
      table.aWrongBRight++;
      fixes.push({ index: i, label: y, predA: a, predB: b, confidence: probsB[i * k + y] as number });
    }
  }
  const byConf = (x: PairedCase, z: PairedCase) => z.confidence - x.confidence || x.index - z.index;
  regressions.sort(byConf);
  fixes.sort(byConf);
  const accA = n === 0 ? null : (table.bothRight + table.aRightBWrong) / n;
  const accB = n === 0 ? null : (table.bothRight + table.aWrongBRight) / n;
  return {
    n,
    accuracyA: accA,
    accuracyB: accB,
    delta: accA === null || accB === null ? null : accB - accA,
    table,
    mcnemar: mcnemar(table.aRightBWrong, table.aWrongBRight),
    regressions,
    fixes,
  };
}

/** A metric for A and B and its change B − A (null when either side is null). */
export interface MetricDelta {
  a: number | null;
  b: number | null;
  delta: number | null;
}

function delta(a: number | null, b: number | null): MetricDelta {
  return { a, b, delta: a === null || b === null ? null : b - a };
}

export interface ClassDelta {
  index: number;
  precision: MetricDelta;
  recall: MetricDelta;
  f1: MetricDelta;
  /** Support of the two evaluations (equal when both used the same images). */
  supportA: number;
  supportB: number;
}

export interface SummaryDelta {
  accuracy: MetricDelta;
  balancedAccuracy: MetricDelta;
  macroF1: MetricDelta;
  perClass: ClassDelta[];
}

/**
 * Per-class and overall metric changes between two evaluations (B − A) with the same K classes.
 */
export function summaryDelta(a: ClassificationSummary, b: ClassificationSummary): SummaryDelta {
  if (a.perClass.length !== b.perClass.length) {
    throw new MetricsError(
      `The two evaluations have different class counts (${a.perClass.length} vs ${b.perClass.length}).`,
    );
  }
  return {
    accuracy: delta(a.accuracy, b.accuracy),
    balancedAccuracy: delta(a.balancedAccuracy, b.balancedAccuracy),
    macroF1: delta(a.macroF1, b.macroF1),
    perClass: a.perClass.map((ma, i) => {
      const mb = b.perClass[i] as (typeof b.perClass)[number];
      return {
        index: i,
        precision: delta(ma.precision, mb.precision),
        recall: delta(ma.recall, mb.recall),
        f1: delta(ma.f1, mb.f1),
        supportA: ma.support,
        supportB: mb.support,
      };
    }),
  };
}
