import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { TEST_BACKENDS, switchBackend } from '@/lib/testing/backends';
import {
  copyBox,
  conv2dInputGradient,
  installFastConvGradient,
  maxPoolInputGradient,
  uninstallFastConvGradient,
} from './fast-gradients';

type Case = {
  h: number;
  w: number;
  cin: number;
  cout: number;
  k: [number, number];
  s: [number, number];
  pad: 'same' | 'valid' | number;
};
const CASES: Case[] = [
  { h: 7, w: 7, cin: 1, cout: 4, k: [3, 3], s: [1, 1], pad: 'same' },
  { h: 8, w: 6, cin: 3, cout: 5, k: [3, 3], s: [1, 1], pad: 'valid' },
  { h: 8, w: 8, cin: 2, cout: 3, k: [3, 3], s: [2, 2], pad: 'same' }, // MobileNet's strided stem
  { h: 9, w: 7, cin: 2, cout: 3, k: [3, 3], s: [2, 2], pad: 'same' },
  { h: 9, w: 9, cin: 2, cout: 2, k: [5, 5], s: [2, 1], pad: 'valid' },
  { h: 6, w: 6, cin: 4, cout: 8, k: [1, 1], s: [1, 1], pad: 'same' }, // pointwise
  { h: 6, w: 7, cin: 2, cout: 2, k: [2, 4], s: [1, 2], pad: 'same' }, // even kernels: asymmetric padding
  { h: 6, w: 6, cin: 2, cout: 2, k: [3, 3], s: [1, 1], pad: 1 },
];

/** Plain-JS max-pool gradient (non-overlapping k×k windows, 'valid'): dy to the first maximum of each window. */
function maxPoolGradJs(
  x: Float32Array,
  [n, H, W, c]: [number, number, number, number],
  dy: Float32Array,
  k: number,
): Float32Array {
  const [oh, ow] = [Math.floor(H / k), Math.floor(W / k)];
  const dx = new Float32Array(x.length);
  for (let b = 0; b < n; b++)
    for (let i = 0; i < oh; i++)
      for (let j = 0; j < ow; j++)
        for (let ch = 0; ch < c; ch++) {
          let best = -1;
          for (let u = 0; u < k; u++)
            for (let v = 0; v < k; v++) {
              const at = ((b * H + i * k + u) * W + j * k + v) * c + ch;
              if (best < 0 || (x[at] as number) > (x[best] as number)) best = at;
            }
          dx[best] = (dx[best] as number) + (dy[((b * oh + i) * ow + j) * c + ch] as number);
        }
  return dx;
}

function seeded(shape: number[], seed: number): tf.Tensor {
  return tf.randomUniform(shape, -1, 1, 'float32', seed);
}

