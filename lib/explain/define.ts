/**
 * `defineMethod(meta, algorithm)`: turns a method's metadata and its algorithm into a runnable
 * `ExplainMethod`. The prologue every method shares runs here, once:
 *   1. resolve the config (defaults + the partial config; unknown keys dropped),
 *   2. check the target (an integer in [0, K)) and the input shape against the model,
 *   3. validate every parameter against `meta.configSpec` (validate.ts: the one source of truth),
 *   4. honour an already-aborted signal,
 * then times the algorithm and builds the `Attribution` (id, size, signedness from the meta, finite values).
 * The algorithm only computes: values, which score it used, how many model calls it made, its extras.
 */
import { finite, now, throwIfAborted } from './common';
import { isSigned } from './meta';
import type {
  AttributionOf,
  ExplainMethod,
  ImageInput,
  MethodConfig,
  MethodExtras,
  MethodMeta,
  ModelAdapter,
  ScoreKind,
} from './types';
import { checkInput, checkTarget, resolveConfig, validateConfig } from './validate';

/** What an algorithm receives: everything already checked, the config complete. */
export interface MethodContext<C extends MethodConfig> {
  adapter: ModelAdapter;
  /** Matches the model's input shape. Never mutate it. */
  input: ImageInput;
  /** An integer class index in [0, K). */
  target: number;
  /** The full config, validated against the spec. */
  config: C;
  signal: AbortSignal | undefined;
  /** Report a fraction in [0, 1] (after each chunk). */
  onProgress(fraction: number): void;
  /** Throws the AbortError when the run was cancelled: call it before every chunk. */
  throwIfAborted(): void;
}

/** What an algorithm returns. */
export interface AlgorithmResult<E extends MethodExtras> {
  /** H×W map at the input size (row-major); non-finite values are replaced by 0. */
  values: Float32Array;
  scoreKind: ScoreKind;
  /** Batched model calls made (forward or forward+backward). */
  forwardPasses: number;
  extras: E;
  /** The config to report, when it differs from the input config (e.g. the resolved layer). */
  reportedConfig?: Record<string, unknown>;
}

export type Algorithm<C extends MethodConfig, E extends MethodExtras> = (
  ctx: MethodContext<C>,
) => Promise<AlgorithmResult<E>>;

export function defineMethod<C extends MethodConfig, E extends MethodExtras, Id extends string>(
  meta: MethodMeta<C, Id>,
  algorithm: Algorithm<C, E>,
): ExplainMethod<C, E, Id> {
  return {
    ...meta,
    async run(adapter, input, target, partial, opts) {
      const t0 = now();
      const config = resolveConfig(meta.defaultConfig, partial);
      checkTarget(adapter, target);
      checkInput(adapter, input);
      validateConfig(meta.configSpec, config, adapter.info.numClasses);
      const signal = opts?.signal;
      throwIfAborted(signal);
      const r = await algorithm({
        adapter,
        input,
        target,
        config,
        signal,
        onProgress: (f) => opts?.onProgress?.(f),
        throwIfAborted: () => throwIfAborted(signal),
      });
      if (r.values.length !== input.width * input.height) {
        throw new Error(`${meta.id} produced ${r.values.length} values for a ${input.height}×${input.width} image`);
      }
      const out = {
        method: meta.id,
        target,
        width: input.width,
        height: input.height,
        values: finite(r.values),
        signed: isSigned(meta, config),
        scoreKind: r.scoreKind,
        config: r.reportedConfig ?? { ...config },
        timings: { totalMs: now() - t0, forwardPasses: r.forwardPasses },
        ...(r.extras === undefined ? {} : { extras: r.extras }),
      };
      return out as AttributionOf<E, Id>;
    },
  };
}
