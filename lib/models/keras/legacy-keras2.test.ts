/**
 * The Keras 2 dialect of legacy `.h5` (tf.keras 2.x `model.save('x.h5')`): a Keras 2 `model_config`
 * (nested-list inbound nodes, `batch_input_shape`, dtype strings) and weights at
 * `model_weights/<layer>/<layer>/<weight>:0`, listed in each group's `weight_names`. We have no Keras 2
 * here, so the file is written with h5wasm in exactly that layout, from a tfjs model whose own
 * `toJSON()` is the Keras 2 config format; the loaded model must predict what the tfjs model predicts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { loadKerasModel } from './load';
import { writeKeras2H5 } from './__fixtures__/keras2-writer';
import { createLayersAdapter } from '@/lib/models/adapter';
import { runMethod } from '@/lib/explain/registry';
import { bytesFile } from './__fixtures__/fixtures';
import { maxPredictionDiff, transferModel } from './__fixtures__/synthetic';
import { ModelError } from '@/lib/models/types';
import { switchBackend, TEST_BACKENDS } from '@/lib/testing/backends';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function buildReference(): tf.LayersModel {
  const input = tf.input({ shape: [10, 10, 3], name: 'image' });
  const conv = tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', name: 'conv' }).apply(input) as tf.SymbolicTensor;
  const bn = tf.layers.batchNormalization({ name: 'bn' }).apply(conv) as tf.SymbolicTensor;
  const dw = tf.layers.depthwiseConv2d({ kernelSize: 3, strides: 2, padding: 'valid', name: 'dw' }).apply(bn) as tf.SymbolicTensor;
  const skip = tf.layers.conv2d({ filters: 4, kernelSize: 1, strides: 2, padding: 'valid', useBias: false, name: 'skip' }).apply(tf.layers.cropping2D({ cropping: [[0, 2], [0, 2]], name: 'crop' }).apply(bn) as tf.SymbolicTensor) as tf.SymbolicTensor;
  const add = tf.layers.add({ name: 'add' }).apply([dw, skip]) as tf.SymbolicTensor;
  const flat = tf.layers.flatten({ name: 'flat' }).apply(add) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: 3, activation: 'softmax', name: 'fc' }).apply(flat) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: out, name: 'k2net' });
  // Non-trivial BatchNorm statistics, so that a wrong weight order shows up in the outputs.
  const bnLayer = model.getLayer('bn');
  const [gamma, beta] = bnLayer.getWeights();
  const stats = [gamma, beta, tf.randomUniform([4], -0.5, 0.5, 'float32', 3), tf.randomUniform([4], 0.5, 2, 'float32', 4)] as tf.Tensor[];
  bnLayer.setWeights(stats);
  tf.dispose(stats.slice(2));
  return model;
}

/** Runs `body` on `ref` (written as a Keras 2 .h5 first), disposing `ref` after; `body` must leak no tensor. */
async function withH5(ref: tf.LayersModel, body: (bytes: Uint8Array) => Promise<void>): Promise<void> {
  try {
    const bytes = await writeKeras2H5(ref);
    const before = tf.memory().numTensors;
    await body(bytes);
    expect(tf.memory().numTensors).toBe(before);
  } finally {
    ref.dispose();
  }
}