describe.each(TEST_BACKENDS)('fast Conv2D input gradient on %s', (backend) => {
  beforeAll(async () => switchBackend(backend));
  afterAll(() => uninstallFastConvGradient());

  it.each(CASES)('equals conv2dTranspose (the backprop-input kernel): %o', (c) => {
    tf.tidy(() => {
      const x = seeded([2, c.h, c.w, c.cin], 1) as tf.Tensor4D;
      const W = seeded([c.k[0], c.k[1], c.cin, c.cout], 2) as tf.Tensor4D;
      const y = tf.conv2d(x, W, c.s, c.pad);
      const dy = seeded(y.shape, 3) as tf.Tensor4D;
      const fast = conv2dInputGradient(dy, W, x.shape, { strides: c.s, pad: c.pad });
      expect(fast).not.toBeNull();
      const ref = tf.conv2dTranspose(dy, W, x.shape, c.s, c.pad);
      expect(fast?.shape).toEqual(x.shape);
      const err = tf.max(tf.abs(tf.sub(fast as tf.Tensor, ref))).dataSync()[0] as number;
      expect(err).toBeLessThan(1e-4);
      expect(tf.max(tf.abs(ref)).dataSync()[0]).toBeGreaterThan(0.1);
    });
  });

  // The reference is plain JS, not the backend's MaxPoolGrad: tfjs-backend-wasm 4.22's MaxPoolGrad gets
  // windows whose values are all negative wrong (checked against the CPU kernel and this reference).
  it.each([
    { k: 2, s: 2, pad: 'valid' as const, h: 7 }, // the Fashion CNN's pools (odd size: last row unused)
    { k: 2, s: 2, pad: 'same' as const, h: 8 },
    { k: 3, s: 3, pad: 'valid' as const, h: 10 },
  ])('MaxPool input gradient (batch 2) equals the plain-JS gradient: %o', (c) => {
    tf.tidy(() => {
      const x = seeded([2, c.h, c.h, 3], 8) as tf.Tensor4D;
      const y = tf.maxPool(x, c.k, c.s, c.pad);
      const dy = seeded(y.shape, 9) as tf.Tensor4D;
      const fast = maxPoolInputGradient(dy, x, y, { filterSize: c.k, strides: c.s, pad: c.pad });
      expect(fast?.shape).toEqual(x.shape);
      const ref = maxPoolGradJs(x.dataSync() as Float32Array, x.shape, dy.dataSync() as Float32Array, c.k);
      const got = (fast as tf.Tensor).dataSync();
      for (let i = 0; i < ref.length; i++) expect(got[i]).toBeCloseTo(ref[i] as number, 6);
    });
  });

  it('MaxPool ties go to the first maximum of each window (like the CPU kernel); overlapping pools are not handled', () => {
    tf.tidy(() => {
      const x = tf.tensor4d([0, 0, 1, 1, 0, 0, 1, 1, 2, 1, 0, 0, 2, 2, 0, 0], [1, 4, 4, 1]);
      const y = tf.maxPool(x, 2, 2, 'valid');
      const dy = tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]);
      const g = maxPoolInputGradient(dy, x, y, { filterSize: 2, strides: 2, pad: 'valid' })?.dataSync();
      expect(Array.from(g ?? [])).toEqual([1, 0, 2, 0, 0, 0, 0, 0, 3, 0, 4, 0, 0, 0, 0, 0]);
      expect(
        maxPoolInputGradient(dy, x, tf.maxPool(x, 3, 1, 'valid'), { filterSize: 3, strides: 1, pad: 'valid' }),
      ).toBeNull();
    });
  });

  it('installed: tf.grad through conv2d gives the same input gradient as tfjs’ own, leaks nothing, and uninstalls', async () => {
    const f = (x: tf.Tensor) => {
      const W = seeded([3, 3, 2, 4], 5) as tf.Tensor4D;
      const R = seeded([1, 5, 5, 4], 6);
      return tf.sum(tf.mul(tf.maxPool(tf.relu(tf.conv2d(x as tf.Tensor4D, W, 1, 'same')), 2, 2, 'valid'), R));
    };
    const x = seeded([1, 10, 10, 2], 4);
    const kernelsOf = async () => {
      const p = await tf.profile(() => tf.tidy(() => tf.grad(f)(x)));
      tf.dispose(p.result as tf.Tensor);
      return p.kernels.map((k) => k.name);
    };
    const ref = tf.tidy(() => tf.grad(f)(x));
    // Before: tfjs' own conv gradient; on WASM the pool gradient is already the app's exact one (the test
    // setup installs lib/runtime/gradients, which replaces WASM's wrong MaxPoolGrad), elsewhere tfjs' own.
    expect(await kernelsOf()).toEqual(
      expect.arrayContaining(backend === 'wasm' ? ['Conv2DBackpropInput'] : ['Conv2DBackpropInput', 'MaxPoolGrad']),
    );
    installFastConvGradient([backend]);
    const fastKernels = await kernelsOf();
    expect(fastKernels).not.toContain('Conv2DBackpropInput');
    expect(fastKernels).not.toContain('MaxPoolGrad');
    installFastConvGradient([backend]); // idempotent
    const before = tf.memory().numTensors;
    const fast = tf.tidy(() => tf.grad(f)(x));
    expect(tf.memory().numTensors).toBe(before + 1);
    const err = tf.tidy(() => tf.max(tf.abs(tf.sub(fast, ref))).dataSync()[0] as number);
    expect(err).toBeLessThan(1e-4);
    uninstallFastConvGradient();
    const again = tf.tidy(() => tf.grad(f)(x));
    expect(Array.from(again.dataSync())).toEqual(Array.from(ref.dataSync()));
    tf.dispose([x, ref, fast, again]);
  });
});

