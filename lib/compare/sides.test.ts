import { describe, expect, it } from 'vitest';
import { getMethodMeta } from '@/lib/explain/catalog';
import type { ModelInfo } from '@/lib/models/types';
import {
  classDecisionReason,
  eitherMethods,
  methodRefusal,
  sharedClassCount,
  topAgreement,
  unpairedReason,
} from './sides';

const info = (labels: string[], over: Partial<ModelInfo> = {}): ModelInfo => ({
  id: 'm',
  name: 'm',
  source: 'user',
  format: 'layers',
  inputShape: [28, 28, 1],
  outputShape: [null, labels.length],
  numClasses: labels.length,
  labels,
  outputKind: 'logits',
  preprocessing: {
    height: 28,
    width: 28,
    channels: 1,
    channelOrder: 'rgb',
    normalization: 'zero-one',
    resize: 'stretch',
  },
  paramCount: 1,
  layers: [],
  spatialLayers: ['conv'],
  ...over,
});
const DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
const FASHION = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
];
const placeholders = (k: number) => Array.from({ length: k }, (_, i) => `class ${i}`);

describe('topAgreement: classes are paired by name, never by placeholder', () => {
  it('the same class by name agrees, in whatever order B lists its classes', () => {
    expect(topAgreement(info(['cat', 'dog']), info(['Dog', 'cat']), 1, 0)).toEqual({ kind: 'agree', name: 'dog' });
    expect(topAgreement(info(['cat', 'dog']), info(['dog', 'cat']), 1, 1)).toEqual({
      kind: 'disagree',
      a: 'dog',
      b: 'cat',
    });
  });

  it('two unrelated unlabelled models: “class 1” = “class 1” is NOT agreement', () => {
    const r = topAgreement(info(placeholders(10)), info(placeholders(10)), 1, 1);
    expect(r.kind).toBe('unpaired');
    expect(r).toMatchObject({ a: 'class 1', b: 'class 1' });
    expect(r.kind === 'unpaired' && r.reason).toMatch(/no class names/);
  });

  it('MNIST digits vs Fashion classes share no class: not comparable, said so', () => {
    const r = topAgreement(info(DIGITS), info(FASHION), 8, 8);
    expect(r).toEqual({
      kind: 'unpaired',
      a: '8',
      b: 'Bag',
      reason: 'A and B do not share any class, so their answers cannot be compared.',
    });
    expect(sharedClassCount(DIGITS, FASHION)).toBe(0);
    expect(sharedClassCount(FASHION, [...FASHION].reverse())).toBe(10);
    expect(unpairedReason(info(FASHION), info(FASHION))).toBeNull();
  });

  it('a regression or multi-label side has no top class to agree on', () => {
    const age = info(['age'], { outputKind: 'regression' });
    const r = topAgreement(info(['age']), age, 0, 0);
    expect(r.kind).toBe('unpaired');
    expect(r.kind === 'unpaired' && r.reason).toMatch(/^B predicts values \(regression\), not classes/);
    expect(classDecisionReason('A', info(['a', 'b'], { outputKind: 'multi-label' }))).toMatch(/multi-label/);
    expect(classDecisionReason('A', info(['a', 'b'], { outputKind: 'sigmoid-binary' }))).toBeNull();
  });
});

describe('methods of either side', () => {
  it('a method only one model supports is offered; the other side says why it cannot run it', () => {
    const conv = info(FASHION);
    const dense = info(FASHION, { spatialLayers: [] });
    const both = eitherMethods(conv, dense).map((m) => m.id);
    expect(both).toContain('grad-cam');
    expect(eitherMethods(dense, dense).map((m) => m.id)).not.toContain('grad-cam');
    expect(eitherMethods(undefined, conv).map((m) => m.id)).toEqual(both);
    expect(eitherMethods(undefined, undefined)).toEqual([]);
    const gradCam = getMethodMeta('grad-cam');
    expect(methodRefusal(gradCam, conv)).toBeNull();
    expect(methodRefusal(gradCam, dense)).toMatch(/no layer with a spatial map/);
    expect(methodRefusal(getMethodMeta('saliency'), dense, { ok: false, reason: 'WASM has no kernel X' })).toBe(
      'WASM has no kernel X',
    );
    expect(methodRefusal(getMethodMeta('saliency'), dense, { ok: true })).toBeNull();
  });
});
