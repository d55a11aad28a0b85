/**
 * The method registry: the runnable methods (metadata + `run`), lookup by id, and compatibility with a model.
 * It imports every method file and so all of TensorFlow.js: use it in the worker and tests only. The page
 * (main thread) uses catalog.ts, which has the same metadata without tfjs.
 * Adding a method = one file + its metadata in catalog.ts + one line here + one test file.
 */
import { gradCam } from './grad-cam';
import { gradCamPlusPlus } from './grad-cam-plus-plus';
import { gradientXInput } from './gradient-x-input';
import { integratedGradients } from './integrated-gradients';
import { occlusion } from './occlusion';
import { rise } from './rise';
import { saliency } from './saliency';
import { smoothgrad } from './smoothgrad';
import { ExplainError, type Attribution, type ExplainMethod, type ImageInput, type MethodId, type ModelAdapter, type RunOptions } from './types';
import type { ModelInfo } from '@/lib/models/types';

/** All methods, in the order the UI lists them. */
export const METHODS: readonly ExplainMethod[] = [saliency, gradientXInput, smoothgrad, integratedGradients, gradCam, gradCamPlusPlus, occlusion, rise];

export function listMethods(): readonly ExplainMethod[] {
  return METHODS;
}

/** The method with this id; throws ExplainError for an unknown id. */
export function getMethod(id: MethodId | string): ExplainMethod {
  const m = METHODS.find((x) => x.id === id);
  if (!m) throw new ExplainError(`unknown explanation method "${id}"`);
  return m;
}

/** The methods this model supports (e.g. no CAM methods without a spatial layer). */
export function compatibleMethods(info: ModelInfo): ExplainMethod[] {
  return METHODS.filter((m) => m.isCompatible(info));
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