describe('copyBox (the WASM Slice kernel)', () => {
  it('copies every box of ranks 1–6 as tfjs CPU slice does', async () => {
    await switchBackend('cpu');
    let seed = 7;
    const rand = (n: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0), seed % n);
    for (let rank = 1; rank <= 6; rank++) {
      for (let trial = 0; trial < 20; trial++) {
        const shape = Array.from({ length: rank }, () => 1 + rand(rank > 4 ? 3 : 5));
        const begin = shape.map((d) => rand(d));
        // Some boxes keep trailing axes whole (one long run), some cut every axis.
        const size = shape.map((d, k) =>
          trial % 2 === 0 && k > 0 ? d - (begin[k] as number) : 1 + rand(d - (begin[k] as number)),
        );
        if (trial % 2 === 0) shape.forEach((_, k) => k > 0 && ((begin[k] = 0), (size[k] = shape[k] as number)));
        const x = tf.range(0, tf.util.sizeFromShape(shape)).reshape(shape);
        const ref = tf.slice(x, begin, size);
        const out = new Float32Array(tf.util.sizeFromShape(size));
        copyBox(x.dataSync() as Float32Array, shape, begin, size, out);
        expect(Array.from(out), JSON.stringify({ shape, begin, size })).toEqual(Array.from(ref.dataSync()));
        tf.dispose([x, ref]);
      }
    }
  });

  it('installed on WASM: tf.slice (float, int32, bool; rank 4 and 6) equals the CPU result and leaks nothing', async () => {
    const cases = [
      { shape: [1, 9, 9, 4], begin: [0, 1, 0, 0], size: [1, 7, 8, 4] },
      { shape: [2, 3, 4, 5, 2, 3], begin: [1, 0, 1, 2, 0, 1], size: [1, 3, 2, 3, 2, 2] },
    ];
    const on = async (backend: 'cpu' | 'wasm') => {
      await switchBackend(backend);
      if (backend === 'wasm') installFastConvGradient(['wasm']);
      const before = tf.memory().numTensors;
      const got: number[][] = [];
      for (const c of cases)
        for (const dtype of ['float32', 'int32', 'bool'] as const) {
          const y = tf.tidy(() => {
            const x = tf.range(0, tf.util.sizeFromShape(c.shape)).reshape(c.shape);
            const typed = dtype === 'bool' ? tf.greater(tf.mod(x, 3), 0) : tf.cast(x, dtype);
            return tf.slice(typed, c.begin, c.size);
          });
          got.push(Array.from(await y.data()));
          y.dispose();
        }
      expect(tf.memory().numTensors).toBe(before);
      return got;
    };
    const cpu = await on('cpu');
    expect(await on('wasm')).toEqual(cpu);
    uninstallFastConvGradient();
  });
});

describe('shared Identity and Cast on WASM', () => {
  beforeAll(async () => switchBackend('wasm'));
  afterAll(() => uninstallFastConvGradient());

  it('clone and same-dtype cast share the buffer (no copy), survive the original’s disposal and free it last', async () => {
    installFastConvGradient(['wasm']);
    const start = tf.memory();
    const a = tf.tensor1d([1.5, -2, 3]);
    const b = tf.clone(a);
    const c = tf.cast(a, 'float32');
    const d = tf.cast(tf.tensor1d([true, false, true], 'bool'), 'float32'); // a real conversion
    expect(b.dataId).toBe(a.dataId);
    expect(c.dataId).toBe(a.dataId);
    expect(d.dataId).not.toBe(a.dataId);
    a.dispose();
    expect(Array.from(await b.data())).toEqual([1.5, -2, 3]);
    expect(Array.from(await c.data())).toEqual([1.5, -2, 3]);
    expect(Array.from(await d.data())).toEqual([1, 0, 1]);
    tf.dispose([b, c, d]);
    expect(tf.memory().numTensors).toBe(start.numTensors + 1); // the bool input of d
    uninstallFastConvGradient();
    const e = tf.tensor1d([4, 5]);
    const f = tf.clone(e);
    expect(f.dataId).not.toBe(e.dataId); // tfjs-backend-wasm's own Identity copies again
    tf.dispose([e, f]);
  });
});

