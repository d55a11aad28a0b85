/**
 * Merging classes ("treat T-shirt/top and Shirt as one class") for the Evaluate view.
 *
 * A merge is given as groups of original class indices, e.g. [[0, 6]]. Classes not named in any group stay
 * as singletons. New class order: each new class sits where the smallest original index of its group was,
 * and the rest keep their relative order — e.g. Fashion-MNIST with [[0, 6]] gives
 * 0 "T-shirt/top + Shirt", 1 Trouser, …, 5 Sandal, 6 Sneaker, 7 Bag, 8 Ankle boot.
 *
 * What happens to each quantity:
 * - labels / predictions: mapped through `map` (old index → new index).
 * - posteriors: the columns of a group are summed (p(G|x) = Σ_{i∈G} p(i|x)); rows still sum to 1.
 * - confusion matrix: the rows of a group are added and its columns are added. This equals the confusion
 *   matrix of the mapped labels against the mapped predictions (tested).
 * - label names: the group's names in ascending index order joined by " + ".
 * - cost matrix: see `mergeCostMatrix` for the rule.
 */
import {
  assertClassCount,
  assertClassIndices,
  MetricsError,
  rowCount,
  type ClassIndexArray,
  type ProbArray,
} from './common';
import type { ConfusionMatrix } from './confusion';
import { validateCostMatrix, type CostMatrix } from './cost';

export interface ClassMapping {
  /** Number of classes before the merge. */
  oldK: number;
  /** Number of classes after the merge. */
  newK: number;
  /** length oldK: new index of each original class. */
  map: Int32Array;
  /** length newK: original classes of each new class, ascending. */
  members: number[][];
  /** length newK when original labels were given (names joined with " + "), else []. */
  labels: string[];
}

/**
 * Builds the old→new mapping.
 * @param k      number of original classes
 * @param groups disjoint lists of original indices in [0, k); a group of one is allowed (no change)
 * @param labels optional original class names, length k
 * Throws MetricsError on an empty group, an index out of range, a non-integer, or an index in two groups.
 */
export function classMapping(
  k: number,
  groups: readonly (readonly number[])[],
  labels?: readonly string[],
): ClassMapping {
  assertClassCount(k);
  if (labels && labels.length !== k) throw new MetricsError(`${labels.length} labels given for ${k} classes.`);
  const groupOf = new Int32Array(k).fill(-1);
  groups.forEach((g, gi) => {
    if (g.length === 0) throw new MetricsError(`Merge group ${gi + 1} is empty.`);
    for (const c of g) {
      if (!Number.isInteger(c) || c < 0 || c >= k)
        throw new MetricsError(`Merge group ${gi + 1}: ${c} is not a class index in [0, ${k}).`);
      const prev = groupOf[c] as number;
      if (prev !== -1 && prev !== gi)
        throw new MetricsError(`Class ${labels?.[c] ?? c} is in merge groups ${prev + 1} and ${gi + 1}.`);
      groupOf[c] = gi;
    }
  });
  const map = new Int32Array(k).fill(-1);
  const members: number[][] = [];
  for (let c = 0; c < k; c++) {
    if ((map[c] as number) !== -1) continue;
    const gi = groupOf[c] as number;
    const group = gi === -1 ? [c] : [...new Set(groups[gi] as readonly number[])].sort((a, b) => a - b);
    for (const m of group) map[m] = members.length;
    members.push(group);
  }
  return {
    oldK: k,
    newK: members.length,
    map,
    members,
    labels: labels ? members.map((g) => g.map((c) => labels[c] as string).join(' + ')) : [],
  };
}

/** Maps class indices (labels or predictions) to merged indices. Returns a new Int32Array [N]. */
export function mapClasses(indices: ClassIndexArray, m: ClassMapping): Int32Array {
  assertClassIndices(indices, m.oldK, 'class indices');
  return Int32Array.from({ length: indices.length }, (_, i) => m.map[indices[i] as number] as number);
}

