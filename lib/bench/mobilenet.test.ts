import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { switchBackend } from '@/lib/testing/backends';
import {
  buildMobileNetV1,
  MOBILENET_LAST_SPATIAL,
  MOBILENET_V1_BLOCKS,
  mobileNetV1ParamCount,
  widthOf,
} from './mobilenet';

describe('MobileNet-v1 builder', () => {
  beforeAll(async () => switchBackend('cpu'));

  it('has Keras MobileNet(alpha=1, 224, 1000 classes)’s 4,253,864 parameters, built and counted', () => {
    expect(mobileNetV1ParamCount()).toBe(4_253_864);
    const model = buildMobileNetV1();
    try {
      expect(model.countParams()).toBe(4_253_864);
      expect(model.outputs[0]?.shape).toEqual([null, 1000]);
      // 224 / 2⁵ = 7: the last spatial layer is 7×7×1024
      expect(model.getLayer(MOBILENET_LAST_SPATIAL).outputShape).toEqual([null, 7, 7, 1024]);
      expect(model.layers.filter((l) => l.getClassName() === 'DepthwiseConv2D')).toHaveLength(
        MOBILENET_V1_BLOCKS.length,
      );
    } finally {
      model.dispose();
    }
  });

  it('width multiplier and input size: analytic count = built count; shapes scale', () => {
    expect(widthOf(32, 0.25)).toBe(8);
    const opts = { alpha: 0.25, inputSize: 64, numClasses: 10, seed: 3 };
    const model = buildMobileNetV1(opts);
    try {
      expect(model.countParams()).toBe(mobileNetV1ParamCount(opts));
      expect(model.getLayer(MOBILENET_LAST_SPATIAL).outputShape).toEqual([null, 2, 2, 256]);
    } finally {
      model.dispose();
    }
  });

  it('same seed ⇒ same weights and outputs; another seed ⇒ different; finite logits', async () => {
    const opts = { alpha: 0.25, inputSize: 32, numClasses: 5 };
    const [a, b, c] = [
      buildMobileNetV1({ ...opts, seed: 1 }),
      buildMobileNetV1({ ...opts, seed: 1 }),
      buildMobileNetV1({ ...opts, seed: 2 }),
    ];
    try {
      const x = tf.randomUniform([2, 32, 32, 3], 0, 1, 'float32', 9);
      const [ya, yb, yc] = [a, b, c].map((m) => {
        const y = m.predict(x) as tf.Tensor;
        const d = y.dataSync();
        y.dispose();
        return d;
      });
      x.dispose();
      expect(Array.from(ya as Float32Array)).toEqual(Array.from(yb as Float32Array));
      expect(Array.from(ya as Float32Array)).not.toEqual(Array.from(yc as Float32Array));
      expect((ya as Float32Array).length).toBeGreaterThan(0);
      expect((ya as Float32Array).every(Number.isFinite)).toBe(true);
    } finally {
      [a, b, c].forEach((m) => m.dispose());
    }
  });

  it('rejects bad options', () => {
    expect(() => mobileNetV1ParamCount({ alpha: 0 })).toThrow(/alpha/);
    expect(() => buildMobileNetV1({ inputSize: 16 })).toThrow(/inputSize/);
    expect(() => mobileNetV1ParamCount({ numClasses: 1 })).toThrow(/numClasses/);
  });
});
