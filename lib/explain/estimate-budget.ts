/**
 * Budget-sized defaults (issue 12 item 5): for the slow methods, the parameter that sets the work (IG and
 * Guided IG steps, SmoothGrad samples, RISE masks, occlusion's patch and stride) is chosen so that a run
 * takes about `BUDGET_MS` on this model and backend (estimate.ts), never above the method's own default
 * quality and never below a quality floor. Occlusion's patch and stride are first scaled to the input size
 * (the 28×28 defaults keep their share of the image). Pure, tfjs-free: the worker applies it, the page shows it.
 *
 * A value the user changed is kept: a key counts as set when its value differs from the method's default
 * (the same rule the URL and "defaults" labels use), so a user who types exactly the default gets the sized
 * value. Other methods (one or two passes) are never sized.
 */
import { windowStarts } from './methods/occlusion/windows';
import { BUDGET_MS, estimateMs, runBatch, sliceBatch, usesGradients, type PassTimings } from './estimate';
import type { MethodConfig, MethodMeta } from './types';

/** One candidate setting of a method's work knob, from the best (slowest) to the cheapest. */
interface Candidate {
  overrides: Record<string, number>;
  /** Words for the cheaper-alternative hint, e.g. "stride 16", "16 steps". */
  label: string;
}

/** Quality floors: below these the maps get visibly worse (blotchy RISE, completeness errors, speckle). */
export const QUALITY_FLOORS = {
  'integrated-gradients': 8,
  'guided-ig': 16,
  smoothgrad: 8,
  rise: 200,
} as const;

/** `ratio`: each candidate is about this share of the previous (IG halves, so its refining trapezoid nests). */
const NUMERIC_KNOBS: Record<string, { key: string; floor: number; words: (v: number) => string; ratio?: number }> = {
  'integrated-gradients': {
    key: 'steps',
    floor: QUALITY_FLOORS['integrated-gradients'],
    words: (v) => `${v} steps`,
    ratio: 0.5,
  },
  'guided-ig': { key: 'steps', floor: QUALITY_FLOORS['guided-ig'], words: (v) => `${v} steps` },
  smoothgrad: { key: 'numSamples', floor: QUALITY_FLOORS.smoothgrad, words: (v) => `${v} samples` },
  rise: { key: 'numMasks', floor: QUALITY_FLOORS.rise, words: (v) => `${v} masks` },
};

/** Descending values from `top` to `floor` (each ~`ratio` of the previous), both included. */
function descending(top: number, floor: number, ratio = 0.7): number[] {
  const out: number[] = [];
  for (let v = top; v > floor; v = Math.max(floor, Math.min(v - 1, Math.round(v * ratio)))) out.push(v);
  out.push(Math.min(top, floor));
  return out;
}

/**
 * Occlusion's candidates: the default patch and stride scaled to the shorter side (28 px ↦ the defaults),
 * then the stride doubled (patch = the scaled ratio) while at least 4 windows fit per side.
 */
export function occlusionCandidates(meta: Pick<MethodMeta, 'defaultConfig'>, side: number): Candidate[] {
  const w0 = Number(meta.defaultConfig.windowSize);
  const s0 = Number(meta.defaultConfig.stride);
  const scale = side / 28;
  const out: Candidate[] = [];
  for (let k = 1; ; k *= 2) {
    const stride = Math.max(1, Math.round(s0 * scale * k));
    const windowSize = Math.min(side, Math.max(1, Math.round(w0 * scale * k)));
    if (out.length > 0 && windowStarts(side, windowSize, stride).length < 4) break;
    out.push({ overrides: { windowSize, stride }, label: `stride ${stride} (patch ${windowSize})` });
    if (windowSize >= side) break;
  }
  return out;
}

/** Integrated Gradients with the refining trapezoid (a completeness target), which may stop early. */
export function adaptiveIg(config: MethodConfig): boolean {
  return (config.rule ?? 'trapezoid') === 'trapezoid' && Number(config.targetError ?? 0) > 0;
}

/**
 * The estimate of an IG run with a time limit: the first level (8 intervals) always runs, then refinement
 * stops at the limit, so at most max(first level, limit) and never more than every step.
 */
