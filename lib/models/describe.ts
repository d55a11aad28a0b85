import type { Normalization, NormalizationPreset } from './types';

const PRESET_TEXT: Record<NormalizationPreset, string> = {
  'zero-one': 'values in [0, 1]',
  'minus-one-one': 'values in [-1, 1]',
  'zero-255': 'values in [0, 255]',
  imagenet: 'ImageNet mean/std',
  'caffe-bgr': 'Caffe-style (BGR, 0–255, mean-subtracted)',
};

/** Human-readable description of a normalisation setting. */
export function describeNormalization(n: NormalizationPreset | Normalization): string {
  if (typeof n === 'string') return PRESET_TEXT[n];
  const fmt = (xs: number[]) => xs.map((x) => +x.toFixed(4)).join('/');
  return `(p × ${n.scale} − ${fmt(n.mean)}) ÷ ${fmt(n.std)}`;
}
