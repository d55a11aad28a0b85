/**
 * Config-spec fragments that several methods share (steps, baselines, batch size, seed, channel
 * reduction, magnitude only), so each `meta.ts` states only what is its own. TensorFlow.js-free (the page
 * imports every meta).
 */
import { REDUCTION_OPTIONS } from './meta';
import type { ParamSpec } from './types';

type NumberSpec = Extract<ParamSpec, { kind: 'number' }>;
type SelectSpec = Extract<ParamSpec, { kind: 'select' }>;

/** A whole-number parameter in [min, max] (slider step 1). */
export function integerSpec(label: string, help: string, min: number, max: number): NumberSpec {
  return { kind: 'number', label, help, min, max, step: 1, integer: true };
}

/** `steps` of a path method: one gradient evaluation each (more = more exact, slower). */
export function stepsSpec(help: string, min = 1): NumberSpec {
  return integerSpec('Steps', help, min, 1024);
}

/** `batchSize`: items per model call, in [1, max]. */
export function batchSizeSpec(help: string, max: number): NumberSpec {
  return integerSpec('Batch size', help, 1, max);
}

/** `seed` of a seeded PRNG (0 … 2³¹ − 1). */
export function seedSpec(help: string): NumberSpec {
  return integerSpec('Random seed', help, 0, 2 ** 31 - 1);
}

const BASELINE_OPTIONS = [
  { value: 'black', label: 'Black image' },
  { value: 'white', label: 'White image' },
  { value: 'blurred', label: 'Blurred copy of the image' },
  { value: 'noise', label: 'Uniform noise' },
] as const;

/** `baseline` of a path method (black, white, blurred, noise; `withImage` adds "Another image"). */
export function baselineSpec(withImage: boolean): SelectSpec {
  return {
    kind: 'select',
    label: 'Baseline',
    help: 'The "absence of signal" the image is compared with.',
    options: withImage ? [...BASELINE_OPTIONS, { value: 'image', label: 'Another image' }] : BASELINE_OPTIONS,
  };
}

/** `reduction`: how the colour channels of a pixel become one number. */
export function reductionSpec(
  help = 'How the colour channels of a pixel are combined (sum keeps completeness).',
): SelectSpec {
  return { kind: 'select', label: 'Channel reduction', help, options: REDUCTION_OPTIONS };
}

/** `absolute`: drop the sign of each value. */
export function absoluteSpec(help = 'Ignore whether a pixel pushes the score up or down.'): ParamSpec {
  return { kind: 'boolean', label: 'Magnitude only', help };
}