function timeLimitedMs(meta: SizedMeta, config: MethodConfig, full: number, at: (c: MethodConfig) => number): number {
  const limit = Number(config.timeLimit ?? 0);
  if (meta.id !== 'integrated-gradients' || !adaptiveIg(config) || !(limit > 0)) return full;
  const first = at({ ...config, steps: Math.min(8, Number(config.steps)) });
  return Math.min(full, Math.max(first, limit * 1000));
}

/** The candidates of `meta` under `config` (empty: nothing to size, or the user set the knob). */
export function budgetCandidates(
  meta: Pick<MethodMeta, 'id' | 'defaultConfig'>,
  config: MethodConfig,
  inputShape: readonly [number, number, number],
  budgetMs = BUDGET_MS,
): Candidate[] {
  const set = (key: string) => config[key] !== undefined && config[key] !== meta.defaultConfig[key];
  if (meta.id === 'occlusion') {
    if (set('windowSize') || set('stride')) return [];
    return occlusionCandidates(meta, Math.min(inputShape[0], inputShape[1]));
  }
  if (meta.id === 'integrated-gradients' && adaptiveIg(config)) {
    // The adaptive trapezoid stops at its target, mostly long before its step limit: cutting the limit would
    // stop it before the target on the paths that need more steps, so a time limit is set instead.
    if (set('steps') || set('timeLimit')) return [];
    const seconds = Math.max(1, Math.round(budgetMs / 1000));
    return [
      { overrides: { timeLimit: 0 }, label: `${meta.defaultConfig.steps} steps` },
      { overrides: { timeLimit: seconds }, label: `stop adding steps after ${seconds} s` },
    ];
  }
  const knob = NUMERIC_KNOBS[meta.id];
  if (!knob || set(knob.key)) return [];
  const top = Number(meta.defaultConfig[knob.key]);
  return descending(top, knob.floor, knob.ratio).map((v) => ({ overrides: { [knob.key]: v }, label: knob.words(v) }));
}

export interface SizedConfig {
  /** The config to run: `config` with the sized values. */
  config: MethodConfig;
  /** The values that were sized (empty when nothing was). */
  overrides: Record<string, number>;
  /** Estimated run time of `config`, ms. */
  estimateMs: number;
}

/** One model's situation for planning a run: its input [h, w, c], its measured passes and the limits. */
export interface BudgetContext {
  inputShape: readonly [number, number, number];
  timings: PassTimings;
  /** Default BUDGET_MS. */
  budgetMs?: number;
  /** The worker's batch cap (memory and Cancel slicing). */
  maxBatch?: number;
  /** Measured ÷ estimated time of this method's earlier runs here (RunBasis.factors); default 1. */
  factor?: number;
}

/** The budget and the estimator of `meta` in `ctx`. */
function estimator(meta: SizedMeta, ctx: BudgetContext) {
  const at = (c: MethodConfig) => estimateMs(meta, c, ctx.inputShape, ctx.timings, ctx.maxBatch) * (ctx.factor ?? 1);
  const budget = ctx.budgetMs ?? BUDGET_MS;
  return { budget, est: (c: MethodConfig) => timeLimitedMs(meta, c, at(c), at) };
}

type SizedMeta = Pick<MethodMeta, 'id' | 'defaultConfig' | 'requires' | 'cost'>;

/**
 * The first candidate (best quality first) that fits the budget, or the cheapest one (the floor) when none
 * does; `config` unchanged when the method has nothing to size or the user set it.
 */
export function sizeToBudget(meta: SizedMeta, config: MethodConfig, ctx: BudgetContext): SizedConfig {
  const { budget, est } = estimator(meta, ctx);
  const candidates = budgetCandidates(meta, config, ctx.inputShape, budget);
  let pick: Candidate | undefined;
  for (const c of candidates) {
    pick = c;
    if (est({ ...config, ...c.overrides }) <= budget) break;
  }
  if (!pick) return { config, overrides: {}, estimateMs: est(config) };
  const sized = { ...config, ...pick.overrides };
  const changed = Object.entries(pick.overrides).some(([k, v]) => config[k] !== v);
  return { config: sized, overrides: changed ? pick.overrides : {}, estimateMs: est(sized) };
}