/**
 * Sums the posterior columns of each group.
 * @param probs [N×oldK] row-major
 * @returns new Float32Array [N×newK]
 */
export function mergeProbs(probs: ProbArray, m: ClassMapping): Float32Array {
  const n = rowCount(probs, m.oldK);
  const out = new Float32Array(n * m.newK);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < m.oldK; c++) {
      const idx = r * m.newK + (m.map[c] as number);
      out[idx] = (out[idx] as number) + (probs[r * m.oldK + c] as number);
    }
  }
  return out;
}

/** Adds the rows and the columns of each group: counts'[G][H] = Σ_{i∈G} Σ_{j∈H} counts[i][j]. */
export function mergeConfusion(cm: ConfusionMatrix, m: ClassMapping): ConfusionMatrix {
  if (cm.k !== m.oldK) throw new MetricsError(`The confusion matrix has ${cm.k} classes; the merge expects ${m.oldK}.`);
  const counts = new Int32Array(m.newK * m.newK);
  for (let t = 0; t < cm.k; t++) {
    for (let p = 0; p < cm.k; p++) {
      const idx = (m.map[t] as number) * m.newK + (m.map[p] as number);
      counts[idx] = (counts[idx] as number) + (cm.counts[t * cm.k + p] as number);
    }
  }
  return { k: m.newK, n: cm.n, counts };
}

/**
 * Maps a K×K cost matrix onto the merged classes. The rule (G, H are merged classes; w_i = π(i) / Σ_{i'∈G} π(i')
 * are the training/deployment priors renormalised within G, uniform when `priors` is omitted or zero on G):
 *
 * - Off-diagonal, G ≠ H:  C'(G, H) = Σ_{i∈G} w_i · mean_{j∈H} C(i, j)
 *   Rows: prior-weighted mean over the true classes in G (the expected cost given "the truth is in G" when
 *   the mix inside G follows the priors). Columns: plain mean over the decisions in H (a merged decision does
 *   not say which original decision it stands for, so each is taken as equally likely).
 * - Diagonal, G = G:  C'(G, G) = Σ_{i∈G} w_i · C(i, i)
 *   Confusions inside a merged group are no longer mistakes, so their off-diagonal costs are dropped; the
 *   diagonal keeps the (usually zero) cost of a correct decision.
 *
 * This is a reasonable default, not the only choice: when the costs inside a group differ a lot, the UI should
 * show the merged matrix and let the user edit it.
 *
 * @param priors optional length-K non-negative weights (need not sum to 1)
 */
export function mergeCostMatrix(c: CostMatrix, m: ClassMapping, priors?: ArrayLike<number>): CostMatrix {
  validateCostMatrix(c, m.oldK);
  if (priors && priors.length !== m.oldK)
    throw new MetricsError(`${priors.length} priors given for ${m.oldK} classes.`);
  if (priors) {
    for (let i = 0; i < priors.length; i++) {
      const v = priors[i] as number;
      if (!Number.isFinite(v) || v < 0) throw new MetricsError(`Prior ${i} = ${v} must be a finite number ≥ 0.`);
    }
  }
  const weights = m.members.map((g) => {
    const raw = g.map((i) => (priors ? (priors[i] as number) : 1));
    const s = raw.reduce((a, b) => a + b, 0);
    return s > 0 ? raw.map((v) => v / s) : g.map(() => 1 / g.length);
  });
  const matrix = m.members.map((g, G) =>
    m.members.map((h, H) => {
      const w = weights[G] as number[];
      let acc = 0;
      g.forEach((i, gi) => {
        const row = c.matrix[i] as number[];
        const v = G === H ? (row[i] as number) : h.reduce((s, j) => s + (row[j] as number), 0) / h.length;
        acc += (w[gi] as number) * v;
      });
      return acc;
    }),
  );
  const labels =
    m.labels.length === m.newK ? m.labels : m.members.map((g) => g.map((i) => c.labels[i] as string).join(' + '));
  return { labels, matrix };
}
