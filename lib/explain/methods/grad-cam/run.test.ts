import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { TEST_BACKENDS, switchBackend } from '@/lib/testing/backends';
import { adapterFor, expectLeakTargetAbort } from '@/lib/testing/explain';
import {
  constantImage,
  GRAD_CAM_MASK,
  gradCamMaskImage,
  gradCamMaskModel,
  seededImage,
  skipModel,
  smallCnn,
} from '@/lib/testing/models';
import { ExplainError } from '../../types';
import { gradCam } from './run';
import { gradCamPlusPlus } from '../grad-cam-plus-plus/run';

describe.each(TEST_BACKENDS)('Grad-CAM / Grad-CAM++ on %s', (backend) => {
  beforeAll(async () => switchBackend(backend));

  it('hand-set conv weights reproduce the mask (class 0) and its complement (class 1)', async () => {
    const adapter = adapterFor(gradCamMaskModel(6, 6));
    const a = await gradCam.run(adapter, gradCamMaskImage(), 0, { layer: 'feat' });
    expect(a.signed).toBe(false);
    // α_0 = 1/36, α_1 = 0  →  map = mask / 36.
    const ex = a.extras;
    expect(ex.camWidth).toBe(6);
    expect(ex.channelWeights[0]).toBeCloseTo(1 / 36, 6);
    expect(ex.channelWeights[1]).toBeCloseTo(0, 6);
    GRAD_CAM_MASK.flat().forEach((m, i) => expect(a.values[i]).toBeCloseTo(m / 36, 6));
    const b = await gradCam.run(adapter, gradCamMaskImage(), 1, { layer: 'feat' });
    GRAD_CAM_MASK.flat().forEach((m, i) => expect(b.values[i]).toBeCloseTo((1 - m) / 36, 6));
    adapter.dispose();
  });

  it('an all-zero activation gives an all-zero map and finite channel weights, never NaN (both variants)', async () => {
    // Input 0 → channel 0 is all zero; class 0 depends on channel 0 only, so channel 1's gradient is 0 and
    // Grad-CAM++'s weight G²/(2G² + ΣA·G³) is 0/0 there unless the denominator is guarded. The weights are
    // not passed through the final finite() clean-up, so an unguarded division shows up here as NaN.
    const adapter = adapterFor(gradCamMaskModel(6, 6));
    for (const m of [gradCam, gradCamPlusPlus]) {
      const a = await m.run(adapter, constantImage(6, 6, 1, 0), 0, { layer: 'feat' });
      expect(a.values.length).toBe(36);
      expect(Array.from(a.values)).toEqual(new Array(36).fill(0));
      expect(a.extras.channelWeights.length, m.id).toBe(2);
      expect(Array.from(a.extras.channelWeights).map(Number.isFinite), m.id).toEqual([true, true]);
      expect(a.extras.channelWeights[1], m.id).toBe(0);
    }
    adapter.dispose();
  });

  it('upsamples a coarse layer to the input size; default layer = last spatial layer', async () => {
    const adapter = adapterFor(smallCnn(3));
    const a = await gradCam.run(adapter, seededImage(8, 8, 3, 4), 1, {});
    expect(a.config.layer).toBe('pool2');
    expect(a.extras.camWidth).toBe(4);
    expect(a.values.length).toBe(64);
    expect(Array.from(a.values).filter((v) => !(Number.isFinite(v) && v >= 0))).toEqual([]);
    // Bilinear upsampling of a 4×4 map: every output lies within the range of the coarse map.
    const cam = a.extras.cam;
    expect(cam.length).toBe(16);
    expect(Math.max(...a.values)).toBeLessThanOrEqual(Math.max(...cam) + 1e-6);
    await expect(gradCam.run(adapter, seededImage(8, 8, 3), 1, { layer: 'flatten' })).rejects.toBeInstanceOf(
      ExplainError,
    );
    adapter.dispose();
  });

  it('functional model with a skip connection (Add) and depthwise conv: CAM equals a hand computation', async () => {
    const model = skipModel(8);
    const adapter = adapterFor(model);
    const img = seededImage(8, 8, 3, 6);
    for (const layer of ['conv_a', 'add', 'dw']) {
      const a = await gradCam.run(adapter, img, 2, { layer });
      const ex = a.extras;
      // Reference Grad-CAM from the adapter's raw activations and gradients.
      const ref = tf.tidy(() => {
        const r = adapter.layerGradients(tf.tensor4d(img.data, [1, 8, 8, 3]), layer, 2);
        return tf.relu(tf.sum(tf.mul(r.activations, tf.mean(r.grads, [1, 2], true)), 3));
      });
      const refData = await ref.data();
      ref.dispose();
      expect(ex.cam.length).toBe(refData.length);
      expect(ex.cam.length).toBe(ex.camWidth * ex.camHeight);
      expect(ex.cam.length).toBeGreaterThan(0);
      ex.cam.forEach((v, i) => expect(v).toBeCloseTo(refData[i] as number, 5));
      expect(a.values.length).toBe(64);
      expect(Array.from(a.values).filter((v) => !Number.isFinite(v))).toEqual([]);
    }
    adapter.dispose();
  });

  it('incompatible without spatial layers; no leaks, target checks, cancellation', async () => {
    const adapter = adapterFor(smallCnn(1));
    expect(gradCam.isCompatible({ ...adapter.info, spatialLayers: [] })).toBe(false);
    const img = seededImage(8, 8, 3);
    for (const m of [gradCam, gradCamPlusPlus]) {
      await expectLeakTargetAbort(m, adapter, img, 1, { config: { layer: 'conv2' }, abortConfig: {} });
    }
    adapter.dispose();
  });
});
