/**
 * The one formatting module for numbers shown to people and for file names. Plain functions, no DOM, no
 * locale dependence (the same text in every browser, so tests and exports agree). Missing values (null,
 * undefined, NaN, ±Infinity) read as an em dash "—".
 *
 * Style (the README's): a space before the unit — "12.3 %", "120 ms", "+1.5 pts".
 */

/** What a missing or non-finite number reads as. */
export const MISSING = '—';

function missing(v: number | null | undefined): v is null | undefined {
  return v === null || v === undefined || !Number.isFinite(v);
}

/** A fraction as a percentage: 0.1234 → "12.3 %" (`digits` decimals, default 1); missing → "—". */
export function pct(v: number | null | undefined, digits = 1): string {
  return missing(v) ? MISSING : `${(v * 100).toFixed(digits)} %`;
}

/**
 * A difference of two fractions in percentage points, always signed: 0.015 → "+1.5 pts", −0.015 →
 * "−1.5 pts" (a real minus sign), 0 → "±0.0 pts"; missing → "—".
 */
export function pctPoints(v: number | null | undefined, digits = 1): string {
  if (missing(v)) return MISSING;
  const text = Math.abs(v * 100).toFixed(digits);
  const sign = Number(text) === 0 ? '±' : v > 0 ? '+' : '−';
  return `${sign}${text} pts`;
}

/** A number with at most `digits` decimals and no trailing zeros: 0.12345 → "0.123", 2 → "2"; missing → "—". */
export function num(v: number | null | undefined, digits = 3): string {
  return missing(v) ? MISSING : String(Number(v.toFixed(digits)));
}

/** A duration in milliseconds: 12.34 → "12 ms" (`digits` decimals, default 0); missing → "—". */
export function ms(v: number | null | undefined, digits = 0): string {
  return missing(v) ? MISSING : `${v.toFixed(digits)} ms`;
}

/**
 * A file-name piece from a model, image or dataset name: lower case, runs of anything but a–z, 0–9, "."
 * and "_" become one "-", no leading or trailing "-", at most 60 characters; `fallback` when nothing is
 * left. "Trouser #12.png" → "trouser-12.png".
 */
export function slug(s: string, fallback = 'export'): string {
  const out = s
    .toLowerCase()
    .replace(/[^a-z0-9._]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return out || fallback;
}
