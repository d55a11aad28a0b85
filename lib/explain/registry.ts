/**
 * The method registry: the runnable methods (metadata + `run`), lookup by id, and compatibility with a model.
 * It imports every `methods/<id>/run.ts` and so all of TensorFlow.js: use it in the worker and tests only.
 * The page (main thread) uses catalog.ts, whose `METHOD_METAS` list this registry follows: `RUNNABLE` must
 * have one entry per `MethodId` (the `satisfies` below fails to compile otherwise) and `METHODS` is in
 * catalog order.
 */
import { compatibleMethods as compatibleMetas, getMethodMeta, METHOD_METAS, type MethodId } from './catalog';
import { gradCam } from './methods/grad-cam/run';
import { gradCamPlusPlus } from './methods/grad-cam-plus-plus/run';
import { gradientXInput } from './methods/gradient-x-input/run';
import { guidedIg } from './methods/guided-ig/run';
import { integratedGradients } from './methods/integrated-gradients/run';
import { occlusion } from './methods/occlusion/run';
import { rise } from './methods/rise/run';
import { saliency } from './methods/saliency/run';
import { smoothgrad } from './methods/smoothgrad/run';
import {
  ExplainError,
  type Attribution,
  type ExplainMethod,
  type ImageInput,
  type ModelAdapter,
  type RunOptions,
} from './types';
import type { ModelInfo } from '@/lib/models/types';
import type { ModelProbe } from '@/lib/runtime/probe-types';

/** The runnable method of each id (typed: `RUNNABLE['grad-cam'].run` resolves to Grad-CAM's typed extras). */
export const RUNNABLE = {
  saliency,
  'gradient-x-input': gradientXInput,
  smoothgrad,
  'integrated-gradients': integratedGradients,
  'grad-cam': gradCam,
  'grad-cam-plus-plus': gradCamPlusPlus,
  occlusion,
  rise,
  'guided-ig': guidedIg,
} satisfies { [K in MethodId]: { id: K } };

/** All methods, in the order the UI lists them (the catalog's). */
export const METHODS: readonly ExplainMethod[] = METHOD_METAS.map((m) => RUNNABLE[m.id] as ExplainMethod);

export function listMethods(): readonly ExplainMethod[] {
  return METHODS;
}

/** The method with this id; throws ExplainError for an unknown id (the catalog's lookup). */
export function getMethod(id: MethodId | string): ExplainMethod {
  return RUNNABLE[getMethodMeta(id).id] as ExplainMethod;
}

/**
 * The methods this model supports (e.g. no CAM methods without a spatial layer); with the capability
 * probe's result, only those it did not refuse on the probed backend (the catalog's rule, in its order).
 */
export function compatibleMethods(info: ModelInfo, probe?: Pick<ModelProbe, 'methods'> | null): ExplainMethod[] {
  return compatibleMetas(info, probe).map((m) => RUNNABLE[m.id] as ExplainMethod);
}

/** Whether the map of `method` under `config` is signed (the catalog's function; kept here for callers of the registry). */
export { isSigned } from './catalog';

/** Convenience: look up and run. Throws ExplainError when the method is unknown or incompatible. */
export function runMethod(
  id: MethodId | string,
  adapter: ModelAdapter,
  input: ImageInput,
  target: number,
  config: Record<string, unknown> = {},
  opts?: RunOptions,
): Promise<Attribution> {
  const m = getMethod(id);
  if (!m.isCompatible(adapter.info)) throw new ExplainError(`${m.label} does not work with this model`);
  return m.run(adapter, input, target, config, opts);
}
