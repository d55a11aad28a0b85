/**
 * One explanation configuration applied to two models. Parameters that name something inside one model
 * (a layer), or carry per-model data (a baseline image, a class list) cannot be shared: each model uses its
 * own default for those (e.g. Grad-CAM reads each model's last convolutional layer). Everything else
 * (numbers, choices, switches) is validated against the method's ConfigSpec and sent to both.
 */
import type { MethodMeta, ParamSpec } from '@/lib/explain/types';
import type { ModelInfo } from '@/lib/models/types';
import { compatibleMethods, getMethodMeta } from '@/lib/explain/catalog';

export type SharedParamSpec = Extract<ParamSpec, { kind: 'number' | 'select' | 'boolean' }>;

/** The parameters of `method` that are applied to both models, in spec order. */
export function sharedParams(method: MethodMeta): { key: string; spec: SharedParamSpec }[] {
  return Object.entries(method.configSpec as Record<string, ParamSpec>)
    .filter(
      (e): e is [string, SharedParamSpec] =>
        e[1].kind === 'number' || e[1].kind === 'select' || e[1].kind === 'boolean',
    )
    .map(([key, spec]) => ({ key, spec }));
}

/** Whether `value` is acceptable for `spec` (numbers in [min, max], integers where required, known options). */
export function validParam(spec: SharedParamSpec, value: unknown): boolean {
  if (spec.kind === 'boolean') return typeof value === 'boolean';
  if (spec.kind === 'select') return typeof value === 'string' && spec.options.some((o) => o.value === value);
  return (
    typeof value === 'number' &&
    Number.isFinite(value) &&
    value >= spec.min &&
    value <= spec.max &&
    (!spec.integer || Number.isInteger(value))
  );
}

/**
 * The shared configuration: for each shared parameter, `raw[key]` when valid, else the method's default.
 * Keys that are not shared parameters are dropped.
 */
export function sharedConfig(method: MethodMeta, raw: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const defaults = method.defaultConfig as Record<string, unknown>;
  for (const { key, spec } of sharedParams(method)) out[key] = validParam(spec, raw[key]) ? raw[key] : defaults[key];
  return out;
}

/** Methods both models support, in registry order. */
export function commonMethods(a: ModelInfo, b: ModelInfo): MethodMeta[] {
  const ids = new Set(compatibleMethods(b).map((m) => m.id));
  return compatibleMethods(a).filter((m) => ids.has(m.id));
}

/** Preferred default for comparing: Grad-CAM (one pass, robust), else the first common method, else null. */
export function defaultMethodId(methods: readonly MethodMeta[]): MethodMeta['id'] | null {
  return (methods.find((m) => m.id === 'grad-cam') ?? methods[0])?.id ?? null;
}

/** The method with this id, or null for an unknown id. */
export function findMethod(id: string | null | undefined): MethodMeta | null {
  if (!id) return null;
  try {
    return getMethodMeta(id);
  } catch {
    return null;
  }
}