/** A cheaper setting of a method's knob, with words and its estimate. */
export interface Alternative {
  overrides: Record<string, number>;
  label: string;
  estimateMs: number;
}

/**
 * When `config` (as the user set it) is estimated above the budget: the setting of the same knob that fits
 * it (or the cheapest), with its estimate — "stride 16 (patch 32) takes about 6 s". Null when it fits,
 * when the method has no knob, or when no cheaper candidate exists.
 */
export function cheaperAlternative(meta: SizedMeta, config: MethodConfig, ctx: BudgetContext): Alternative | null {
  const { budget, est } = estimator(meta, ctx);
  const now = est(config);
  if (now <= budget) return null;
  // The knob's candidates as if the user had not set it.
  const unset: MethodConfig = { ...config };
  for (const k of ['steps', 'timeLimit', 'numSamples', 'numMasks', 'windowSize', 'stride']) {
    if (k in meta.defaultConfig) unset[k] = meta.defaultConfig[k];
  }
  const candidates = budgetCandidates(meta, unset, ctx.inputShape, budget);
  let best: Alternative | null = null;
  for (const c of candidates) {
    const ms = est({ ...config, ...c.overrides });
    if (ms >= now) continue;
    best = { overrides: c.overrides, label: c.label, estimateMs: ms };
    if (ms <= budget) break;
  }
  return best;
}

/** What the worker reports for planning runs on one model: its measured passes and its memory batch cap. */
export interface RunBasis {
  timings: PassTimings;
  /** The largest batch the worker allows for this model's input (memory). */
  maxBatch: number;
  /**
   * Per method: measured ÷ estimated time of its earlier runs on this model and backend (the work a method
   * does outside the model — masks, patches, the guided path — that the passes do not measure). Absent: 1.
   */
  factors?: Record<string, number>;
}

export interface RunPlan extends SizedConfig {
  /** The batch per model call: the config's, capped by memory and sliced so a call takes ≤ SLICE_MS. */
  batch: number;
  /** The learnt factor applied to the estimate (1 before the method's first run here). */
  factor: number;
}

/**
 * How the worker runs `config` (full, as the page sends it): the batch capped by memory and sliced for a
 * quick Cancel (`batchSize` in the returned config when the method has one), then the work sized to the
 * budget. The page calls the same function to show the estimate and the sized values before the run.
 */
export function planRun(
  meta: SizedMeta,
  config: MethodConfig,
  inputShape: readonly [number, number, number],
  basis: RunBasis,
  opts: { budgetMs?: number } = {},
): RunPlan {
  const pair = usesGradients(meta) ? basis.timings.gradientMs : basis.timings.forwardMs;
  const batch = sliceBatch(runBatch(config, basis.maxBatch), pair, basis.timings.batch);
  const withBatch = typeof config.batchSize === 'number' ? { ...config, batchSize: batch } : config;
  const sized = sizeToBudget(meta, withBatch, {
    inputShape,
    timings: basis.timings,
    budgetMs: opts.budgetMs,
    maxBatch: batch,
    factor: basis.factors?.[meta.id],
  });
  return { ...sized, batch, factor: basis.factors?.[meta.id] ?? 1 };
}

/**
 * The estimate (without the learnt factor) of the work a finished run actually did, for learning the factor:
 * a run that stopped early — Integrated Gradients' adaptive trapezoid reports `extras.stepsUsed` below its
 * `steps` — is re-estimated at the steps it used, so the factor measures speed and not the early stop
 * (otherwise one easy image would shrink every later estimate, and the budget would pick too many steps).
 */
export function doneEstimateMs(
  meta: SizedMeta,
  plan: RunPlan,
  extras: unknown,
  inputShape: readonly [number, number, number],
  timings: PassTimings,
): number {
  const used = (extras as { stepsUsed?: unknown } | undefined)?.stepsUsed;
  const steps = plan.config.steps;
  if (typeof used !== 'number' || typeof steps !== 'number' || !(used > 0 && used < steps)) {
    return plan.estimateMs / plan.factor;
  }
  return estimateMs(meta, { ...plan.config, steps: used }, inputShape, timings, plan.batch);
}
