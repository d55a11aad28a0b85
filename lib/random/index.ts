/**
 * The one seeded random source of the app: `mulberry32` (uniform floats) and `gaussian` (standard normal
 * over any uniform source). Used by methods that sample (SmoothGrad noise, RISE masks, IG's random
 * baselines), the bench and property tests. Deterministic for a seed; not cryptographic. No tfjs, no DOM.
 */

/**
 * Mulberry32 (Tommy Ettinger's 32-bit generator): returns a function yielding floats in [0, 1).
 * `seed` is taken modulo 2³² (negative and fractional seeds are folded by `>>> 0`). Period 2³².
 */
export function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Standard-normal sampler (Box–Muller, both values of each pair used) over a uniform source in [0, 1).
 * The first uniform is clamped to ≥ 1e-12 so log(0) never occurs; outputs are finite.
 */
export function gaussian(rand: () => number): () => number {
  let spare: number | undefined;
  return () => {
    if (spare !== undefined) {
      const s = spare;
      spare = undefined;
      return s;
    }
    const u = Math.max(rand(), 1e-12);
    const v = rand();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
}
