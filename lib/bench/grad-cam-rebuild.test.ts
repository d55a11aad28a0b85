import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { TEST_BACKENDS, switchBackend } from '@/lib/testing/backends';
import { adapterFor } from '@/lib/testing/explain';
import { gradCamMaskModel, seededImage, smallCnn } from '@/lib/testing/models';
import { infoFor } from '@/lib/testing/models';
import { gradCam } from '@/lib/explain/grad-cam';
import { buildMobileNetV1, MOBILENET_LAST_SPATIAL } from './mobilenet';
import { gradCamRebuild } from './grad-cam-rebuild';

function expectClose(a: Float32Array, b: Float32Array, digits = 4): void {
  expect(a).toHaveLength(b.length);
  for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i] as number, digits);
}

describe.each(TEST_BACKENDS)('Grad-CAM rebuilt per call on %s', (backend) => {
  beforeAll(async () => switchBackend(backend));

  it('known answer: on the mask model the map is the input / (h·w)', async () => {
    const model = gradCamMaskModel(4, 5);
    const img = seededImage(4, 5, 1, 3);
    const r = await gradCamRebuild(model, infoFor(model).preprocessing, img, 0, 'feat');
    expect([r.camHeight, r.camWidth]).toEqual([4, 5]);
    expectClose(
      r.cam,
      Float32Array.from(img.data, (v) => v / 20),
      5,
    );
    model.dispose();
  });

  it('equals our cached Grad-CAM on a small CNN and on a small MobileNet (several calls in a row)', async () => {
    const cases: [tf.LayersModel, tf.LayersModel, string, [number, number, number], 'minus-one-one' | 'zero-one'][] = [
      [smallCnn(3, [8, 8, 3], 3), smallCnn(3, [8, 8, 3], 3), 'relu2', [8, 8, 3], 'zero-one'],
      [
        buildMobileNetV1({ alpha: 0.25, inputSize: 64, numClasses: 4, seed: 5 }),
        buildMobileNetV1({ alpha: 0.25, inputSize: 64, numClasses: 4, seed: 5 }),
        MOBILENET_LAST_SPATIAL,
        [64, 64, 3],
        'minus-one-one',
      ],
    ];
    for (const [forAdapter, raw, layer, [h, w, c], normalization] of cases) {
      const adapter = adapterFor(forAdapter, { preprocessing: { normalization } });
      const img = seededImage(h, w, c, 11);
      for (const target of [0, 2, 0]) {
        const ours = await gradCam.run(adapter, img, target, { layer });
        const cam = ours.extras?.cam as Float32Array;
        const rebuilt = await gradCamRebuild(raw, adapter.info.preprocessing, img, target, layer);
        expect([rebuilt.camHeight, rebuilt.camWidth]).toEqual([ours.extras?.camHeight, ours.extras?.camWidth]);
        expect(Math.max(...Array.from(cam))).toBeGreaterThan(0);
        expectClose(rebuilt.cam, cam, 4);
      }
      adapter.dispose();
      raw.dispose();
    }
  });

  it('unknown layer throws; no tensors are left behind (run twice)', async () => {
    const model = smallCnn(1, [8, 8, 3], 3);
    const pre = infoFor(model).preprocessing;
    const img = seededImage(8, 8, 3);
    await expect(gradCamRebuild(model, pre, img, 0, 'nope')).rejects.toThrow(/not in this model/);
    await gradCamRebuild(model, pre, img, 0, 'relu2');
    const before = tf.memory().numTensors;
    await gradCamRebuild(model, pre, img, 0, 'relu2');
    await gradCamRebuild(model, pre, img, 1, 'relu2');
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});
