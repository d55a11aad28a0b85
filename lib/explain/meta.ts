/**
 * Helpers for writing a method's metadata (`methods/<id>/meta.ts`). TensorFlow.js-free, like everything the
 * catalog imports: the page bundles it.
 */
import type { ModelInfo } from '@/lib/models/types';
import type { MethodConfig, MethodMeta, ModelCapability } from './types';

/**
 * What a model offers, from its plain `ModelInfo`: outputs and input gradients always (a model whose graph
 * lacks a gradient kernel on the active backend fails at run time with an ExplainError naming it), layer
 * gradients when it has at least one spatial layer.
 */
export function capabilitiesOf(info: Pick<ModelInfo, 'spatialLayers'>): ModelCapability[] {
  const caps: ModelCapability[] = ['logitsOnly', 'inputGradients'];
  if (info.spatialLayers.length > 0) caps.push('layerGradients');
  return caps;
}

/** A method's metadata with `isCompatible` derived from `requires` (every requirement is a capability of the model). */
export function defineMeta<C extends MethodConfig, Id extends string>(
  meta: Omit<MethodMeta<C, Id>, 'isCompatible'>,
): MethodMeta<C, Id> {
  const requires = meta.requires;
  return {
    ...meta,
    isCompatible(model: ModelInfo): boolean {
      const caps = capabilitiesOf(model);
      return requires.every((r) => caps.includes(r));
    },
  };
}

/** Whether the map of `method` under `config` is signed (config is merged over the defaults). */
export function isSigned(
  method: Pick<MethodMeta, 'signed' | 'defaultConfig'>,
  config: Record<string, unknown>,
): boolean {
  const full = { ...method.defaultConfig, ...config };
  return typeof method.signed === 'boolean' ? method.signed : method.signed(full);
}

/** `config[key]` as a finite number, for cost formulas; throws naming the key otherwise. */
export function configNumber(config: Record<string, unknown>, key: string): number {
  const v = config[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`config.${key} must be a number`);
  return v;
}

/** How the c channel values of a pixel become one number (see `reduceChannels` in common.ts). */
export type Reduction = 'max-abs' | 'mean' | 'sum';

export const REDUCTION_OPTIONS = [
  { value: 'max-abs', label: 'Largest magnitude' },
  { value: 'mean', label: 'Mean' },
  { value: 'sum', label: 'Sum' },
] as const;

/**
 * The quick preset and cost of a method that runs one forward+backward pass over one image (3 forward
 * equivalents), with nothing to make cheaper: saliency, gradient × input, Grad-CAM, Grad-CAM++.
 */
export const ONE_GRADIENT_PASS = {
  quickConfig: {},
  cost: () => ({ fe: 3, formula: '1 × 3' }),
} as const;
