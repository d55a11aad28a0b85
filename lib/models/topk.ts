/** Indices and values of the k largest entries of `values`, largest first (ties: lower index first). */
export function topK(values: ArrayLike<number>, k: number): { index: number; value: number }[] {
  const idx = Array.from({ length: values.length }, (_, i) => i);
  idx.sort((a, b) => (values[b] ?? 0) - (values[a] ?? 0) || a - b);
  return idx.slice(0, Math.max(0, k)).map((index) => ({ index, value: values[index] ?? 0 }));
}
