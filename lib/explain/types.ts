/**
 * The explanation contract. A method is one folder, `lib/explain/methods/<id>/`: `meta.ts` (its plain
 * metadata, no tfjs), `run.ts` (`defineMethod(meta, algorithm)`, see define.ts) and `run.test.ts`. The
 * catalog (catalog.ts, metadata only; page side) and the registry (registry.ts, runnable; worker side) list
 * them; the `MethodId` type, the README blocks, the bench's accounting and every test list derive from the
 * catalog.
 *
 * Spaces and units:
 * - An `ImageInput` is the image *as the model sees it before normalisation*: resized to the model's
 *   input size, converted to its channel count, pixel values p ∈ [0, 1], layout HWC (row-major).
 * - The `ModelAdapter` applies the model's normalisation itself, so every gradient and every baseline is in
 *   pixel space: "black" is 0, "white" is 1, noise is a fraction of the range 1.
 * - An `Attribution` is an H'×W' map (row-major Float32Array) at the model's input resolution
 *   (Grad-CAM maps are upsampled to it). It never holds a tensor.
 *
 * This file has no value imports (the page imports it); `ModelAdapter`, `ImageInput`, `ScoreKind` and
 * `ExplainError` live in lib/models/adapter-types.ts and are re-exported here under their old names.
 */
import type { ModelInfo } from '@/lib/models/types';
import type { ImageInput, ModelAdapter, ScoreKind } from '../models/adapter-types';

export type { ImageInput, ModelAdapter, ScoreKind } from '../models/adapter-types';
export { ExplainError } from '../models/adapter-types';
/** The id of a registered method, derived from the catalog's list (`METHOD_METAS`). */
export type { MethodId } from './catalog';
import type { MethodId } from './catalog';

/**
 * What a method needs from the model; a model's capabilities come from its `ModelInfo`
 * (`capabilitiesOf` in meta.ts): every model gives its outputs (`logitsOnly`) and input gradients
 * (`inputGradients`); `layerGradients` needs at least one spatial layer (`info.spatialLayers`).
 */
export type ModelCapability = 'inputGradients' | 'layerGradients' | 'logitsOnly';

/** Typed description of one parameter, from which the UI draws its control and `defineMethod` validates. */
export type ParamSpec =
  | { kind: 'number'; label: string; help: string; min: number; max: number; step: number; integer?: boolean }
  | { kind: 'select'; label: string; help: string; options: readonly { value: string; label: string }[] }
  | { kind: 'boolean'; label: string; help: string }
  | { kind: 'layer'; label: string; help: string }
  /** An optional user image (an `ImageInput` at the model's size), e.g. a custom IG baseline. */
  | { kind: 'image'; label: string; help: string }
  /** An optional list of class indices (null = all classes), e.g. occlusion's per-class maps. */
  | { kind: 'classes'; label: string; help: string };

export type ConfigSpec<C> = { [K in keyof C]: ParamSpec };

/** A method's configuration object (string keys, plain values). */
export type MethodConfig = Record<string, unknown>;

/** Method-specific extras of an attribution (a type alias, not an interface, so it fits `Record`). */
export type MethodExtras = Record<string, unknown> | undefined;

export interface RunOptions {
  signal?: AbortSignal;
  /** Called with a fraction in [0, 1] as chunks complete. */
  onProgress?: (fraction: number) => void;
}

export interface Attribution {
  method: MethodId;
  target: number;
  width: number;
  height: number;
  /** length = width·height, row-major; finite numbers. */
  values: Float32Array;
  /** True: positive and negative evidence (diverging colormap). False: magnitude (sequential colormap). */
  signed: boolean;
  scoreKind: ScoreKind;
  /** The configuration actually used (defaults filled in). */
  config: Record<string, unknown>;
  timings: { totalMs: number; forwardPasses: number };
  /** Method-specific extras, e.g. IG's completeness error, occlusion's per-class maps. */
  extras?: Record<string, unknown>;
}

/** An attribution of one method with its typed extras (what `ExplainMethod<C, E, Id>.run` resolves to). */
export type AttributionOf<E extends MethodExtras = MethodExtras, Id extends string = MethodId> = Attribution & {
  method: Id;
  extras: E;
};

/**
 * `(config: C) => R`, declared with method syntax so that an `ExplainMethod<SpecificConfig>` can be stored
 * in a registry typed `ExplainMethod` (method parameters are bivariant in TypeScript).
 */
export type BivariantPredicate<C> = { bivarianceHack(config: C): boolean }['bivarianceHack'];

/** Cost of one run in forward-equivalents (see lib/bench/accounting.ts), with the formula in numbers. */
export interface ForwardEquivalents {
  fe: number;
  /** The formula with numbers, e.g. "65 × 3". */
  formula: string;
}

/**
 * Cost of a run as a formula of its (full) config and the model input [h, w, c]; bivariant like
 * `BivariantPredicate`. Throws when a config key it needs is not a number.
 */
export type CostFormula<C> = {
  bivarianceHack(config: C, inputShape: readonly [number, number, number]): ForwardEquivalents;
}['bivarianceHack'];

/**
 * A method's plain metadata (no code that touches a model): what the catalog holds, the page reads and the
 * docs are generated from. Write one with `defineMeta` (meta.ts), which derives `isCompatible` from
 * `requires`.
 */
export interface MethodMeta<C extends MethodConfig = MethodConfig, Id extends string = MethodId> {
  id: Id;
  label: string;
  /** One line a domain expert can read. */
  description: string;
  /** What a map value means, for its colour bar; `{score}` stands for the attribution's `scoreKind`. */
  unit: string;
  /** Longer plain-language help: what it shows, when it misleads. */
  help: string;
  /** "When it misleads": one paragraph for the README (Markdown). */
  misleads: string;
  referenceUrl?: string;
  requires: readonly ModelCapability[];
  /** Whether the map is signed, fixed or as a function of the full config. */
  signed: boolean | BivariantPredicate<C>;
  defaultConfig: C;
  /** One entry per config key: the UI's controls and `defineMethod`'s validation (the one source of truth). */
  configSpec: ConfigSpec<C>;
  /** A cheap configuration (merged over the defaults) for tests and smoke runs: ≥ 2 chunks where chunked. */
  quickConfig: Partial<C>;
  /** Forward-equivalents of one run (the bench's accounting). */
  cost: CostFormula<C>;
  /** Derived from `requires` and the model's capabilities (`capabilitiesOf`). */
  isCompatible(model: ModelInfo): boolean;
}

/** A runnable method: its metadata and `run` (built by `defineMethod`, which validates everything first). */
export interface ExplainMethod<
  C extends MethodConfig = MethodConfig,
  E extends MethodExtras = MethodExtras,
  Id extends string = MethodId,
> extends MethodMeta<C, Id> {
  run(
    adapter: ModelAdapter,
    input: ImageInput,
    target: number,
    config: Partial<C>,
    opts?: RunOptions,
  ): Promise<AttributionOf<E, Id>>;
}
