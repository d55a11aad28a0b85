import { describe, expect, it } from 'vitest';
import { cardFromAnswers, parseCardJson, parseLabelsFile, resolveCard } from './card';
import { ModelError } from './types';

const facts = { inputShape: [null, 28, 28, 1], numClasses: 3, detectedOutputKind: 'logits' as const };

describe('parseCardJson', () => {
  it('accepts every field (camelCase and snake_case) and warns about unknown ones', () => {
    const { card, warnings } = parseCardJson(
      JSON.stringify({ name: ' Digits ', labels: ['a', 'b', 'c'], input_size: [28, 28], channels: 1, channel_order: 'BGR', normalization: { scale: 255, mean: [127.5], std: [127.5] }, resize: 'pad', output_kind: 'probabilities', invert: true, chanels: 3 }),
    );
    expect(card).toEqual({ name: 'Digits', labels: ['a', 'b', 'c'], inputSize: { height: 28, width: 28 }, channels: 1, channelOrder: 'bgr', normalization: { scale: 255, mean: [127.5], std: [127.5] }, resize: 'pad', outputKind: 'softmax', invert: true });
    expect(warnings).toEqual(['card.json: ignored unknown field "chanels"']);
  });
  it('names every bad field', () => {
    const e = (() => {
      try {
        parseCardJson('{"channels": 4, "normalization": "fancy", "resize": "zoom", "inputSize": {"height": 0, "width": 2}}');
      } catch (x) {
        return x as ModelError;
      }
    })();
    expect(e?.code).toBe('bad-card');
    expect(e?.message).toMatch(/channels must be 1 \(grey\) or 3/);
    expect(e?.message).toMatch(/normalization "fancy" is not one of/);
    expect(e?.message).toMatch(/resize must be one of/);
    expect(e?.message).toMatch(/inputSize/);
  });
  it('rejects std 0 and broken JSON', () => {
    expect(() => parseCardJson('{"normalization": {"scale": 1, "mean": [0], "std": [0]}}')).toThrow(/std must not contain 0/);
    expect(() => parseCardJson('{"name": ')).toThrow(expect.objectContaining({ code: 'malformed-json' }));
  });
});

describe('parseLabelsFile', () => {
  it('labels.txt: one per line, trimmed, trailing blank lines skipped, CRLF ok, BOM removed', () => {
    expect(parseLabelsFile('\uFEFFcat \r\n dog\r\nbird\r\n\r\n\n')).toEqual(['cat', 'dog', 'bird']);
  });
  it('labels.txt: a blank line in the middle is an error (it would shift classes)', () => {
    expect(() => parseLabelsFile('cat\n\ndog\n')).toThrow(/empty line 2/);
    expect(() => parseLabelsFile('\n\n')).toThrow(/is empty/);
  });
  it('labels.json: array, index object, Keras class-index style, {labels: [...]}', () => {
    expect(parseLabelsFile('["cat","dog"]', 'labels.json')).toEqual(['cat', 'dog']);
    expect(parseLabelsFile('{"1": "dog", "0": "cat"}', 'labels.json')).toEqual(['cat', 'dog']);
    expect(parseLabelsFile('{"0": ["n01440764", "tench"], "1": ["n01443537", "goldfish"]}', 'labels.json')).toEqual(['tench', 'goldfish']);
    expect(parseLabelsFile('{"labels": ["x"]}', 'labels.json')).toEqual(['x']);
    expect(() => parseLabelsFile('{"0": "cat", "2": "dog"}', 'labels.json')).toThrow(/key "2" is not a class index 0…1/);
  });
});

describe('resolveCard', () => {
  it('fills defaults from the model and reports what was inferred', () => {
    const r = resolveCard(undefined, facts);
    expect(r.preprocessing).toEqual({ height: 28, width: 28, channels: 1, channelOrder: 'rgb', normalization: 'zero-one', resize: 'stretch' });
    expect(r.labels).toEqual(['class 0', 'class 1', 'class 2']);
    expect(r.outputKind).toBe('logits');
    expect(r.given).toEqual([]);
    expect(r.inferred).toEqual(['name', 'labels', 'inputSize', 'channels', 'channelOrder', 'normalization', 'resize', 'outputKind', 'invert']);
  });
  it('uses given fields and splits given/inferred', () => {
    const r = resolveCard({ labels: ['x', 'y', 'z'], outputKind: 'softmax', invert: true }, facts);
    expect(r.labels).toEqual(['x', 'y', 'z']);
    expect(r.outputKind).toBe('softmax');
    expect(r.preprocessing.invert).toBe(true);
    expect(r.given).toEqual(['labels', 'outputKind', 'invert']);
  });
  it('needs an input size when the model accepts any size', () => {
    expect(() => resolveCard(undefined, { ...facts, inputShape: [null, null, null, 3] })).toThrow(/accepts images of any size/);
    expect(resolveCard({ inputSize: { height: 64, width: 48 } }, { ...facts, inputShape: [null, null, null, 3] }).preprocessing).toMatchObject({ height: 64, width: 48, channels: 3 });
  });
  it('refuses a card that contradicts the model', () => {
    expect(() => resolveCard({ inputSize: { height: 32, width: 28 }, channels: 3, labels: ['a'] }, facts)).toThrow(
      /height 32 but the model takes 28.*3 channel\(s\) but the model takes 1.*1 labels but the model gives 3 scores/,
    );
    expect(() => resolveCard({ normalization: { scale: 1, mean: [0, 0, 0], std: [1] } }, facts)).toThrow(/expected 1 or 1/);
  });
});

describe('cardFromAnswers', () => {
  it('maps the UI answers; auto output kind means detect', () => {
    expect(cardFromAnswers({ name: ' n ', labels: [], preprocessing: { height: 10, width: 12, normalization: 'imagenet', invert: false }, outputKind: 'auto' })).toEqual({
      name: 'n',
      inputSize: { height: 10, width: 12 },
      normalization: 'imagenet',
      invert: false,
    });
  });
});

describe('bundled-style cards', () => {
  it('understands a nested "preprocessing" object and "inputShape", and folds unknown fields into one warning', () => {
    const { card, warnings } = parseCardJson(
      JSON.stringify({ id: 'x', version: '1', name: 'N', inputShape: [28, 28, 1], preprocessing: { height: 28, width: 28, channels: 1, channelOrder: 'rgb', normalization: { scale: 1, mean: [0], std: [1] }, resize: 'stretch' }, training: {} }),
    );
    expect(card).toEqual({ name: 'N', inputSize: { height: 28, width: 28 }, channels: 1, channelOrder: 'rgb', normalization: { scale: 1, mean: [0], std: [1] }, resize: 'stretch' });
    expect(warnings).toEqual(['card.json: ignored unknown fields "id", "version", "training"']);
  });
});
