/**
 * Plain-array scores for the head-training curve: mean (optionally class-weighted) softmax cross entropy,
 * accuracy and per-class recall from logits [n × K] (row-major). No tfjs.
 */

/** argmax of row i of a row-major [n × k] matrix (first of equals). */
export function rowArgmax(m: ArrayLike<number>, k: number, i: number): number {
  let best = 0;
  for (let c = 1; c < k; c++) if ((m[i * k + c] as number) > (m[i * k + best] as number)) best = c;
  return best;
}

/**
 * Scores of logits [n × k] against labels [n]: `loss` = Σ w_y · (−log softmax_y) / Σ w_y (w = 1 without
 * weights; NaN for n = 0), `accuracy` in [0, 1] (NaN for n = 0), `recall[c]` (null for a class with no example).
 */
export function scoreLogits(
  logits: ArrayLike<number>,
  labels: ArrayLike<number>,
  k: number,
  weights?: ArrayLike<number>,
): { loss: number; accuracy: number; recall: (number | null)[] } {
  const n = labels.length;
  let lossSum = 0;
  let wSum = 0;
  let correct = 0;
  const hits = new Array<number>(k).fill(0);
  const totals = new Array<number>(k).fill(0);
  for (let i = 0; i < n; i++) {
    const y = labels[i] as number;
    let max = -Infinity;
    for (let c = 0; c < k; c++) max = Math.max(max, logits[i * k + c] as number);
    let z = 0;
    for (let c = 0; c < k; c++) z += Math.exp((logits[i * k + c] as number) - max);
    const nll = Math.log(z) + max - (logits[i * k + y] as number);
    const w = weights ? (weights[y] as number) : 1;
    lossSum += w * nll;
    wSum += w;
    totals[y] = (totals[y] ?? 0) + 1;
    if (rowArgmax(logits, k, i) === y) {
      correct++;
      hits[y] = (hits[y] ?? 0) + 1;
    }
  }
  return {
    loss: wSum > 0 ? lossSum / wSum : NaN,
    accuracy: n > 0 ? correct / n : NaN,
    recall: totals.map((t, c) => (t > 0 ? (hits[c] ?? 0) / t : null)),
  };
}
