/**
 * Corpus parity: every model exported by scripts/corpus/export_torchvision.py (torchvision classifiers,
 * op models, the bundled models rebuilt in PyTorch) gives PyTorch's outputs on fixed inputs, on the CPU and
 * WASM backends: max |tfjs − torch| / max |torch| < 1e-4; and the input gradients agree with torch.autograd
 * (max relative difference < 1e-3: ReLU/MaxPool kinks may flip on float32 rounding).
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { switchBackend, TEST_BACKENDS } from '@/lib/testing/backends';
import { loadOnnxModel } from './load';
import { corpusFiles, corpusManifest, corpusReference, maxRelativeDifference } from './test-corpus';

const models = corpusManifest().models;
const timings: string[] = [];

describe.each(TEST_BACKENDS)('ONNX corpus parity on %s', (backend) => {
  it('the corpus has every required torchvision model', () => {
    const names = models.map((m) => m.name);
    for (const n of ['resnet18', 'mobilenet_v2', 'mobilenet_v3_small', 'efficientnet_b0', 'densenet121', 'squeezenet1_1', 'shufflenet_v2_x0_5', 'regnet_x_400mf']) {
      expect(names).toContain(n);
    }
  });

  it.each(models.map((m) => [m.name, m] as const))('%s matches PyTorch', async (_name, entry) => {
    await switchBackend(backend);
    const before = tf.memory().numTensors;
    const t0 = performance.now();
    const { adapter, info } = await loadOnnxModel(corpusFiles(entry));
    const loadMs = performance.now() - t0;
    try {
      expect(info.numClasses).toBe(entry.outputShape[1]);
      const ref = corpusReference(entry);
      const t1 = performance.now();
      const y = tf.tidy(() => adapter.runModelSpace(tf.tensor4d(ref.nhwc, ref.shape)));
      const got = (await y.data()) as Float32Array;
      y.dispose();
      const rel = maxRelativeDifference(got, ref.output);
      const forwardMs = performance.now() - t1;
      // Input gradient of the summed class-`gradClass` output, against torch.autograd.
      const g = tf.tidy(() => tf.grad((x: tf.Tensor) => tf.sum(tf.slice(adapter.runModelSpace(x as tf.Tensor4D), [0, entry.gradClass], [-1, 1])))(tf.tensor4d(ref.nhwc, ref.shape)));
      const gotGrad = (await g.data()) as Float32Array;
      g.dispose();
      const relGrad = maxRelativeDifference(gotGrad, ref.grad);
      timings.push(`${backend} ${entry.name}: load ${loadMs.toFixed(0)} ms, forward(${ref.shape[0]}) ${forwardMs.toFixed(0)} ms, max rel diff ${rel.toExponential(2)}, gradient ${relGrad.toExponential(2)}`);
      expect(rel).toBeLessThan(1e-4);
      expect(relGrad).toBeLessThan(1e-3);
    } finally {
      adapter.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  }, 180_000);
});

afterAll(() => {
  console.log(timings.join('\n'));
});
