/**
 * Head fine-tuning on tfjs CPU (Node): a separable toy problem reaches 100 %; class weights raise a rare
 * class's recall on a skewed toy set; cut points of a CNN; features + head saved as one model whose logits
 * are head(body(x)); the tensor count returns to its baseline, twice.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { gaussian, mulberry32 } from '@/lib/random';
import { DEFAULT_HEAD_TUNE, scoreLogits, stratifiedSplit, type HeadTuneOptions } from '@/lib/train';
import { switchBackend, tensorCountAround } from '@/lib/testing/backends';
import { seededImage, smallCnn } from '@/lib/testing/models';
import { loadModelFromPackage } from '@/lib/models/load';
import type { Preprocessing } from '@/lib/models/types';
import { cutPoints, extractFeatures, fitHead, saveWithHead } from './headtune-train';

beforeAll(() => switchBackend('cpu'));

const opts = (o: Partial<HeadTuneOptions> = {}): HeadTuneOptions => ({ ...DEFAULT_HEAD_TUNE, ...o });

/** n points per class in d dims around class means `means[c]` (std `sd`). */
function blobs(counts: number[], means: number[][], sd: number, seed: number) {
  const g = gaussian(mulberry32(seed));
  const d = (means[0] as number[]).length;
  const labels: number[] = [];
  const values: number[] = [];
  counts.forEach((n, c) => {
    for (let i = 0; i < n; i++) {
      labels.push(c);
      for (let j = 0; j < d; j++) values.push(((means[c] as number[])[j] as number) + sd * g());
    }
  });
  return { features: Float32Array.from(values), labels: Int32Array.from(labels), d };
}

/** Logits x·W + b, row-major [n × K], for x [n × d], W [d × K], b [K]. */
function linearLogits(x: Float32Array, d: number, kernel: Float32Array, bias: Float32Array): number[] {
  const k = bias.length;
  const out: number[] = [];
  for (let i = 0; i < x.length / d; i++)
    for (let c = 0; c < k; c++) {
      let s = bias[c] as number;
      for (let j = 0; j < d; j++) s += (x[i * d + j] as number) * (kernel[j * k + c] as number);
      out.push(s);
    }
  return out;
}

/** Recall per class of the head (W, b) on (features, labels). */
function recallOf(fit: { kernel: Float32Array; bias: Float32Array }, x: Float32Array, labels: Int32Array, d: number) {
  return scoreLogits(linearLogits(x, d, fit.kernel, fit.bias), labels, fit.bias.length).recall;
}

const PRE: Preprocessing = {
  height: 8,
  width: 8,
  channels: 3,
  channelOrder: 'rgb',
  normalization: { scale: 1, mean: [0.5, 0.5, 0.5], std: [0.25, 0.25, 0.25] },
  resize: 'stretch',
};

