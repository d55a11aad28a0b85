/**
 * Method parameters as the Explain view handles them: normalising a value against its `ParamSpec`
 * (clamping numbers, checking options, layers and class indices), and the URL form of a configuration
 * (only values that differ from the method's defaults are written, as strings).
 *
 * Parameters of kind 'image' never go to the URL (they name an image of this tab's strip); the view sends
 * them to the worker as `<name>Id` (see `ExplainRequest.config` in lib/runtime/protocol.ts).
 */
import type { MethodMeta, ParamSpec } from '@/lib/explain/types';

export interface ParamContext {
  /** Number of classes of the model (for 'classes' parameters). */
  numClasses: number;
  /** The model's `info.spatialLayers` (for 'layer' parameters; '' means "the last one"). */
  spatialLayers: readonly string[];
}

/** A parameter value the view keeps: numbers, strings, booleans, class lists, or an image id / null. */
export type ParamValue = number | string | boolean | number[] | null;

/**
 * The value `raw` brought into the range of `spec`, or `undefined` when it cannot be used (then the caller
 * keeps the default). Numbers are clamped to [min, max] and rounded when `integer`; selects must be one of
 * the options; layers must be '' or one of `ctx.spatialLayers`; class lists keep the valid, distinct indices
 * in [0, K) (an empty list becomes null = "automatic"); images are an image id string or null.
 */
export function normalizeParam(spec: ParamSpec, raw: unknown, ctx: ParamContext): ParamValue | undefined {
  switch (spec.kind) {
    case 'number': {
      const v =
        typeof raw === 'string'
          ? raw.trim() === ''
            ? Number.NaN
            : Number(raw)
          : typeof raw === 'number'
            ? raw
            : Number.NaN;
      if (!Number.isFinite(v)) return undefined;
      const r = spec.integer ? Math.round(v) : v;
      return Math.min(spec.max, Math.max(spec.min, r));
    }
    case 'select': {
      const v = String(raw);
      return spec.options.some((o) => o.value === v) ? v : undefined;
    }
    case 'boolean':
      if (typeof raw === 'boolean') return raw;
      if (raw === 'true' || raw === '1') return true;
      if (raw === 'false' || raw === '0') return false;
      return undefined;
    case 'layer': {
      const v = typeof raw === 'string' ? raw : '';
      return v === '' || ctx.spatialLayers.includes(v) ? v : undefined;
    }
    case 'classes': {
      if (raw === null || raw === '' || raw === undefined) return null;
      const list = Array.isArray(raw) ? raw : String(raw).split(',');
      const out: number[] = [];
      for (const x of list) {
        const k = typeof x === 'number' ? x : Number(String(x).trim());
        if (Number.isInteger(k) && k >= 0 && k < ctx.numClasses && !out.includes(k)) out.push(k);
      }
      return out.length > 0 ? out.sort((a, b) => a - b) : null;
    }
    case 'image':
      return typeof raw === 'string' && raw !== '' ? raw : null;
  }
}

/** The method's defaults with every valid entry of `values` applied (unknown keys are dropped). */
export function resolveParams(
  method: MethodMeta,
  values: Record<string, unknown>,
  ctx: ParamContext,
): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = {};
  for (const [name, spec] of Object.entries(method.configSpec)) {
    const def = method.defaultConfig[name];
    const fallback = spec.kind === 'image' ? null : (def as ParamValue);
    const v = name in values ? normalizeParam(spec, values[name], ctx) : undefined;
    out[name] = v === undefined ? fallback : v;
  }
  return out;
}

function same(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) || Array.isArray(b)) return JSON.stringify(a) === JSON.stringify(b);
  return a === b;
}

/** Values that differ from the defaults, as URL strings (image parameters are left out). */
export function paramsToUrl(method: MethodMeta, params: Record<string, ParamValue>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, spec] of Object.entries(method.configSpec)) {
    if (spec.kind === 'image' || !(name in params)) continue;
    const v = params[name];
    if (same(v, method.defaultConfig[name])) continue;
    out[name] = v === null || v === undefined ? '' : Array.isArray(v) ? v.join(',') : String(v);
  }
  return out;
}

/**
 * The configuration sent to the worker: image parameters become `<name>Id` (or are dropped when empty, so
 * the method's own default applies); everything else as is.
 */
export function paramsToRequestConfig(method: MethodMeta, params: Record<string, ParamValue>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(method.configSpec)) {
    const v = params[name];
    if (v === undefined) continue;
    if (spec.kind === 'image') {
      if (typeof v === 'string' && v !== '') out[`${name}Id`] = v;
      continue;
    }
    out[name] = v;
  }
  return out;
}

/** One line "name=value" list of the parameters that differ from the defaults ("defaults" when none). */
export function describeParams(method: MethodMeta, params: Record<string, ParamValue>): string {
  const parts: string[] = [];
  for (const [name, spec] of Object.entries(method.configSpec)) {
    const v = params[name];
    if (v === undefined || same(v, method.defaultConfig[name])) continue;
    if (spec.kind === 'image') {
      if (v) parts.push(`${spec.label}: an image of the strip`);
      continue;
    }
    parts.push(`${spec.label}: ${Array.isArray(v) ? v.join(', ') : v === '' ? 'last' : String(v)}`);
  }
  return parts.length > 0 ? parts.join(' · ') : 'defaults';
}
