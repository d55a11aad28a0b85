/**
 * The checks every method run starts with (`defineMethod` calls them once, before the algorithm): the
 * target, the input shape and every configuration value against the method's `configSpec` — the one source
 * of truth for parameter ranges, shared with the UI's controls. TensorFlow.js-free.
 */
import { ExplainError, type ConfigSpec, type ImageInput, type ModelAdapter } from './types';

/** Fills defaults; unknown keys are dropped, `undefined` values fall back to the default. */
export function resolveConfig<C extends Record<string, unknown>>(defaults: C, partial: Partial<C> | undefined): C {
  const out = { ...defaults };
  if (partial) {
    for (const key of Object.keys(defaults) as (keyof C)[]) {
      const v = partial[key];
      if (v !== undefined) out[key] = v as C[keyof C];
    }
  }
  return out;
}

/** Throws an ExplainError unless `target` is an integer class index in [0, K) of this model. */
export function checkTarget(adapter: Pick<ModelAdapter, 'info'>, target: number): void {
  const k = adapter.info.numClasses;
  if (!Number.isInteger(target) || target < 0 || target >= k) {
    throw new ExplainError(`target class ${target} is out of range: this model has ${k} classes (0…${k - 1})`);
  }
}

/** Throws an ExplainError unless `input` matches the model's input shape [h, w, c] and holds h·w·c values. */
export function checkInput(adapter: Pick<ModelAdapter, 'info'>, input: ImageInput): void {
  const [h, w, c] = adapter.info.inputShape;
  if (input.height !== h || input.width !== w || input.channels !== c) {
    throw new ExplainError(
      `the image is ${input.height}×${input.width}×${input.channels} but the model expects ${h}×${w}×${c}`,
    );
  }
  if (input.data.length !== h * w * c)
    throw new ExplainError(`the image holds ${input.data.length} values, expected ${h * w * c}`);
}

/** Throws a number-range ExplainError. */
export function checkRange(name: string, v: number, min: number, max: number, integer = false): void {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max || (integer && !Number.isInteger(v))) {
    throw new ExplainError(
      `${name} must be ${integer ? 'an integer ' : 'a number '}in [${min}, ${max}], got ${String(v)}`,
    );
  }
}

function isImageInput(v: unknown): v is ImageInput {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Partial<ImageInput>;
  return (
    Number.isInteger(o.width) &&
    Number.isInteger(o.height) &&
    Number.isInteger(o.channels) &&
    o.data instanceof Float32Array
  );
}

/**
 * Validates a full configuration against its spec: numbers finite, within [min, max] and whole where
 * `integer`; selects one of their options; booleans booleans; layers strings (resolved later against the
 * model); images null or an ImageInput; class lists null or integers in [0, numClasses). Throws an
 * ExplainError naming the parameter and its allowed range.
 */
export function validateConfig<C extends Record<string, unknown>>(
  spec: ConfigSpec<C>,
  config: C,
  numClasses: number,
): void {
  for (const key of Object.keys(spec) as (keyof C & string)[]) {
    const s = spec[key];
    const v: unknown = config[key];
    switch (s.kind) {
      case 'number':
        checkRange(key, v as number, s.min, s.max, s.integer === true);
        break;
      case 'select':
        if (!s.options.some((o) => o.value === v)) {
          throw new ExplainError(
            `${key} must be one of ${s.options.map((o) => `"${o.value}"`).join(', ')}, got ${JSON.stringify(v) ?? String(v)}`,
          );
        }
        break;
      case 'boolean':
        if (typeof v !== 'boolean') throw new ExplainError(`${key} must be true or false, got ${String(v)}`);
        break;
      case 'layer':
        if (typeof v !== 'string') throw new ExplainError(`${key} must be a layer name, got ${String(v)}`);
        break;
      case 'image':
        if (v !== null && !isImageInput(v)) throw new ExplainError(`${key} must be an image or none`);
        break;
      case 'classes':
        if (v === null) break;
        if (!Array.isArray(v)) throw new ExplainError(`${key} must be a list of class indices or none`);
        for (const k of v) {
          if (!Number.isInteger(k) || (k as number) < 0 || (k as number) >= numClasses) {
            throw new ExplainError(`class ${String(k)} in "${key}" is out of range (0…${numClasses - 1})`);
          }
        }
        break;
    }
  }
}
