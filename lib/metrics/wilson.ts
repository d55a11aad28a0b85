/**
 * Wilson score interval for a proportion k/n (Wilson 1927, https://doi.org/10.1080/01621459.1927.10502953;
 * Brown, Cai & DasGupta 2001, https://doi.org/10.1214/ss/1009213286 recommend it for small n): with
 * p̂ = k/n and z the normal quantile,
 *
 *     centre = (p̂ + z²/2n) / (1 + z²/n),   half-width = z·√(p̂(1−p̂)/n + z²/4n²) / (1 + z²/n).
 *
 * Unlike p̂ ± z·√(p̂(1−p̂)/n) it stays inside [0, 1] and is not of width 0 at 0/n or n/n.
 */
import { MetricsError } from './common';

/** Below this many images, per-class rates are shown with their Wilson interval. */
export const SMALL_CLASS_SUPPORT = 30;

/** z of a two-sided 95 % interval. */
export const Z95 = 1.959963984540054;

export interface Interval {
  lower: number;
  upper: number;
}

/**
 * The Wilson interval of `successes` out of `n` trials, in [0, 1]; null when n = 0.
 * @param z normal quantile (default 1.96 → 95 %)
 */
export function wilsonInterval(successes: number, n: number, z = Z95): Interval | null {
  if (!Number.isInteger(n) || n < 0 || !Number.isInteger(successes) || successes < 0 || successes > n)
    throw new MetricsError(`A proportion needs whole numbers 0 ≤ successes ≤ n (got ${successes}/${n}).`);
  if (n === 0) return null;
  const p = successes / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  return {
    lower: successes === 0 ? 0 : Math.max(0, centre - half),
    upper: successes === n ? 1 : Math.min(1, centre + half),
  };
}
