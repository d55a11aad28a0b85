/**
 * Exact incremental occlusion: the same maps as plain batched occlusion (max |Δ| < 1e-5 over every class's
 * map) on residual, depthwise and strided models built here and on the bundled 28×28 models, on CPU and
 * WASM; the plain path (with its reason) where the model cannot run incrementally; no leaks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createGraphAdapter } from '@/lib/models/adapter';
import { TEST_BACKENDS, switchBackend } from '@/lib/testing/backends';
import { adapterFor, expectLeakTargetAbort } from '@/lib/testing/explain';
import { fileFetch } from '@/lib/testing/file-fetch';
import { tinyGraphAsLayers, tinyGraphModel } from '@/lib/testing/graph-model';
import { infoFor, linearModel, seededImage } from '@/lib/testing/models';
import type { ImageInput, ModelAdapter } from '../../types';
import type { OcclusionConfig } from './meta';
import { prepareIncremental } from './incremental';
import { occlusion, plainOcclusion } from './run';

const init = (seed: number) => tf.initializers.glorotNormal({ seed });
/** BatchNorm with seeded, non-trivial statistics (so it is not the identity). */
const bn = (seed: number, name: string) =>
  tf.layers.batchNormalization({
    name,
    gammaInitializer: tf.initializers.randomUniform({ minval: 0.5, maxval: 1.5, seed }),
    betaInitializer: tf.initializers.randomNormal({ stddev: 0.1, seed: seed + 1 }),
    movingMeanInitializer: tf.initializers.randomNormal({ stddev: 0.1, seed: seed + 2 }),
    movingVarianceInitializer: tf.initializers.randomUniform({ minval: 0.5, maxval: 2, seed: seed + 3 }),
  });
const apply = (layer: tf.layers.Layer, x: tf.SymbolicTensor | tf.SymbolicTensor[]) =>
  layer.apply(x) as tf.SymbolicTensor;