describe('fitHead', () => {
  it('reaches 100 % on a separable toy problem (train and held-out), with a falling loss', async () => {
    const means = [
      [4, 0, 0],
      [0, 4, 0],
      [0, 0, 4],
    ];
    const { features, labels, d } = blobs([40, 40, 40], means, 0.5, 3);
    const split = stratifiedSplit(labels, 3, 0.25, 1);
    const fit = await fitHead(features, d, labels, 3, split, opts({ epochs: 30, learningRate: 0.05 }));
    const last = fit.curve[fit.curve.length - 1];
    expect(fit.curve).toHaveLength(30);
    expect(last?.trainAccuracy).toBe(1);
    expect(last?.heldOutAccuracy).toBe(1);
    expect(last?.trainLoss).toBeLessThan((fit.curve[0]?.trainLoss ?? 0) / 2);
    expect(fit.heldOutRecall).toEqual([1, 1, 1]);
    expect(fit.examplesSeen).toBe(30 * split.train.length);
  });

  it('class weights (and oversampling) raise a rare class’s recall on a skewed toy set', async () => {
    const means = [
      [0, 0],
      [1.5, 1.5],
    ];
    const train = blobs([300, 12], means, 1, 5);
    const test = blobs([500, 500], means, 1, 6);
    const all = { train: Array.from(train.labels.keys()), heldOut: [] };
    const o = opts({ epochs: 20, batchSize: 64, learningRate: 0.05, weightDecay: 0 });
    const plain = await fitHead(train.features, 2, train.labels, 2, all, { ...o, classWeights: false });
    const weighted = await fitHead(train.features, 2, train.labels, 2, all, { ...o, classWeights: true });
    const over = await fitHead(train.features, 2, train.labels, 2, all, {
      ...o,
      classWeights: false,
      oversample: true,
    });
    const rPlain = recallOf(plain, test.features, test.labels, 2)[1] as number;
    const rWeighted = recallOf(weighted, test.features, test.labels, 2)[1] as number;
    const rOver = recallOf(over, test.features, test.labels, 2)[1] as number;
    expect(rPlain).toBeLessThan(0.5);
    expect(rWeighted).toBeGreaterThan(rPlain + 0.2);
    expect(rOver).toBeGreaterThan(rPlain + 0.2);
  });

  it('stops with AbortError when cancelled', async () => {
    const { features, labels, d } = blobs([20, 20], [[1], [-1]], 0.5, 2);
    const c = new AbortController();
    c.abort();
    const run = fitHead(features, d, labels, 2, { train: [...labels.keys()], heldOut: [] }, opts(), {
      signal: c.signal,
    });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('leaves no tensor behind (twice, and after a cancel)', async () => {
    const { features, labels, d } = blobs(
      [20, 20],
      [
        [1, 0],
        [-1, 0],
      ],
      0.5,
      2,
    );
    const split = stratifiedSplit(labels, 2, 0.2, 0);
    const { before, after } = await tensorCountAround(async () => {
      await fitHead(features, d, labels, 2, split, opts({ epochs: 3, oversample: true }));
      const c = new AbortController();
      await fitHead(features, d, labels, 2, split, opts({ epochs: 3 }), {
        signal: c.signal,
        onEpoch: () => c.abort(),
      }).catch(() => undefined);
    });
    expect(after).toBe(before);
  });
});

describe('cut points, features and the saved model', () => {
  it('lists flat layers and defaults to the input of the last Dense layer', () => {
    const m = smallCnn(1, [8, 8, 3], 3);
    const { points, defaultCut } = cutPoints(m);
    expect(points.map((p) => p.name)).toEqual(['flatten']);
    expect(points[0]?.units).toBe(4 * 4 * 6);
    expect(defaultCut).toBe('flatten');
    m.dispose();
  });

  it('saves body + head as one model whose logits are head(body(x)), without leaking', async () => {
    const images = [1, 2, 3, 4, 5].map((s) => seededImage(8, 8, 3, s));
    const k = 2;
    const { before, after } = await tensorCountAround(async () => {
      const base = smallCnn(1, [8, 8, 3], 3);
      const { features, units } = await extractFeatures(base, 'flatten', PRE, images.length, (i) => images[i]!, {
        batchSize: 2,
      });
      expect(features).toHaveLength(images.length * units);
      const kernel = Float32Array.from({ length: units * k }, (_, i) => Math.sin(i) * 0.1);
      const bias = Float32Array.from([0.3, -0.2]);
      const expected = linearLogits(features, units, kernel, bias);
      const pkg = await saveWithHead(base, 'flatten', kernel, bias);
      const loaded = await loadModelFromPackage(pkg, {
        source: 'user',
        card: { labels: ['a', 'b'], outputKind: 'logits', normalization: PRE.normalization },
      });
      try {
        expect(loaded.info.numClasses).toBe(2);
        expect(loaded.info.spatialLayers).toContain('conv2');
        const got = tf.tidy(() => {
          const x = tf.tensor4d(Float32Array.from(images.flatMap((im) => Array.from(im.data))), [
            images.length,
            8,
            8,
            3,
          ]);
          const out = (loaded.model as tf.LayersModel).predict(x.sub(0.5).div(0.25)) as tf.Tensor;
          return Array.from(out.dataSync());
        });
        expect(got).toHaveLength(expected.length);
        got.forEach((v, i) => expect(v).toBeCloseTo(expected[i] as number, 4));
      } finally {
        loaded.model.dispose();
      }
    });
    expect(after).toBe(before);
  });
});