describe('legacy .h5 in the Keras 2 dialect', () => {
  it('loads with the right weights in the right order and predicts like the original', async () => {
    const ref = buildReference();
    await withH5(ref, async (bytes) => {
      const loaded = await loadKerasModel([bytesFile('k2net.h5', bytes)]);
      try {
        expect(loaded.kerasFormat).toBe('h5');
        expect(loaded.sourceDescription).toMatch(/Keras 2\.15\.0/);
        expect(loaded.info.paramCount).toBe(ref.countParams());
        expect(loaded.info.outputKind).toBe('softmax');
        const diff = tf.tidy(() => {
          const x = tf.randomUniform([3, 10, 10, 3], 0, 1, 'float32', 9);
          const a = ref.predict(x) as tf.Tensor;
          const b = loaded.model.predict(x) as tf.Tensor;
          return tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] as number;
        });
        expect(diff).toBeLessThan(1e-6);
      } finally {
        loaded.model.dispose();
      }
    });
  });

  it('a nested model (the transfer-learning shape: Sequential[base, pooling, head]) loads, predicts and explains', async () => {
    const ref = transferModel();
    await withH5(ref, async (bytes) => {
      const loaded = await loadKerasModel([bytesFile('transfer.h5', bytes)]);
      const adapter = createLayersAdapter(loaded.model, loaded.info);
      try {
        expect(loaded.info.paramCount).toBe(ref.countParams());
        const x = () => tf.randomUniform([2, 12, 12, 3], 0, 1, 'float32', 11) as tf.Tensor4D;
        const diff = tf.tidy(() => {
          const want = ref.predict(x()) as tf.Tensor;
          const viaPredict = loaded.model.predict(x()) as tf.Tensor;
          const viaAdapter = adapter.scores(x());
          return [tf.max(tf.abs(tf.sub(want, viaPredict))).dataSync()[0], tf.max(tf.abs(tf.sub(want, viaAdapter))).dataSync()[0]] as number[];
        });
        expect(diff[0]).toBeLessThan(1e-5);
        expect(diff[1]).toBeLessThan(1e-5);
        // The nested base model is the spatial layer Grad-CAM uses.
        expect(loaded.info.spatialLayers).toContain('base');
        const img = { width: 12, height: 12, channels: 3, data: Float32Array.from({ length: 432 }, (_, i) => ((i * 37) % 101) / 100) };
        for (const id of ['saliency', 'grad-cam'] as const) {
          const a = await runMethod(id, adapter, img, 1, {});
          expect(a.values.length).toBe(144);
          expect(a.values.every(Number.isFinite)).toBe(true);
          expect(Math.max(...a.values) - Math.min(...a.values), `${id} ${Math.max(...a.values)}`).toBeGreaterThan(0);
        }
      } finally {
        adapter.dispose();
      }
    });
  });

  it('float64 weights are read (as float32); integer weights are refused, named', async () => {
    const ref = transferModel();
    try {
      const loaded = await loadKerasModel([bytesFile('f64.h5', await writeKeras2H5(ref, { dtype: 'float64' }))]);
      try {
        expect(maxPredictionDiff(ref, loaded.model)).toBeLessThan(1e-5);
      } finally {
        loaded.model.dispose();
      }
      let err: unknown;
      try {
        (await loadKerasModel([bytesFile('int.h5', await writeKeras2H5(ref, { dtype: 'int32' }))])).model.dispose();
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ModelError);
      expect((err as ModelError).code).toBe('load-failed');
      expect((err as ModelError).message).toMatch(/The weight “model_weights\/base\/base_conv1\/kernel:0” in int\.h5 is not floating-point data/);
    } finally {
      ref.dispose();
    }
  });

  it('gelu (exact, as Keras 3 defines it) predicts and differentiates on cpu and wasm', async () => {
    for (const backend of TEST_BACKENDS) {
      await switchBackend(backend);
      const input = tf.input({ shape: [12, 12, 3] });
      const c = tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'gelu' as never, name: 'conv_gelu' }).apply(input) as tf.SymbolicTensor;
      const g = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(c) as tf.SymbolicTensor;
      const ref = tf.model({ inputs: input, outputs: tf.layers.dense({ units: 3, name: 'fc' }).apply(g) as tf.SymbolicTensor });
      try {
        const loaded = await loadKerasModel([bytesFile('gelu.h5', await writeKeras2H5(ref))]);
        const adapter = createLayersAdapter(loaded.model, loaded.info);
        try {
          expect(maxPredictionDiff(ref, loaded.model), backend).toBeLessThan(1e-5);
          const img = { width: 12, height: 12, channels: 3, data: Float32Array.from({ length: 432 }, (_, i) => ((i * 53) % 97) / 96) };
          const a = await runMethod('saliency', adapter, img, 0, {});
          expect(a.values.every(Number.isFinite), backend).toBe(true);
          expect(Math.max(...a.values), backend).toBeGreaterThan(0);
        } finally {
          adapter.dispose();
        }
      } finally {
        ref.dispose();
      }
    }
  });
});

afterAll(async () => switchBackend('cpu'));
