import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { TEST_BACKENDS, switchBackend } from '@/lib/testing/backends';
import { adapterFor, expectAbort, expectNoLeak, expectTargetErrors } from '@/lib/testing/explain';
import { constantImage, gradCamMaskModel, seededImage, skipModel, smallCnn } from '@/lib/testing/models';
import { ExplainError } from './types';
import { gradCam } from './grad-cam';
import { gradCamPlusPlus } from './grad-cam-plus-plus';

// A mask written in the test (1 = object).
const MASK = [
  [0, 0, 0, 0, 0, 0],
  [0, 1, 1, 0, 0, 0],
  [0, 1, 1, 1, 0, 0],
  [0, 0, 1, 1, 0, 0],
  [0, 0, 0, 0, 0, 1],
  [0, 0, 0, 0, 0, 0],
];
const maskImage = () => ({ width: 6, height: 6, channels: 1, data: Float32Array.from(MASK.flat()) });

describe.each(TEST_BACKENDS)('Grad-CAM / Grad-CAM++ on %s', (backend) => {
  beforeAll(async () => switchBackend(backend));

  it('hand-set conv weights reproduce the mask (class 0) and its complement (class 1)', async () => {
    const adapter = adapterFor(gradCamMaskModel(6, 6));
    const a = await gradCam.run(adapter, maskImage(), 0, { layer: 'feat' });
    expect(a.signed).toBe(false);
    // α_0 = 1/36, α_1 = 0  →  map = mask / 36.
    const ex = a.extras as { channelWeights: Float32Array; camWidth: number };
    expect(ex.camWidth).toBe(6);
    expect(ex.channelWeights[0]).toBeCloseTo(1 / 36, 6);
    expect(ex.channelWeights[1]).toBeCloseTo(0, 6);
    MASK.flat().forEach((m, i) => expect(a.values[i]).toBeCloseTo(m / 36, 6));
    const b = await gradCam.run(adapter, maskImage(), 1, { layer: 'feat' });
    MASK.flat().forEach((m, i) => expect(b.values[i]).toBeCloseTo((1 - m) / 36, 6));
    adapter.dispose();
  });

  it('Grad-CAM++ known answer on the same model: α_0 = 36·c·c²/(2c² + S·c³), c = 1/36, S = Σ mask', async () => {
    const adapter = adapterFor(gradCamMaskModel(6, 6));
    const a = await gradCamPlusPlus.run(adapter, maskImage(), 0, { layer: 'feat' });
    const c = 1 / 36;
    const S = MASK.flat().reduce((s, v) => s + v, 0);
    const alpha0 = 36 * c * ((c * c) / (2 * c * c + S * c * c * c));
    const ex = a.extras as { channelWeights: Float32Array };
    expect(ex.channelWeights[0]).toBeCloseTo(alpha0, 6);
    expect(ex.channelWeights[1]).toBe(0);
    MASK.flat().forEach((m, i) => expect(a.values[i]).toBeCloseTo(m * alpha0, 6));
    adapter.dispose();
  });

  it('an all-zero activation gives an all-zero map, never NaN (both variants)', async () => {
    // Input 0 → channel 0 is all zero; class 0 depends on channel 0 only.
    const adapter = adapterFor(gradCamMaskModel(6, 6));
    for (const m of [gradCam, gradCamPlusPlus]) {
      const a = await m.run(adapter, constantImage(6, 6, 1, 0), 0, { layer: 'feat' });
      expect(a.values.every((v) => v === 0)).toBe(true);
    }
    adapter.dispose();
  });

  it('upsamples a coarse layer to the input size; default layer = last spatial layer', async () => {
    const adapter = adapterFor(smallCnn(3));
    const a = await gradCam.run(adapter, seededImage(8, 8, 3, 4), 1, {});
    expect(a.config.layer).toBe('pool2');
    expect((a.extras as { camWidth: number }).camWidth).toBe(4);
    expect(a.values.length).toBe(64);
    expect(a.values.every((v) => Number.isFinite(v) && v >= 0)).toBe(true);
    // Bilinear upsampling of a 4×4 map: every output lies within the range of the coarse map.
    const cam = (a.extras as { cam: Float32Array }).cam;
    expect(Math.max(...a.values)).toBeLessThanOrEqual(Math.max(...cam) + 1e-6);
    await expect(gradCam.run(adapter, seededImage(8, 8, 3), 1, { layer: 'flatten' })).rejects.toBeInstanceOf(ExplainError);
    adapter.dispose();
  });

  it('functional model with a skip connection (Add) and depthwise conv: CAM equals a hand computation', async () => {
    const model = skipModel(8);
    const adapter = adapterFor(model);
    const img = seededImage(8, 8, 3, 6);
    for (const layer of ['conv_a', 'add', 'dw']) {
      const a = await gradCam.run(adapter, img, 2, { layer });
      const ex = a.extras as { cam: Float32Array; camWidth: number; camHeight: number };
      // Reference Grad-CAM from the adapter's raw activations and gradients.
      const ref = tf.tidy(() => {
        const r = adapter.layerGradients(tf.tensor4d(img.data, [1, 8, 8, 3]), layer, 2);
        return tf.relu(tf.sum(tf.mul(r.activations, tf.mean(r.grads, [1, 2], true)), 3));
      });
      const refData = await ref.data();
      ref.dispose();
      expect(ex.cam.length).toBe(refData.length);
      ex.cam.forEach((v, i) => expect(v).toBeCloseTo(refData[i] as number, 5));
      expect(a.values.every((v) => Number.isFinite(v))).toBe(true);
    }
    adapter.dispose();
  });

  it('incompatible without spatial layers; no leaks, target checks, cancellation', async () => {
    const adapter = adapterFor(smallCnn(1));
    expect(gradCam.isCompatible({ ...adapter.info, spatialLayers: [] })).toBe(false);
    const img = seededImage(8, 8, 3);
    for (const m of [gradCam, gradCamPlusPlus]) {
      await expectNoLeak(m, adapter, img, 1, { layer: 'conv2' });
      await expectTargetErrors(m, adapter, img);
      await expectAbort(m, adapter, img, 1, {}, false);
    }
    adapter.dispose();
  });
});
