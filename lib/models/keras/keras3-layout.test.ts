/**
 * The Keras 3 `.weights.h5` layout beyond the flat fixtures: a nested model (layers/<generic>/layers/…),
 * and files whose `vars` groups carry no `name` attribute (mapped by Keras' generic names instead).
 * Written with h5wasm from tfjs models (see __fixtures__/keras3-writer.ts).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { loadKerasModel } from './load';
import { bytesFile } from './__fixtures__/fixtures';
import { writeKeras3Archive } from './__fixtures__/keras3-writer';
import { maxPredictionDiff, perturbBatchNorm, transferModel } from './__fixtures__/synthetic';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Two layers of each class, so that generic names with counters (conv2d, conv2d_1) matter. */
function twoOfEach(): tf.LayersModel {
  const input = tf.input({ shape: [12, 12, 3], name: 'img' });
  let x = tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', name: 'first_conv' }).apply(input) as tf.SymbolicTensor;
  x = tf.layers.batchNormalization({ name: 'bn_a' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.conv2d({ filters: 5, kernelSize: 3, padding: 'same', activation: 'relu', name: 'second_conv' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.batchNormalization({ name: 'bn_b' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(x) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: 3, name: 'fc' }).apply(x) as tf.SymbolicTensor;
  const m = tf.model({ inputs: input, outputs: out, name: 'two' });
  perturbBatchNorm(m.getLayer('bn_a'), 1);
  perturbBatchNorm(m.getLayer('bn_b'), 3);
  return m;
}

describe('Keras 3 weights layout', () => {
  for (const withNames of [true, false]) {
    it(`nested model, ${withNames ? 'with' : 'without'} vars/name attributes`, async () => {
      const ref = transferModel();
      try {
        const bytes = await writeKeras3Archive(ref, { withNames });
        const before = tf.memory().numTensors;
        const loaded = await loadKerasModel([bytesFile('transfer.keras', bytes)]);
        try {
          expect(loaded.kerasFormat).toBe('keras');
          expect(loaded.info.paramCount).toBe(ref.countParams());
          expect(maxPredictionDiff(ref, loaded.model)).toBeLessThan(1e-5);
        } finally {
          loaded.model.dispose();
        }
        expect(tf.memory().numTensors).toBe(before);
      } finally {
        ref.dispose();
      }
    });

    it(`two layers per class (generic names with counters), ${withNames ? 'with' : 'without'} vars/name attributes`, async () => {
      const ref = twoOfEach();
      try {
        const loaded = await loadKerasModel([bytesFile('two.keras', await writeKeras3Archive(ref, { withNames }))]);
        try {
          expect(maxPredictionDiff(ref, loaded.model)).toBeLessThan(1e-5);
        } finally {
          loaded.model.dispose();
        }
      } finally {
        ref.dispose();
      }
    });
  }
});
