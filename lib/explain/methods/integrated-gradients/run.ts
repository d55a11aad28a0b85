/**
 * Integrated Gradients (Sundararajan, Taly & Yan 2017, https://arxiv.org/abs/1703.01365):
 *   IG_i(x) = (x_i − x'_i) · ∫₀¹ ∂S(x' + α(x − x'))/∂x_i dα,
 * approximated by a quadrature rule (lib/explain/quadrature.ts): Gauss–Legendre with `steps` points (exact for
 * a path integrand that is a polynomial of degree ≤ 2·steps − 1), the trapezoid over `steps` intervals
 * (steps+1 points, end points weighted ½), or left/right/midpoint Riemann sums (steps points).
 * Completeness: Σ_i IG_i ≈ S(x) − S(x').
 * `extras` reports the raw sum, both scores and the relative completeness error
 *   |Σ IG − (S(x) − S(x'))| / max(|S(x) − S(x')|, 1e-12).
 * and `scoreVariation`, Σ |ΔS| over the evaluated points (how far the score travels along the path; when it
 * is much larger than |S(x) − S(x')| the relative error divides by a near-cancellation and means little).
 * The map sums channels by default, so Σ map = Σ IG (the completeness sum is computed before reduction).
 * With `targetError` > 0 the trapezoid is adaptive (lib/explain/quadrature-adaptive.ts): 8 even intervals,
 * then the intervals with the largest exact local error are bisected, `batchSize` points per model call,
 * until the completeness error is within the target or `steps` + 1 points are spent (nested uniform
 * doubling above MAX_ADAPTIVE_VALUES); `stepsUsed` = intervals used. With `timeLimit` > 0 (seconds) no
 * refinement starts that would end past it (judged by the last batch's time per point); `stoppedBy` says
 * which of 'target', 'steps' or 'time' ended the refinement.
 * Model calls: ceil(points / batchSize) gradient passes, plus one forward pass over [x', x] when the rule
 * does not evaluate both end points (Gauss–Legendre, left, right, midpoint).
 */
import { completeness, makeBaseline } from '../../baselines';
import { chunks, evenBatch, nextTick, now, reduceChannels } from '../../common';
import { defineMethod } from '../../define';
import { gradientBatch, targetScores } from '../../gradients';
import type { ScoreKind } from '../../types';
import { quadrature } from '../../quadrature';
import { nextAlphas, scoreVariation, trapezoidTotal, trapezoidWeights, type PathNode } from '../../quadrature-adaptive';
import { integratedGradientsMeta, type RiemannRule } from './meta';

export type { IgBaseline, IntegratedGradientsConfig, RiemannRule } from './meta';
export { completeness, makeBaseline, type CompletenessExtras } from '../../baselines';

/** Interpolation points α_k and weights w_k of the chosen rule (Σ w_k = 1): see lib/explain/quadrature.ts. */
export function riemannPoints(steps: number, rule: RiemannRule): { alphas: number[]; weights: number[] } {
  return quadrature(steps, rule);
}

/**
 * The trapezoid's nested levels up to `steps` intervals: halve while even and ≥ 2·MIN_LEVEL_STEPS (64 → 8, 16,
 * 32, 64; 100 → 25, 50, 100; 7 → 7). Each level's points are the previous level's plus its midpoints.
 */
export function trapezoidLevels(steps: number): number[] {
  const levels = [steps];
  for (let n = steps; n % 2 === 0 && n / 2 >= MIN_LEVEL_STEPS; n /= 2) levels.unshift(n / 2);
  return levels;
}
/** The first level of the refining trapezoid has at least this many intervals (fewer agree by chance). */
const MIN_LEVEL_STEPS = 8;

/** Σ |ΔS| along the evaluated points with both ends added: how far the score travels (≥ |S(x) − S(x′)|). */
function pathVariation(path: readonly [number, number][], atBaseline: number, atInput: number): number {
  const byAlpha = new Map<number, number>([[0, atBaseline], [1, atInput], ...path]);
  const alphas = [...byAlpha.keys()].sort((a, b) => a - b);
  return scoreVariation(alphas.map((alpha) => ({ alpha, score: byAlpha.get(alpha) as number, slope: 0 })));
}

