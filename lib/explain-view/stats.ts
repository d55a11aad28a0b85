/** Summary numbers of an attribution map (what tests and the tile captions read instead of pixels). */
export interface MapStats {
  /** Number of values (width·height). */
  count: number;
  /** Over the finite values; 0 when there are none. */
  min: number;
  max: number;
  sum: number;
  /** Values ≠ 0. */
  nonzero: number;
  /** True when every value is finite. */
  finite: boolean;
}

export function mapStats(values: ArrayLike<number>): MapStats {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let nonzero = 0;
  let finite = true;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!Number.isFinite(v)) {
      finite = false;
      continue;
    }
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
    if (v !== 0) nonzero++;
  }
  if (min === Infinity) {
    min = 0;
    max = 0;
  }
  return { count: values.length, min, max, sum, nonzero, finite };
}
