/**
 * Pure sampling helpers for head training: a stratified held-out split, inverse-frequency class weights and
 * per-epoch example orders (shuffled, or class-balanced oversampling). Labels are class indices in [0, K).
 * Deterministic for a seed (lib/random's mulberry32). No tfjs, no DOM.
 */
import { mulberry32 } from '@/lib/random';

/** Fisher–Yates shuffle in place with a uniform source in [0, 1). Returns `a`. */
export function shuffleInPlace<T>(a: T[], rand: () => number): T[] {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const t = a[i] as T;
    a[i] = a[j] as T;
    a[j] = t;
  }
  return a;
}

/** Indices of each class: byClass[c] = indices i with labels[i] = c (in order). */
export function indicesByClass(labels: ArrayLike<number>, k: number): number[][] {
  const out: number[][] = Array.from({ length: k }, () => []);
  for (let i = 0; i < labels.length; i++) {
    const c = labels[i] as number;
    if (!Number.isInteger(c) || c < 0 || c >= k) throw new RangeError(`label ${c} at ${i} is outside [0, ${k})`);
    (out[c] as number[]).push(i);
  }
  return out;
}

/**
 * Stratified split: from every class, round(n_c · fraction) images go to `heldOut` — at least one when the
 * class has two or more images and fraction > 0, never the class's last image (every class keeps ≥ 1 training
 * image). Both lists are sorted ascending.
 */
export function stratifiedSplit(
  labels: ArrayLike<number>,
  k: number,
  fraction: number,
  seed: number,
): { train: number[]; heldOut: number[] } {
  if (!(fraction >= 0 && fraction < 1)) throw new RangeError(`held-out fraction ${fraction} is outside [0, 1)`);
  const rand = mulberry32(seed ^ 0x5eed);
  const train: number[] = [];
  const heldOut: number[] = [];
  for (const idx of indicesByClass(labels, k)) {
    const shuffled = shuffleInPlace([...idx], rand);
    let h = fraction > 0 && shuffled.length >= 2 ? Math.max(1, Math.round(shuffled.length * fraction)) : 0;
    h = Math.min(h, shuffled.length - 1);
    heldOut.push(...shuffled.slice(0, Math.max(0, h)));
    train.push(...shuffled.slice(Math.max(0, h)));
  }
  return { train: train.sort((a, b) => a - b), heldOut: heldOut.sort((a, b) => a - b) };
}

/**
 * Inverse-frequency class weights over `labels` (K classes): w_c = N / (K' · n_c), with K' the number of
 * classes present, so the weighted count of every present class is N / K' and the mean weight per example is 1.
 * An absent class gets weight 0.
 */
export function inverseFrequencyWeights(labels: ArrayLike<number>, k: number): Float32Array {
  const counts = indicesByClass(labels, k).map((c) => c.length);
  const present = counts.filter((n) => n > 0).length;
  const w = new Float32Array(k);
  counts.forEach((n, c) => {
    w[c] = n > 0 ? labels.length / (present * n) : 0;
  });
  return w;
}

/**
 * The example order of one epoch over `pool` (indices into `labels`). Without oversampling: a shuffle of the
 * pool. With oversampling: every class present is drawn as often as the largest one (each class's examples
 * cycled in a fresh shuffle, so every example appears ⌊m/n_c⌋ or ⌈m/n_c⌉ times), then shuffled together.
 */
export function epochOrder(
  pool: readonly number[],
  labels: ArrayLike<number>,
  k: number,
  oversample: boolean,
  rand: () => number,
): number[] {
  if (!oversample) return shuffleInPlace([...pool], rand);
  const byClass: number[][] = Array.from({ length: k }, () => []);
  for (const i of pool) (byClass[labels[i] as number] as number[]).push(i);
  const m = Math.max(0, ...byClass.map((c) => c.length));
  const out: number[] = [];
  for (const members of byClass) {
    if (members.length === 0) continue;
    let cycle: number[] = [];
    for (let j = 0; j < m; j++) {
      if (cycle.length === 0) cycle = shuffleInPlace([...members], rand);
      out.push(cycle.pop() as number);
    }
  }
  return shuffleInPlace(out, rand);
}