/**
 * The most gradient values the adaptive trapezoid keeps (one Float32Array per path point; 2²⁵ floats =
 * 128 MiB). Above it (e.g. 1024 steps at 224×224×3) the refinement is uniform and keeps only running sums.
 */
export const MAX_ADAPTIVE_VALUES = 2 ** 25;

export const integratedGradients = defineMethod(integratedGradientsMeta, async (ctx) => {
  const { adapter, input, target, config } = ctx;
  const startedAt = now();
  const baseline = makeBaseline(input, config);
  const size = input.data.length;
  const diff = new Float32Array(size);
  for (let i = 0; i < size; i++) diff[i] = (input.data[i] as number) - (baseline[i] as number);
  let scoreKind: ScoreKind = 'logit';
  let passes = 0;
  let scoreBaseline = Number.NaN;
  let scoreInput = Number.NaN;
  const refine = config.rule === 'trapezoid' && config.targetError > 0;
  const totalPoints = config.rule === 'trapezoid' ? config.steps + 1 : config.steps;
  let evaluated = 0;
  /** Time per path point of the last batch (ms): what the next refinement is judged by. */
  let msPerPoint = 0;
  let stoppedBy: 'target' | 'steps' | 'time' | undefined;
  /** Whether `points` more path points would end past the time limit. */
  const overTime = (points: number) =>
    config.timeLimit > 0 && now() - startedAt + points * msPerPoint > config.timeLimit * 1000;
  /** (α, S(α)) of every evaluated point: the score's path, for its variation. */
  const path: [number, number][] = [];
  /**
   * Gradients at the path points `alphas` (chunked, cancellable): `visit(k, grads, offset, score)` per point k,
   * its gradient being grads[offset .. offset + size).
   */
  async function evaluate(
    alphas: readonly number[],
    visit: (k: number, grads: Float32Array, offset: number, score: number) => void,
  ) {
    for (const [start, n] of chunks(alphas.length, evenBatch(alphas.length, config.batchSize))) {
      ctx.throwIfAborted();
      const t0 = now();
      const batch = new Float32Array(n * size);
      for (let b = 0; b < n; b++) {
        const a = alphas[start + b] as number;
        for (let i = 0; i < size; i++) batch[b * size + i] = (baseline[i] as number) + a * (diff[i] as number);
      }
      const r = await gradientBatch(adapter, batch, n, input, target);
      passes += 1;
      scoreKind = r.scoreKind;
      for (let b = 0; b < n; b++) {
        const a = alphas[start + b] as number;
        const score = r.targetScores[b] as number;
        if (a === 0) scoreBaseline = score;
        if (a === 1) scoreInput = score;
        path.push([a, score]);
        visit(start + b, r.grads, b * size, score);
      }
      evaluated += n;
      msPerPoint = (now() - t0) / n;
      ctx.onProgress(Math.min(1, evaluated / totalPoints));
      await nextTick();
    }
  }
  /** Adds w_k · gradient into `into` at every point. */
  const accumulate = (alphas: readonly number[], weights: readonly number[], into: Float64Array) =>
    evaluate(alphas, (k, g, o) => {
      const w = weights[k] as number;
      for (let i = 0; i < size; i++) into[i] = (into[i] as number) + w * (g[o + i] as number);
    });
  const total = (g: Float64Array, scale: number) => {
    let t = 0;
    for (let i = 0; i < size; i++) t += (diff[i] as number) * (g[i] as number) * scale;
    return t;
  };
  const withinTarget = (sum: number) => {
    const delta = scoreInput - scoreBaseline;
    return Math.abs(sum - delta) <= config.targetError * Math.max(Math.abs(delta), 1e-12);
  };
  const gradSum = new Float64Array(size);
  let stepsUsed = config.steps;
  if (refine && (config.steps + 1) * size <= MAX_ADAPTIVE_VALUES) {
    // Adaptive trapezoid (quadrature-adaptive.ts): 8 even panels, then bisect the panels whose exact local
    // error is largest, a batch of points per model call, until the completeness error is within the target
    // or steps + 1 points are spent.
    const nodes: PathNode[] = [];
    const grads = new Map<number, Float32Array>();
    const add = async (alphas: readonly number[]) => {
      await evaluate(alphas, (k, g, o, score) => {
        const a = alphas[k] as number;
        const copy = g.slice(o, o + size);
        let slope = 0;
        for (let i = 0; i < size; i++) slope += (diff[i] as number) * (copy[i] as number);
        grads.set(a, copy);
        nodes.push({ alpha: a, score, slope });
      });
      nodes.sort((p, q) => p.alpha - q.alpha);
    };
    const first = Math.min(MIN_LEVEL_STEPS, config.steps);
    await add(Array.from({ length: first + 1 }, (_, k) => k / first));
    for (;;) {
      if (withinTarget(trapezoidTotal(nodes))) {
        stoppedBy = 'target';
        break;
      }
      const room = config.steps + 1 - nodes.length;
      const next = room > 0 ? nextAlphas(nodes, Math.min(config.batchSize, room)) : [];
      if (next.length === 0) {
        stoppedBy = 'steps';
        break;
      }
      // Near the time limit: the panels with the largest errors that still fit, else stop here.
      let take = next.length;
      while (take > 0 && overTime(take)) take = Math.floor(take / 2);
      if (take === 0) {
        stoppedBy = 'time';
        break;
      }
      await add(take === next.length ? next : nextAlphas(nodes, take));
    }
    const alphas = nodes.map((p) => p.alpha);
    const weights = trapezoidWeights(alphas);
    alphas.forEach((a, j) => {
      const g = grads.get(a) as Float32Array;
      const w = weights[j] as number;
      for (let i = 0; i < size; i++) gradSum[i] = (gradSum[i] as number) + w * (g[i] as number);
    });
    stepsUsed = nodes.length - 1;
    if (stepsUsed < config.steps) ctx.onProgress(1); // stopped early (all points spent already reported 1)
  } else if (refine) {
    // Too many values to keep: the nested uniform trapezoid, doubled level by level until the completeness
    // error is within the target (the points of a level are all reused by the next; only sums are kept).
    const sums = new Float64Array(size);
    let prev = 0;
    stoppedBy = 'steps';
    for (const n of trapezoidLevels(config.steps)) {
      if (prev > 0 && overTime(n - prev)) {
        stoppedBy = 'time';
        break;
      }
      const alphas: number[] = [];
      const weights: number[] = [];
      for (let k = 0; k <= n; k++) {
        if (prev > 0 && k % 2 === 0) continue; // already evaluated at the previous level
        alphas.push(k / n);
        weights.push(k === 0 || k === n ? 0.5 : 1);
      }
      await accumulate(alphas, weights, sums);
      prev = n;
      stepsUsed = n;
      if (withinTarget(total(sums, 1 / n))) {
        stoppedBy = 'target';
        break;
      }
    }
    for (let i = 0; i < size; i++) gradSum[i] = (sums[i] as number) / stepsUsed;
    if (stepsUsed < config.steps) ctx.onProgress(1);
  } else {
    const { alphas, weights } = riemannPoints(config.steps, config.rule);
    await accumulate(alphas, weights, gradSum);
  }
  if (Number.isNaN(scoreBaseline) || Number.isNaN(scoreInput)) {
    ctx.throwIfAborted();
    const [sb, si] = await targetScores(adapter, [baseline, input.data], input, target);
    passes += 1;
    scoreBaseline = sb as number;
    scoreInput = si as number;
  }
  const attributions = new Float32Array(size);
  let sum = 0;
  for (let i = 0; i < size; i++) {
    const v = (diff[i] as number) * (gradSum[i] as number);
    attributions[i] = v;
    sum += v;
  }
  const values = reduceChannels(
    attributions,
    input.height,
    input.width,
    input.channels,
    config.reduction,
    config.absolute,
  );
  const { baselineImage, ...rest } = config;
  return {
    values,
    scoreKind,
    forwardPasses: passes,
    reportedConfig: {
      ...rest,
      baselineImage: baselineImage
        ? { width: baselineImage.width, height: baselineImage.height, channels: baselineImage.channels }
        : null,
    },
    extras: {
      ...completeness(sum, scoreInput, scoreBaseline),
      stepsUsed,
      ...(stoppedBy ? { stoppedBy } : {}),
      scoreVariation: pathVariation(path, scoreBaseline, scoreInput),
    },
  };
});
