/**
 * How to read a path method's completeness check (Integrated Gradients, Guided IG) — plain data, no tfjs.
 *
 * The relative error |Σ IG − Δ| / |Δ| (Δ = S(x) − S(x′)) is the honest measure while Δ is a fair share of
 * how far the score travels along the path. When the score rises and falls on the way and ends almost where
 * it started (Δ ≈ 0, or |Δ| under CANCELLED_SHARE of the path's variation Σ|ΔS|), that ratio divides by a
 * near-cancellation: a small absolute error becomes hundreds of per cent. Then the absolute error is what
 * to report, beside the share of the variation it is.
 */

/** Above this (relative error, or share of the variation when Δ ≈ 0) the map is flagged. */
export const COMPLETENESS_WARN = 0.05;
/** Without the path's variation: |Δ| below this counts as ~0 (the scale of probabilities). */
export const TINY_DELTA = 1e-2;
/** |Δ| below this share of Σ|ΔS| along the path: the ends nearly cancel. */
export const CANCELLED_SHARE = 0.05;

export interface CompletenessReading {
  /** |Σ − Δ| / max(|Δ|, 1e-12). */
  relative: number;
  /** |Σ − Δ|, in the score's units. */
  absolute: number;
  sum: number;
  delta: number;
  /** Σ |ΔS| over the evaluated path points (null when the method does not report it). */
  variation: number | null;
  /** absolute / variation (null without a variation). */
  ofVariation: number | null;
  /** Δ ≈ 0: below CANCELLED_SHARE of the variation (without one: below TINY_DELTA); the relative error means little. */
  nearZero: boolean;
  /** The score is the same at every evaluated point (variation 0: a saturated output); nothing to share out. */
  still: boolean;
  /** The figure to judge by (ofVariation when nearZero and known, else relative) exceeds COMPLETENESS_WARN. */
  warn: boolean;
  /** The refinement stopped at its time limit (IG's adaptive trapezoid) before reaching its target. */
  stoppedByTime: boolean;
  /** Intervals the refining trapezoid used (null when the method does not report it). */
  stepsUsed: number | null;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** Reads a result's extras; null when it carries no completeness check. */
export function readCompleteness(extras: unknown): CompletenessReading | null {
  if (!extras || typeof extras !== 'object') return null;
  const ex = extras as Record<string, unknown>;
  const relative = num(ex.completenessError);
  const sum = num(ex.sumAttributions);
  const delta = num(ex.scoreDelta);
  if (relative === null || sum === null || delta === null) return null;
  const absolute = num(ex.absoluteCompletenessError) ?? Math.abs(sum - delta);
  const variation = num(ex.scoreVariation);
  const ofVariation = variation !== null && variation > 0 ? absolute / variation : null;
  // With the path's variation known, Δ is judged against it (a score that moves little but steadily is fine).
  const still = variation === 0;
  const nearZero =
    variation !== null ? still || Math.abs(delta) < CANCELLED_SHARE * variation : Math.abs(delta) < TINY_DELTA;
  // A score that never moves (a saturated output) leaves nothing to share out: no scale to judge by, no warning.
  const judged = still ? 0 : nearZero && ofVariation !== null ? ofVariation : relative;
  return {
    relative,
    absolute,
    sum,
    delta,
    variation,
    ofVariation,
    nearZero,
    still,
    warn: judged > COMPLETENESS_WARN,
    stoppedByTime: ex.stoppedBy === 'time',
    stepsUsed: num(ex.stepsUsed),
  };
}