/** Input gradients for class `target` of a fresh `makeModel()` on `backend`, at a seeded |x| of `xShape`. */
async function inputGradsOn(
  backend: 'cpu' | 'wasm',
  makeModel: () => tf.LayersModel,
  xShape: [number, number, number, number],
  xSeed: number,
  target: number,
): Promise<Float32Array> {
  const { createLayersAdapter } = await import('@/lib/models/adapter');
  const { infoFor } = await import('@/lib/testing/models');
  await switchBackend(backend);
  const model = makeModel();
  const adapter = createLayersAdapter(model, infoFor(model));
  const x = seeded(xShape, xSeed).abs() as tf.Tensor4D;
  const g = tf.tidy(() => adapter.inputGradients(x, target).grads);
  const out = (await g.data()) as Float32Array;
  tf.dispose([g, x]);
  adapter.dispose();
  return out;
}

describe('fast gradients through adapters', () => {
  afterAll(() => uninstallFastConvGradient());

  it('WASM input gradients of a batch of 3 equal the CPU ones once installed (conv + ReLU + 2×2 max pool + dense)', async () => {
    const { smallCnn } = await import('@/lib/testing/models');
    const grads = (backend: 'cpu' | 'wasm') =>
      inputGradsOn(backend, () => smallCnn(7, [10, 10, 2], 3), [3, 10, 10, 2], 12, 1);
    const cpu = await grads('cpu');
    installFastConvGradient(['wasm']);
    const wasm = await grads('wasm');
    expect(Math.max(...Array.from(cpu, Math.abs))).toBeGreaterThan(1e-3);
    for (let i = 0; i < cpu.length; i++) expect(wasm[i]).toBeCloseTo(cpu[i] as number, 4);
  });

  it('WASM input gradients of a small MobileNet (depthwise, 1×1 and strided convs, BatchNorm with set statistics, ReLU6) equal the CPU ones', async () => {
    const { buildMobileNetV1 } = await import('@/lib/bench/mobilenet');
    const mobileNet = () => {
      const model = buildMobileNetV1({ alpha: 0.25, inputSize: 64, numClasses: 4, seed: 3 });
      // Non-trivial BatchNorm statistics so that dx = dy·γ/√(var + ε) is tested with γ ≠ 1, var ≠ 1.
      tf.tidy(() => {
        for (const layer of model.layers.filter((l) => l.getClassName() === 'BatchNormalization')) {
          const c = (layer.getWeights()[0] as tf.Tensor).shape[0] as number;
          const u = (seed: number, lo: number, hi: number) => tf.randomUniform([c], lo, hi, 'float32', seed);
          layer.setWeights([u(21, 0.9, 1.3), tf.fill([c], 0.05), u(22, -0.05, 0.05), u(23, 0.6, 1.2)]);
        }
      });
      return model;
    };
    const grads = (backend: 'cpu' | 'wasm') => inputGradsOn(backend, mobileNet, [2, 64, 64, 3], 14, 2);
    uninstallFastConvGradient();
    const cpu = await grads('cpu');
    installFastConvGradient(['wasm']);
    const wasm = await grads('wasm');
    // A random 27-layer net has small input gradients: compare relative to their largest magnitude, and
    // make sure most of them are non-zero (the comparison is not between two all-zero maps).
    const scale = Math.max(...Array.from(cpu, Math.abs));
    expect(scale).toBeGreaterThan(0);
    expect(Array.from(cpu).filter((v) => v !== 0).length).toBeGreaterThan(cpu.length / 2);
    for (let i = 0; i < cpu.length; i++)
      expect(Math.abs((wasm[i] as number) - (cpu[i] as number))).toBeLessThan(1e-3 * scale);
  });
});
