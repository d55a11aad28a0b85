/**
 * Baselines and the completeness check shared by the path-attribution methods (Integrated Gradients,
 * Guided Integrated Gradients). Plain arrays, pixel space: "black" is 0, "white" is 1.
 */
import { defaultBlurSigma, gaussianBlur, mulberry32 } from './common';
import { ExplainError, type ImageInput } from './types';

/** Which baseline image x' a path method starts from. */
export type BaselineKind = 'black' | 'white' | 'blurred' | 'noise' | 'image';

export interface BaselineConfig {
  baseline: BaselineKind;
  /** Used when baseline = 'image': an ImageInput of the model's size. */
  baselineImage: ImageInput | null;
  /** Seed of the uniform-noise baseline. */
  seed: number;
}

/** Completeness check of a path attribution method (IG, Guided IG): scores are the target's score. */
export type CompletenessExtras = {
  /** |Σ attributions − (S(x) − S(x'))| / max(|S(x) − S(x')|, 1e-12). */
  completenessError: number;
  absoluteCompletenessError: number;
  sumAttributions: number;
  scoreInput: number;
  scoreBaseline: number;
  scoreDelta: number;
};

/** The completeness extras for a total attribution `total` and the two end-point scores. */
export function completeness(total: number, scoreInput: number, scoreBaseline: number): CompletenessExtras {
  const delta = scoreInput - scoreBaseline;
  const absoluteError = Math.abs(total - delta);
  return {
    completenessError: absoluteError / Math.max(Math.abs(delta), 1e-12),
    absoluteCompletenessError: absoluteError,
    sumAttributions: total,
    scoreInput,
    scoreBaseline,
    scoreDelta: delta,
  };
}

/** The baseline image x' (HWC, pixel space). Blurred: Gaussian σ = max(h, w)/10 px. Noise: U(0, 1), seeded. */
export function makeBaseline(input: ImageInput, config: BaselineConfig): Float32Array {
  const n = input.data.length;
  switch (config.baseline) {
    case 'black':
      return new Float32Array(n);
    case 'white':
      return new Float32Array(n).fill(1);
    case 'blurred':
      return gaussianBlur(input, defaultBlurSigma(input));
    case 'noise': {
      const rand = mulberry32(config.seed);
      return Float32Array.from({ length: n }, () => rand());
    }
    case 'image': {
      const b = config.baselineImage;
      if (!b) throw new ExplainError('baseline "image" needs a baseline image');
      if (
        b.width !== input.width ||
        b.height !== input.height ||
        b.channels !== input.channels ||
        b.data.length !== n
      ) {
        throw new ExplainError(
          `the baseline image must be ${input.height}×${input.width}×${input.channels} like the input`,
        );
      }
      return Float32Array.from(b.data);
    }
  }
}