/** Residual: conv → conv → BN → Add(skip) → ReLU → MaxPool 3×3/2 'same' (−∞ padding) → conv → GAP → Dense. */
function residualModel(): tf.LayersModel {
  const input = tf.input({ shape: [20, 20, 3] });
  const stem = apply(
    tf.layers.conv2d({
      filters: 8,
      kernelSize: 3,
      padding: 'same',
      activation: 'relu',
      kernelInitializer: init(1),
      biasInitializer: 'ones',
      name: 'stem',
    }),
    input,
  );
  const c = apply(
    tf.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same', kernelInitializer: init(2), name: 'res_conv' }),
    stem,
  );
  const sum = apply(tf.layers.add({ name: 'res_add' }), [stem, apply(bn(10, 'res_bn'), c)]);
  const act = apply(tf.layers.reLU({ name: 'res_relu' }), sum);
  const pool = apply(tf.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same', name: 'pool' }), act);
  const c2 = apply(
    tf.layers.conv2d({
      filters: 6,
      kernelSize: 3,
      padding: 'same',
      activation: 'tanh',
      kernelInitializer: init(3),
      name: 'conv2',
    }),
    pool,
  );
  const gap = apply(tf.layers.globalAveragePooling2d({ name: 'gap' }), c2);
  return tf.model({
    inputs: input,
    outputs: apply(tf.layers.dense({ units: 4, kernelInitializer: init(4), name: 'logits' }), gap),
  });
}

/** MobileNetV2-style: conv 3×3/2 → BN → ReLU6 → depthwise (×2) → BN → ReLU6 → 1×1 → Add → separable → avg pool. */
function depthwiseModel(): tf.LayersModel {
  const input = tf.input({ shape: [24, 24, 3] });
  const stem = apply(
    tf.layers.conv2d({
      filters: 8,
      kernelSize: 3,
      strides: 2,
      padding: 'same',
      useBias: false,
      kernelInitializer: init(5),
      name: 'stem',
    }),
    input,
  );
  const s = apply(tf.layers.reLU({ maxValue: 6, name: 'stem_relu' }), apply(bn(20, 'stem_bn'), stem));
  const dw = apply(
    tf.layers.depthwiseConv2d({
      kernelSize: 3,
      depthMultiplier: 2,
      padding: 'same',
      depthwiseInitializer: init(6),
      name: 'dw',
    }),
    s,
  );
  const d = apply(tf.layers.reLU({ maxValue: 6, name: 'dw_relu' }), apply(bn(30, 'dw_bn'), dw));
  const pw = apply(tf.layers.conv2d({ filters: 8, kernelSize: 1, kernelInitializer: init(7), name: 'pw' }), d);
  const sum = apply(tf.layers.add({ name: 'add' }), [s, pw]);
  const sep = apply(
    tf.layers.separableConv2d({
      filters: 6,
      kernelSize: 3,
      padding: 'valid',
      activation: 'relu',
      depthwiseInitializer: init(8),
      pointwiseInitializer: init(9),
      name: 'sep',
    }),
    sum,
  );
  const pool = apply(tf.layers.averagePooling2d({ poolSize: 2, name: 'avg' }), sep);
  const flat = apply(tf.layers.flatten({ name: 'flatten' }), pool);
  return tf.model({
    inputs: input,
    outputs: apply(tf.layers.dense({ units: 3, kernelInitializer: init(10), name: 'logits' }), flat),
  });
}

/** Strided, odd-sized: conv 5×5/2 valid → ZeroPadding2D → dilated 3×3 'same' → conv 2×2/3 (gaps) → MaxPool. */
function stridedModel(): tf.LayersModel {
  return tf.sequential({
    layers: [
      tf.layers.conv2d({
        inputShape: [29, 31, 1],
        filters: 4,
        kernelSize: 5,
        strides: 2,
        activation: 'relu',
        kernelInitializer: init(11),
        name: 'c1',
      }),
      tf.layers.zeroPadding2d({
        padding: [
          [1, 2],
          [2, 1],
        ],
        name: 'pad',
      }),
      tf.layers.conv2d({
        filters: 6,
        kernelSize: 3,
        dilationRate: 2,
        padding: 'same',
        activation: 'elu',
        kernelInitializer: init(12),
        name: 'dilated',
      }),
      tf.layers.conv2d({ filters: 6, kernelSize: 2, strides: 3, kernelInitializer: init(13), name: 'gappy' }),
      tf.layers.maxPooling2d({ poolSize: 2, name: 'pool' }),
      tf.layers.flatten({ name: 'flatten' }),
      tf.layers.dense({ units: 3, kernelInitializer: init(14), name: 'logits' }),
    ],
  });
}

/** Test image `i` of the bundled Fashion-MNIST set (28×28 grey, p ∈ [0, 1]). */
function fashionImage(i: number): ImageInput {
  const bytes = readFileSync(path.join(process.cwd(), 'models', 'datasets', 'fashion-test-2k', 'images.u8'));
  const data = Float32Array.from(bytes.subarray(i * 784, (i + 1) * 784), (b) => b / 255);
  return { width: 28, height: 28, channels: 1, data };
}

async function bundled(id: string): Promise<tf.LayersModel> {
  const url = pathToFileURL(path.join(process.cwd(), 'models', id, 'model.json')).href;
  return tf.loadLayersModel(tf.io.http(url, { fetchFunc: fileFetch }));
}

/** Runs both paths; asserts the incremental one ran and every class map matches plain. Returns max |Δ|. */
async function expectSameMaps(
  adapter: ModelAdapter,
  img: ImageInput,
  target: number,
  config: Partial<OcclusionConfig>,
): Promise<number> {
  const inc = await occlusion.run(adapter, img, target, config);
  const plain = await plainOcclusion.run(adapter, img, target, config);
  expect(inc.extras.path.kind, JSON.stringify(inc.extras.path)).toBe('incremental');
  expect(plain.extras.path).toEqual({ kind: 'plain', reason: 'plain occlusion was requested' });
  expect(inc.timings.forwardPasses).toBe(plain.timings.forwardPasses);
  expect(inc.extras.referenceProbability).toBeCloseTo(plain.extras.referenceProbability, 6);
  expect(inc.extras.perClass.classes).toEqual(plain.extras.perClass.classes);
  let maxDelta = 0;
  let maxAbs = 0;
  plain.extras.perClass.maps.forEach((m, ci) => {
    const other = inc.extras.perClass.maps[ci] as Float32Array;
    m.forEach((v, i) => {
      maxDelta = Math.max(maxDelta, Math.abs(v - (other[i] as number)));
      maxAbs = Math.max(maxAbs, Math.abs(v));
    });
  });
  expect(maxAbs).toBeGreaterThan(1e-4); // the maps say something (a model that ignores the patches would pass vacuously)
  expect(maxDelta).toBeLessThan(1e-5);
  return maxDelta;
}

describe.each(TEST_BACKENDS)('incremental occlusion on %s', (backend) => {
  beforeAll(async () => switchBackend(backend));
  afterAll(async () => switchBackend('cpu'));

  it('residual model (Add, BatchNorm, MaxPool same): same maps as plain for every fill', async () => {
    const adapter = adapterFor(residualModel());
    const img = seededImage(20, 20, 3, 3);
    for (const fill of ['zero', 'mean', 'blur'] as const)
      await expectSameMaps(adapter, img, 1, { windowSize: 4, stride: 3, batchSize: 7, fill });
    const r = await occlusion.run(adapter, img, 1, { windowSize: 4, stride: 3 });
    // Everything up to the pooled conv runs on boxes; GAP is where the network goes back to full maps.
    expect(r.extras.path).toMatchObject({ kind: 'incremental', regionLayers: 7, layers: 9, fullFrom: 'gap' });
    adapter.dispose();
  });

  it('depthwise model (stride 2, depth multiplier, 1×1, Add, separable valid, average pool): same maps', async () => {
    const adapter = adapterFor(depthwiseModel(), { preprocessing: { normalization: 'imagenet' } });
    const img = seededImage(24, 24, 3, 5);
    await expectSameMaps(adapter, img, 2, { windowSize: 5, stride: 4, batchSize: 8, fill: 'grey' });
    await expectSameMaps(adapter, img, 0, { windowSize: 3, stride: 3, batchSize: 64 });
    adapter.dispose();
  });

  it('strided odd-sized model (valid 5×5/2, ZeroPadding2D, dilation 2, stride > kernel): same maps', async () => {
    const adapter = adapterFor(stridedModel());
    const img = seededImage(29, 31, 1, 9);
    await expectSameMaps(adapter, img, 0, { windowSize: 5, stride: 4, batchSize: 16, fill: 'mean' });
    await expectSameMaps(adapter, img, 2, { windowSize: 2, stride: 2, batchSize: 100 });
    const r = await occlusion.run(adapter, img, 0, { windowSize: 5, stride: 4 });
    expect(r.extras.path).toMatchObject({ kind: 'incremental', regionLayers: 4, fullFrom: 'pool' });
    adapter.dispose();
  });

  it('no leaks (run twice), target checks, cancellation between chunks', async () => {
    const adapter = adapterFor(residualModel());
    const img = seededImage(20, 20, 3, 4);
    await expectLeakTargetAbort(occlusion, adapter, img, 1, {
      config: { windowSize: 4, stride: 3, batchSize: 8 },
      midRun: true,
    });
    const r = await occlusion.run(adapter, img, 1, { windowSize: 4, stride: 3, batchSize: 8 });
    expect(r.extras.path.kind).toBe('incremental');
    adapter.dispose();
  });
});

describe('incremental occlusion on the bundled 28×28 models (wasm)', () => {
  beforeAll(async () => switchBackend('wasm'));
  afterAll(async () => switchBackend('cpu'));

  it.each(['fashion-finetuned', 'fashion-pretrained', 'fashion-scratch', 'mnist-cnn'])(
    '%s: same maps as plain',
    async (id) => {
      const model = await bundled(id);
      const adapter = adapterFor(model, { outputKind: 'logits' });
      const img = fashionImage(0);
      await expectSameMaps(adapter, img, 3, { windowSize: 8, stride: 4, batchSize: 32 }); // the defaults
      await expectSameMaps(adapter, img, 7, { windowSize: 5, stride: 3, batchSize: 50, fill: 'blur' });
      adapter.dispose();
    },
  );
});

describe('plain occlusion where the incremental path cannot run (the reason in extras.path)', () => {
  beforeAll(async () => switchBackend('cpu'));

  it('graph model: no layer plan', async () => {
    const g = await tinyGraphModel();
    const layers = tinyGraphAsLayers(g);
    const adapter = createGraphAdapter(g.model, {
      ...infoFor(layers),
      format: 'graph' as const,
      spatialLayers: ['relu1'],
    });
    layers.dispose();
    const r = await occlusion.run(adapter, seededImage(4, 4, 1, 2), 0, { windowSize: 2, stride: 1 });
    expect(r.extras.path).toEqual({
      kind: 'plain',
      reason: 'only tfjs layers models run incrementally (this model has no layer plan)',
    });
    adapter.dispose();
  });

  it('a first layer that is not spatial (Flatten) or not supported (AveragePooling2D same)', async () => {
    const linear = adapterFor(
      linearModel(
        6,
        6,
        1,
        2,
        Float32Array.from({ length: 72 }, (_, i) => Math.sin(i)),
      ),
    );
    const r = await occlusion.run(linear, seededImage(6, 6, 1), 0, { windowSize: 2, stride: 2 });
    expect(r.extras.path.kind).toBe('plain');
    expect(r.extras.path.kind === 'plain' && r.extras.path.reason).toMatch(
      /first layer \(.*\) cannot run on boxes: Flatten is not spatial/,
    );
    linear.dispose();
    const avg = adapterFor(
      tf.sequential({
        layers: [
          tf.layers.averagePooling2d({ inputShape: [8, 8, 1], poolSize: 2, padding: 'same' }),
          tf.layers.flatten(),
          tf.layers.dense({ units: 2 }),
        ],
      }),
    );
    const a = await occlusion.run(avg, seededImage(8, 8, 1), 0, { windowSize: 2, stride: 2 });
    expect(a.extras.path.kind === 'plain' && a.extras.path.reason).toMatch(/AveragePooling2D with same padding/);
    avg.dispose();
  });

  it('a patch that changes most of the first map: plain (not cheaper)', async () => {
    const adapter = adapterFor(residualModel());
    const r = await occlusion.run(adapter, seededImage(20, 20, 3), 0, { windowSize: 16, stride: 4 });
    expect(r.extras.path.kind === 'plain' && r.extras.path.reason).toMatch(/covers \d+% of its map/);
    adapter.dispose();
  });
});

describe("both ways of putting patches together give the patched images' probabilities", () => {
  beforeAll(async () => switchBackend('cpu'));

  it.each(['copy', 'gather'] as const)(
    '%s: one batch equals adapter.probabilities on the patched images',
    async (assembly) => {
      const adapter = adapterFor(residualModel());
      const img = seededImage(20, 20, 3, 8);
      const fill = new Float32Array(img.data.length).fill(0.25);
      const batch = { rows: [0, 16, 8, 3], cols: [16, 0, 9, 3] };
      const setup = { input: img, fill, patchH: 4, patchW: 4, all: batch };
      const before = tf.memory().numTensors;
      const scorer = await prepareIncremental(adapter, setup, { assembly });
      if (!('score' in scorer)) throw new Error(scorer.reason);
      const got = await scorer.score(batch);
      scorer.dispose();
      expect(tf.memory().numTensors).toBe(before);
      const images = new Float32Array(4 * img.data.length);
      batch.rows.forEach((y0, b) => {
        const x0 = batch.cols[b] as number;
        images.set(img.data, b * img.data.length);
        for (let y = y0; y < y0 + 4; y++)
          images.fill(0.25, b * img.data.length + (y * 20 + x0) * 3, b * img.data.length + (y * 20 + x0 + 4) * 3);
      });
      const p = tf.tidy(() => adapter.probabilities(tf.tensor4d(images, [4, 20, 20, 3])));
      const want = await p.data();
      p.dispose();
      expect(got.length).toBe(16);
      got.forEach((v, i) => expect(Math.abs(v - (want[i] as number))).toBeLessThan(1e-6));
      adapter.dispose();
    },
  );
});
