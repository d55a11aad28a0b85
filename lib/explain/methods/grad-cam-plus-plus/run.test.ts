import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { TEST_BACKENDS, switchBackend } from '@/lib/testing/backends';
import { adapterFor, expectLeakTargetAbortOnSmallCnn } from '@/lib/testing/explain';
import { GRAD_CAM_MASK, gradCamMaskImage, gradCamMaskModel } from '@/lib/testing/models';
import { camPlusPlusWeights } from '../grad-cam/run';
import { gradCamPlusPlus } from './run';

describe.each(TEST_BACKENDS)('Grad-CAM++ on %s', (backend) => {
  beforeAll(async () => switchBackend(backend));

  it('Grad-CAM++ known answer on the same model: α_0 = 36·c·c²/(2c² + S·c³), c = 1/36, S = Σ mask', async () => {
    const adapter = adapterFor(gradCamMaskModel(6, 6));
    const a = await gradCamPlusPlus.run(adapter, gradCamMaskImage(), 0, { layer: 'feat' });
    const c = 1 / 36;
    const S = GRAD_CAM_MASK.flat().reduce((s, v) => s + v, 0);
    const alpha0 = 36 * c * ((c * c) / (2 * c * c + S * c * c * c));
    const ex = a.extras;
    expect(ex.channelWeights[0]).toBeCloseTo(alpha0, 6);
    expect(ex.channelWeights[1]).toBe(0);
    GRAD_CAM_MASK.flat().forEach((m, i) => expect(a.values[i]).toBeCloseTo(m * alpha0, 6));
    adapter.dispose();
  });

  it('Grad-CAM++ weights are 0 (not NaN) where the gradient is 0', () => {
    const [w, g] = tf.tidy(() => {
      const A = tf.tensor4d([0, 1, 0, 2, 0, 3, 0, 4], [1, 2, 2, 2]);
      const G = tf.tensor4d([0, 0.5, 0, 0.5, 0, 0.5, 0, 0.5], [1, 2, 2, 2]);
      return [camPlusPlusWeights(A, G), G];
    });
    const weights = Array.from(w.dataSync());
    g.dispose();
    w.dispose();
    // Channel 0: G = 0 ⇒ weight 0. Channel 1: G = c = 0.5, ΣA = 10 ⇒ c² / (2c² + 10·c³) = 0.25 / 1.75.
    expect(weights.map(Number.isFinite)).toEqual(new Array(8).fill(true));
    weights.forEach((v, i) => expect(v, `weight ${i}`).toBeCloseTo(i % 2 === 0 ? 0 : 0.25 / 1.75, 6));
  });

  it('no leaks, target checks, cancellation', () =>
    expectLeakTargetAbortOnSmallCnn(gradCamPlusPlus, 1, { config: { layer: 'conv2' }, abortConfig: {} }));
});
