import type { ModelInfo, Normalization, NormalizationPreset } from './types';

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

const KIND_TEXT: Record<ModelInfo['outputKind'], string> = {
  softmax: 'probabilities (softmax)',
  logits: 'logits',
  'sigmoid-binary': 'one sigmoid: p and 1 − p',
  'multi-label': 'independent probabilities (multi-label)',
  regression: 'values (regression)',
};

/**
 * The output kind in words, with how many classes or values and why it was chosen:
 * "2 classes · one sigmoid: p and 1 − p (the last op is Sigmoid on one output)".
 */
export function describeOutputs(info: Pick<ModelInfo, 'outputKind' | 'numClasses' | 'outputKindReason' | 'unit' | 'outputShape'>): string {
  const n = info.numClasses;
  const count = info.outputKind === 'regression' ? `${n} value${n === 1 ? '' : 's'}${info.unit ? ` in ${info.unit}` : ''}` : `${n} classes`;
  const kind = info.outputKind === 'logits' && info.outputShape[1] === 1 ? 'one logit: log-odds −z and z' : KIND_TEXT[info.outputKind];
  return `${count} · ${kind}${info.outputKindReason ? ` (${info.outputKindReason})` : ''}`;
}
