/**
 * Every registered explanation method runs on ONNX corpus models (shufflenet_v2_x0_5: channel shuffle,
 * shape subgraph, depthwise; mobilenet_v3_small: HardSwish, squeeze-excite, depthwise) on CPU and WASM:
 * (CPU: shufflenet only, it is ~10× slower) the map has the model's input size, is finite and not constant, and two runs leave no tensor behind.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { METHODS } from '@/lib/explain/registry';
import type { ImageInput } from '@/lib/explain/types';
import { switchBackend, TEST_BACKENDS, type TestBackend } from '@/lib/testing/backends';
import { loadOnnxModel, type LoadedOnnxModel } from './load';
import { corpusEntry, corpusFiles } from './test-corpus';

/** Cheap settings (the maps are checked for sanity, not quality). */
const CHEAP: Record<string, Record<string, unknown>> = {
  smoothgrad: { numSamples: 3, batchSize: 3 },
  'integrated-gradients': { steps: 4, batchSize: 5 },
  occlusion: { windowSize: 16, stride: 16, batchSize: 16 },
  rise: { numMasks: 12, batchSize: 12 },
  'guided-ig': { steps: 2, fraction: 0.5 },
};

/** WASM: both models; CPU (pure JS, ~10× slower): the cheaper one. */
const CASES: readonly [string, string][] = [
  ['cpu', 'shufflenet_v2_x0_5'],
  ['wasm', 'shufflenet_v2_x0_5'],
  ['wasm', 'mobilenet_v3_small'],
];

function image(h: number, w: number): ImageInput {
  const data = new Float32Array(h * w * 3);
  for (let i = 0; i < h; i++) {
    for (let j = 0; j < w; j++) {
      const blob = Math.exp(-((i - h * 0.4) ** 2 + (j - w * 0.6) ** 2) / (0.05 * h * w));
      for (let c = 0; c < 3; c++) data[(i * w + j) * 3 + c] = Math.min(1, 0.15 + 0.7 * blob * (c === 1 ? 0.5 : 1) + 0.1 * Math.sin(i * 0.7 + c));
    }
  }
  return { width: w, height: h, channels: 3, data };
}

const timings: string[] = [];

describe('every method on ONNX models', () => {
  it('covers both shipped backends', () => {
    expect(new Set(CASES.map((c) => c[0]))).toEqual(new Set(TEST_BACKENDS));
  });

  describe.each(CASES)('%s %s', (backend, name) => {
    let loaded: LoadedOnnxModel;
    beforeAll(async () => {
      await switchBackend(backend as TestBackend);
      loaded = await loadOnnxModel(corpusFiles(corpusEntry(name)), { card: { normalization: 'imagenet' } });
    }, 120_000);
    afterAll(() => loaded?.adapter.dispose());

    it('offers Grad-CAM layers from the graph', () => {
      expect(loaded.info.spatialLayers.length).toBeGreaterThan(3);
      const last = loaded.info.layers.find((l) => l.name === loaded.info.spatialLayers.at(-1));
      expect(last?.spatial).toBe(true);
      expect(last?.outputShape.length).toBe(4);
    });

    it.each(METHODS.map((m) => [m.id, m] as const))('%s: finite, non-constant map, no leak', async (_id, method) => {
      await switchBackend(backend as TestBackend);
      const [h, w] = loaded.info.inputShape;
      const input = image(h, w);
      const config = { ...method.quickConfig, ...CHEAP[method.id] } as Record<string, unknown>;
      const t0 = performance.now();
      const a = await method.run(loaded.adapter, input, 3, config);
      timings.push(`${backend} ${name} ${method.id}: ${(performance.now() - t0).toFixed(0)} ms`);
      expect(a.width).toBe(w);
      expect(a.height).toBe(h);
      expect(a.values.length).toBe(w * h);
      let lo = Infinity;
      let hi = -Infinity;
      for (const v of a.values) {
        expect(Number.isFinite(v)).toBe(true);
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
      expect(hi - lo).toBeGreaterThan(0);
      const before = tf.memory().numTensors;
      await method.run(loaded.adapter, input, 3, config);
      await method.run(loaded.adapter, input, 3, config);
      expect(tf.memory().numTensors).toBe(before);
    }, 180_000);
  });
});

afterAll(() => console.log(timings.join('\n')));

/**
 * Input gradients through the less common translations (reflect Pad, dilated grouped Conv as a zero-inserted
 * kernel, channel shuffle, AvgPool with ceil_mode and count_include_pad=0, LayerNorm over a permuted axis,
 * GELU/Erf, MatMul, Softmax) agree with central differences along a random direction.
 */
describe.each(TEST_BACKENDS)('ops_zoo input gradient vs finite differences (%s)', (backend) => {
  it('directional derivative matches', async () => {
    await switchBackend(backend);
    const { adapter, info } = await loadOnnxModel(corpusFiles(corpusEntry('ops_zoo')));
    try {
      expect(info.outputKind).toBe('softmax');
      const [h, w, c] = info.inputShape;
      const before = tf.memory().numTensors;
      const res = tf.tidy(() => {
        const x = tf.randomUniform([1, h, w, c], 0.2, 0.8, 'float32', 11) as tf.Tensor4D;
        const d = tf.randomUniform([1, h, w, c], -1, 1, 'float32', 12) as tf.Tensor4D;
        const { grads } = adapter.inputGradients(x, 2);
        const analytic = tf.sum(tf.mul(grads, d)).arraySync() as number;
        const eps = 1e-2;
        const up = adapter.scores(tf.add(x, tf.mul(d, eps)) as tf.Tensor4D).slice([0, 2], [1, 1]).arraySync() as number[][];
        const dn = adapter.scores(tf.sub(x, tf.mul(d, eps)) as tf.Tensor4D).slice([0, 2], [1, 1]).arraySync() as number[][];
        const numeric = ((up[0]?.[0] as number) - (dn[0]?.[0] as number)) / (2 * eps);
        return { analytic, numeric };
      });
      expect(tf.memory().numTensors).toBe(before);
      expect(Math.abs(res.analytic)).toBeGreaterThan(1e-4);
      expect(Math.abs(res.analytic - res.numeric)).toBeLessThan(0.03 * Math.abs(res.numeric) + 1e-5);
    } finally {
      adapter.dispose();
    }
  });
});
