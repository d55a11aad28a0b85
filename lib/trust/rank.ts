/**
 * Ranking methods by faithfulness (pure): the All-methods grid and the set-level table order their rows by
 * deletion area (ascending: lower is better) or insertion area (descending: higher is better).
 */

/** How rows are ordered: as given, by deletion AUC (best = lowest first) or by insertion AUC (best = highest first). */
export type FaithfulnessOrder = 'listed' | 'deletion' | 'insertion';

export interface AucPair {
  deletion: number;
  insertion: number;
}

/**
 * `items` in the chosen order; `scoreOf` gives an item's areas or undefined (not measured yet). Unmeasured or
 * NaN items go last, in their given order; equal scores keep their given order (stable). Returns a new array.
 */
export function rankByFaithfulness<T>(
  items: readonly T[],
  order: FaithfulnessOrder,
  scoreOf: (item: T) => AucPair | undefined,
): T[] {
  if (order === 'listed') return [...items];
  const key = (t: T): number => {
    const s = scoreOf(t);
    const v = s ? s[order] : NaN;
    if (!Number.isFinite(v)) return Infinity;
    return order === 'deletion' ? v : -v;
  };
  return items
    .map((t, i) => ({ t, i, k: key(t) }))
    .sort((a, b) => (a.k === b.k ? a.i - b.i : a.k < b.k ? -1 : 1))
    .map((x) => x.t);
}
