/**
 * The method catalog: every explanation method's plain metadata (label, help text, reference, default
 * configuration, parameter specs, requirements, cost formula), in the order the UI lists them, and the
 * lookups the UI needs — WITHOUT the code that runs a method. It imports no TensorFlow.js, directly or
 * indirectly (only `methods/<id>/meta.ts` files and tfjs-free helpers), so the page (main thread) can
 * import it; tfjs lives only in the worker, which uses registry.ts.
 *
 * `METHOD_METAS` is THE list: `MethodId` is derived from it, and the registry, the README section, the
 * bench's accounting and every test list derive from it. Adding a method = its folder + one line here + one
 * entry in registry.ts's `RUNNABLE` (a compile error reminds you).
 */
import { defineMeta, isSigned as isSignedMeta } from './meta';
import { gradCamMeta } from './methods/grad-cam/meta';
import { gradCamPlusPlusMeta } from './methods/grad-cam-plus-plus/meta';
import { gradientXInputMeta } from './methods/gradient-x-input/meta';
import { guidedIgMeta } from './methods/guided-ig/meta';
import { integratedGradientsMeta } from './methods/integrated-gradients/meta';
import { occlusionMeta } from './methods/occlusion/meta';
import { riseMeta } from './methods/rise/meta';
import { saliencyMeta } from './methods/saliency/meta';
import { smoothgradMeta } from './methods/smoothgrad/meta';
import type { RUNNABLE } from './registry';
import { ExplainError, type Attribution, type MethodMeta } from './types';
import type { ModelInfo } from '@/lib/models/types';
import type { MethodVerdict, ModelProbe } from '@/lib/runtime/probe-types';

/** All methods' metadata, in the order the UI lists them (number keys 1–9 follow it: append new methods). */
export const METHOD_METAS = [
  saliencyMeta,
  gradientXInputMeta,
  smoothgradMeta,
  integratedGradientsMeta,
  gradCamMeta,
  gradCamPlusPlusMeta,
  occlusionMeta,
  riseMeta,
  guidedIgMeta,
] as const;

/** The id of a registered method. */
export type MethodId = (typeof METHOD_METAS)[number]['id'];

/** Every method id, in catalog order. */
export const METHOD_IDS: readonly MethodId[] = METHOD_METAS.map((m) => m.id);

/** The catalog as plain `MethodMeta`s (config types erased), for code that handles any method. */
const METAS: readonly MethodMeta[] = METHOD_METAS;

export function listMethodMetas(): readonly MethodMeta[] {
  return METAS;
}

/** Whether `id` names a registered method. */
export function isMethodId(id: unknown): id is MethodId {
  return typeof id === 'string' && METAS.some((m) => m.id === id);
}

/** The metadata of the method with this id; throws ExplainError for an unknown id. */
export function getMethodMeta(id: MethodId | string): MethodMeta {
  const m = METAS.find((x) => x.id === id);
  if (!m) throw new ExplainError(`unknown explanation method "${id}"`);
  return m;
}

/**
 * The methods this model supports (every `requires` entry is a capability of the model; e.g. no CAM
 * methods without a spatial layer). With the capability probe's result (lib/runtime/probe.ts), only those
 * that can also run on the probed backend; without it (not probed yet, or it failed), all of them.
 */
export function compatibleMethods(info: ModelInfo, probe?: Pick<ModelProbe, 'methods'> | null): MethodMeta[] {
  return METAS.filter((m) => m.isCompatible(info) && probe?.methods[m.id]?.ok !== false);
}

/** A compatible method and the probe's verdict on it (`verdict` undefined: not probed, or not yet). */
export interface MethodChoice {
  meta: MethodMeta;
  verdict?: MethodVerdict;
  /** False when the probe refused it (show it disabled with `verdict.reason`). */
  runnable: boolean;
  /** Offered, but its check has not run yet (an incomplete probe): it may be chosen, not started. */
  pending: boolean;
}

/**
 * Every method compatible with the model's structure, in catalog order, each with the probe's verdict.
 * Without a probe (none yet, or it failed) every method is runnable and none pending.
 */
export function methodChoices(
  info: ModelInfo,
  probe?: Pick<ModelProbe, 'methods' | 'complete'> | null,
): MethodChoice[] {
  return METAS.filter((m) => m.isCompatible(info)).map((meta) => {
    const verdict = probe?.methods[meta.id];
    if (verdict) return { meta, verdict, runnable: verdict.ok, pending: false };
    return { meta, runnable: true, pending: probe ? !probe.complete : false };
  });
}

/** Whether the map of `method` under `config` is signed (config is merged over the defaults). */
export const isSigned = isSignedMeta;

/** The result type of method `Id`, with its typed `extras` (e.g. IG's completeness error, Grad-CAM's layer map). */
export type AttributionFor<Id extends MethodId> = Awaited<ReturnType<(typeof RUNNABLE)[Id]['run']>>;

/**
 * `a` as the result of method `id`, so its extras are typed without a cast; throws an ExplainError when
 * `a` came from another method. Plain data: usable on the page (type-only link to the registry).
 */
export function attributionFor<Id extends MethodId>(id: Id, a: Attribution): AttributionFor<Id> {
  if (a.method !== id) throw new ExplainError(`expected a ${id} attribution, got one from ${a.method}`);
  return a as AttributionFor<Id>;
}

export { defineMeta };
export { REDUCTION_OPTIONS, type Reduction } from './meta';
export { gradientMapSpec, type GradientMapConfig } from './methods/saliency/meta';
export type { SmoothGradConfig } from './methods/smoothgrad/meta';
export type { IgBaseline, IntegratedGradientsConfig, RiemannRule } from './methods/integrated-gradients/meta';
export { camConfigSpec, type GradCamConfig } from './methods/grad-cam/meta';
export type { OcclusionConfig, OcclusionFill } from './methods/occlusion/meta';
export type { RiseConfig } from './methods/rise/meta';
