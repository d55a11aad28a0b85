import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { TEST_BACKENDS, switchBackend, tensorCountAround } from '@/lib/testing/backends';
import { depthwiseInputGradient, maxPoolGradient, stridedSliceGradient } from './index';

type Pad = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];

function rand(shape: number[], seed: number): tf.Tensor {
  return tf.randomUniform(shape, -1, 1, 'float32', seed);
}

/** Values computed on the CPU backend with tfjs' own kernels (the reference), then the backend restored. */
async function onCpu<T>(fn: () => T): Promise<T> {
  const prev = tf.getBackend();
  await switchBackend('cpu');
  const out = fn();
  await switchBackend(prev as 'cpu' | 'wasm');
  return out;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
}

function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] as number));
  return m;
}

/** Names of the kernels run by fn (tf.profile). */
async function kernelsRun(fn: () => tf.Tensor): Promise<string[]> {
  const info = await tf.profile(() => fn());
  return info.kernelNames;
}

const CONV_CASES: {
  x: [number, number, number, number];
  k: [number, number];
  cout: number;
  s: number | [number, number];
  pad: Pad;
  bias: boolean;
}[] = [
  { x: [2, 7, 7, 3], k: [3, 3], cout: 4, s: 1, pad: 'same', bias: true },
  { x: [1, 9, 8, 2], k: [3, 3], cout: 3, s: 2, pad: 'same', bias: true },
  { x: [1, 8, 8, 2], k: [5, 3], cout: 2, s: [2, 1], pad: 'valid', bias: false },
  { x: [1, 6, 6, 4], k: [1, 1], cout: 8, s: 1, pad: 'valid', bias: true },
  {
    x: [1, 6, 7, 2],
    k: [3, 3],
    cout: 2,
    s: 1,
    pad: [
      [0, 0],
      [1, 2],
      [0, 1],
      [0, 0],
    ],
    bias: true,
  },
];

const DW_CASES: {
  x: [number, number, number, number];
  k: [number, number];
  m: number;
  s: number | [number, number];
  pad: Pad;
}[] = [
  { x: [2, 7, 7, 3], k: [3, 3], m: 1, s: 1, pad: 'same' },
  { x: [1, 9, 9, 2], k: [3, 3], m: 1, s: 2, pad: 'same' },
  { x: [1, 8, 7, 2], k: [3, 3], m: 2, s: 1, pad: 'valid' },
  { x: [1, 10, 10, 3], k: [5, 5], m: 3, s: 2, pad: 'same' },
  {
    x: [1, 6, 6, 2],
    k: [3, 3],
    m: 1,
    s: 1,
    pad: [
      [0, 0],
      [2, 0],
      [1, 1],
      [0, 0],
    ],
  },
  // Explicit padding wider than the kernel: the transposed padding is negative (a crop).
  {
    x: [1, 5, 5, 1],
    k: [2, 2],
    m: 1,
    s: 1,
    pad: [
      [0, 0],
      [3, 3],
      [0, 2],
      [0, 0],
    ],
  },
];

describe.each(TEST_BACKENDS)('gradients on %s', (backend) => {
  beforeAll(async () => switchBackend(backend));
  afterAll(async () => switchBackend('cpu'));

  it.each(CONV_CASES)(
    'fused conv2d (linear): dx equals conv2dTranspose on CPU and no filter gradient runs: %o',
    async (c) => {
      const W = rand([c.k[0], c.k[1], c.x[3], c.cout], 2) as tf.Tensor4D;
      const b = tf.tensor1d(Array.from({ length: c.cout }, (_, i) => 0.1 * i - 0.2));
      const x = rand(c.x, 1) as tf.Tensor4D;
      const y = tf.conv2d(x, W, c.s, c.pad);
      const r = rand(y.shape, 3) as tf.Tensor4D;
      const [xv, wv, rv] = [x.dataSync(), W.dataSync(), r.dataSync()];
      const ref = await onCpu(() =>
        tf.tidy(() =>
          tf
            .conv2dTranspose(tf.tensor4d(rv, r.shape), tf.tensor4d(wv, W.shape), x.shape, c.s, c.pad as 'same')
            .dataSync(),
        ),
      );
      const loss = (xx: tf.Tensor) =>
        tf.sum(
          tf.mul(
            tf.fused.conv2d({
              x: xx as tf.Tensor4D,
              filter: W,
              strides: c.s,
              pad: c.pad,
              bias: c.bias ? b : undefined,
            }),
            r,
          ),
        );
      const got = tf.tidy(() => tf.grad(loss)(x).dataSync());
      expect(maxAbs(ref)).toBeGreaterThan(0.1);
      expect(maxAbsDiff(got, ref)).toBeLessThan(1e-4);
      const kernels = await kernelsRun(() => tf.grad(loss)(x));
      expect(kernels).toContain('FusedConv2D');
      expect(kernels).not.toContain('Conv2DBackpropFilter');
      expect(xv.length).toBe(x.size);
      tf.dispose([W, b, x, y, r]);
    },
  );

  it.each(DW_CASES)(
    'depthwise input gradient equals the CPU backprop-input kernel (plain and fused ops): %o',
    async (c) => {
      const W = rand([c.k[0], c.k[1], c.x[3], c.m], 5) as tf.Tensor4D;
      const x = rand(c.x, 4) as tf.Tensor4D;
      const y = tf.depthwiseConv2d(x, W, c.s, c.pad as 'same');
      const r = rand(y.shape, 6) as tf.Tensor4D;
      const [wv, rv] = [W.dataSync(), r.dataSync()];
      const ref = await onCpu(() =>
        tf.tidy(() => {
          const xx = tf.zeros(c.x) as tf.Tensor4D;
          // tfjs' own gradient on CPU runs the DepthwiseConv2dNativeBackpropInput kernel.
          return tf
            .grad((t: tf.Tensor) =>
              tf.sum(
                tf.mul(
                  tf.depthwiseConv2d(t as tf.Tensor4D, tf.tensor4d(wv, W.shape), c.s, c.pad as 'same'),
                  tf.tensor4d(rv, r.shape),
                ),
              ),
            )(xx)
            .dataSync();
        }),
      );
      expect(maxAbs(ref)).toBeGreaterThan(0.1);
      const direct = tf.tidy(() => depthwiseInputGradient(r, W, x.shape, { strides: c.s, pad: c.pad }).dataSync());
      expect(maxAbsDiff(direct, ref)).toBeLessThan(1e-4);
      const plain = tf.tidy(() =>
        tf
          .grad((t: tf.Tensor) => tf.sum(tf.mul(tf.depthwiseConv2d(t as tf.Tensor4D, W, c.s, c.pad as 'same'), r)))(x)
          .dataSync(),
      );
      expect(maxAbsDiff(plain, ref)).toBeLessThan(1e-4);
      const bias = tf.fill([c.x[3] * c.m], 0.3);
      const fusedLoss = (t: tf.Tensor) =>
        tf.sum(
          tf.mul(
            tf.fused.depthwiseConv2d({ x: t as tf.Tensor4D, filter: W, strides: c.s, pad: c.pad as 'same', bias }),
            r,
          ),
        );
      const fused = tf.tidy(() => tf.grad(fusedLoss)(x).dataSync());
      expect(maxAbsDiff(fused, ref)).toBeLessThan(1e-4);
      const kernels = await kernelsRun(() => tf.grad(fusedLoss)(x));
      expect(kernels).toContain('FusedDepthwiseConv2D');
      expect(kernels).not.toContain('DepthwiseConv2dNativeBackpropFilter');
      tf.dispose([W, x, y, r, bias]);
    },
  );

  it.each([
    [false, false],
    [false, true],
    [true, false],
    [true, true],
  ])(
    'fused matMul (transposeA %s, transposeB %s): both input gradients equal the unfused ones on CPU',
    async (tA, tB) => {
      const aShape = tA ? [5, 3] : [3, 5];
      const bShape = tB ? [4, 5] : [5, 4];
      const a = rand(aShape, 7) as tf.Tensor2D;
      const bm = rand(bShape, 8) as tf.Tensor2D;
      const bias = tf.tensor1d([0.5, -0.5, 0.25, 0]);
      const r = rand([3, 4], 9);
      const [av, bv, rv] = [a.dataSync(), bm.dataSync(), r.dataSync()];
      const ref = await onCpu(() =>
        tf.tidy(() => {
          const f = (p: tf.Tensor, q: tf.Tensor) =>
            tf.sum(
              tf.mul(
                tf.add(tf.matMul(p as tf.Tensor2D, q as tf.Tensor2D, tA, tB), tf.tensor1d([0.5, -0.5, 0.25, 0])),
                tf.tensor2d(rv, [3, 4]),
              ),
            );
          const [ga, gb] = tf.grads(f)([
            tf.tensor2d(av, aShape as [number, number]),
            tf.tensor2d(bv, bShape as [number, number]),
          ]);
          return [(ga as tf.Tensor).dataSync(), (gb as tf.Tensor).dataSync()];
        }),
      );
      const got = tf.tidy(() => {
        const f = (p: tf.Tensor, q: tf.Tensor) =>
          tf.sum(
            tf.mul(
              tf.fused.matMul({ a: p as tf.Tensor2D, b: q as tf.Tensor2D, transposeA: tA, transposeB: tB, bias }),
              r,
            ),
          );
        const [ga, gb] = tf.grads(f)([a, bm]);
        return [(ga as tf.Tensor).dataSync(), (gb as tf.Tensor).dataSync()];
      });
      expect(maxAbs(ref[0] as Float32Array)).toBeGreaterThan(0.1);
      expect(maxAbsDiff(got[0] as Float32Array, ref[0] as Float32Array)).toBeLessThan(1e-5);
      expect(maxAbsDiff(got[1] as Float32Array, ref[1] as Float32Array)).toBeLessThan(1e-5);
      // Differentiating only a: one matrix product in the backward pass (tfjs' own gradient runs two).
      const kernels = await kernelsRun(() =>
        tf.grad((p: tf.Tensor) =>
          tf.sum(tf.mul(tf.fused.matMul({ a: p as tf.Tensor2D, b: bm, transposeA: tA, transposeB: tB, bias }), r)),
        )(a),
      );
      expect(kernels.filter((k) => k === 'BatchMatMul')).toHaveLength(1);
      tf.dispose([a, bm, bias, r]);
    },
  );

  if (backend === 'cpu') {
    it('fused conv2d still yields exact filter and bias gradients when they are asked for (training)', () => {
      tf.tidy(() => {
        const x = rand([1, 6, 6, 2], 11) as tf.Tensor4D;
        const W = rand([3, 3, 2, 3], 12) as tf.Tensor4D;
        const b = tf.tensor1d([0.1, 0.2, 0.3]);
        const r = rand([1, 3, 3, 3], 13);
        const fused = tf.grads((xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) =>
          tf.sum(
            tf.mul(
              tf.fused.conv2d({ x: xx as tf.Tensor4D, filter: ww as tf.Tensor4D, strides: 2, pad: 'same', bias: bb }),
              r,
            ),
          ),
        )([x, W, b]);
        const plain = tf.grads((xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) =>
          tf.sum(tf.mul(tf.add(tf.conv2d(xx as tf.Tensor4D, ww as tf.Tensor4D, 2, 'same'), bb), r)),
        )([x, W, b]);
        for (let i = 0; i < 3; i++)
          expect(maxAbsDiff((fused[i] as tf.Tensor).dataSync(), (plain[i] as tf.Tensor).dataSync())).toBeLessThan(1e-5);
      });
    });
  }

  const SLICES: {
    name: string;
    shape: number[];
    begin: number[];
    end: number[];
    strides: number[];
    masks?: Partial<Record<'beginMask' | 'endMask' | 'ellipsisMask' | 'newAxisMask' | 'shrinkAxisMask', number>>;
  }[] = [
    {
      name: 'x[:, 1:3]',
      shape: [2, 5, 3],
      begin: [0, 1],
      end: [0, 3],
      strides: [1, 1],
      masks: { beginMask: 1, endMask: 1 },
    },
    {
      name: 'x[..., 0] (shrink, ellipsis)',
      shape: [2, 3, 4],
      begin: [0, 0],
      end: [0, 1],
      strides: [1, 1],
      masks: { ellipsisMask: 1, shrinkAxisMask: 2 },
    },
    {
      name: 'x[:, ::-1] (reverse)',
      shape: [2, 4, 3],
      begin: [0, 0],
      end: [0, 0],
      strides: [1, -1],
      masks: { beginMask: 3, endMask: 3 },
    },
    {
      name: 'x[1:, ::2, 3:0:-2]',
      shape: [3, 5, 6],
      begin: [1, 0, 3],
      end: [0, 0, 0],
      strides: [1, 2, -2],
      masks: { beginMask: 2, endMask: 3 },
    },
    {
      name: 'x[:, newaxis, -2:]',
      shape: [2, 5],
      begin: [0, 0, -2],
      end: [0, 0, 0],
      strides: [1, 1, 1],
      masks: { beginMask: 1, endMask: 5, newAxisMask: 2 },
    },
    {
      name: 'x[:, 3:3] (empty)',
      shape: [2, 5],
      begin: [0, 3],
      end: [0, 3],
      strides: [1, 1],
      masks: { beginMask: 1, endMask: 1 },
    },
    {
      name: 'x[:, :, :, 2::-1] (BGR↔RGB)',
      shape: [1, 2, 2, 3],
      begin: [0, 0, 0, 2],
      end: [0, 0, 0, 0],
      strides: [1, 1, 1, -1],
      masks: { beginMask: 7, endMask: 15 },
    },
  ];

  it.each(SLICES)('StridedSlice gradient scatters dy back exactly: $name', (c) => {
    tf.tidy(() => {
      const m = { beginMask: 0, endMask: 0, ellipsisMask: 0, newAxisMask: 0, shrinkAxisMask: 0, ...c.masks };
      const size = c.shape.reduce((p, q) => p * q, 1);
      const slice = (t: tf.Tensor) =>
        tf.stridedSlice(
          t,
          c.begin,
          c.end,
          c.strides,
          m.beginMask,
          m.endMask,
          m.ellipsisMask,
          m.newAxisMask,
          m.shrinkAxisMask,
        );
      // Reference from the forward kernel itself: slice the flat indices, then scatter-add dy in plain JS.
      const idx = slice(tf.reshape(tf.range(0, size, 1, 'float32'), c.shape)).dataSync();
      const r = rand([Math.max(idx.length, 1)], 21).dataSync();
      const ref = new Float32Array(size);
      for (let i = 0; i < idx.length; i++) ref[idx[i] as number] = (ref[idx[i] as number] as number) + (r[i] as number);
      const x = rand(c.shape, 22);
      const ys = slice(x);
      const dy = tf.tensor(r.slice(0, ys.size), ys.shape);
      const got = tf
        .grad((t: tf.Tensor) => tf.sum(tf.mul(slice(t), dy)))(x)
        .dataSync();
      expect(maxAbsDiff(got, ref)).toBe(0);
      expect(
        maxAbsDiff(
          stridedSliceGradient(dy, c.shape, { begin: c.begin, end: c.end, strides: c.strides, ...m }).dataSync(),
          ref,
        ),
      ).toBe(0);
      if (idx.length > 0) expect(maxAbs(ref)).toBeGreaterThan(0);
    });
  });

  const POOLS: {
    x: [number, number, number, number];
    k: [number, number];
    s: [number, number];
    pad: 'same' | 'valid';
  }[] = [
    { x: [2, 9, 9, 3], k: [3, 3], s: [2, 2], pad: 'same' }, // mini-Xception's pools: overlapping, padded
    { x: [1, 8, 7, 2], k: [3, 3], s: [1, 1], pad: 'same' },
    { x: [1, 9, 8, 2], k: [3, 2], s: [2, 2], pad: 'valid' },
    { x: [1, 8, 8, 2], k: [2, 2], s: [2, 2], pad: 'valid' }, // non-overlapping: fast-gradients' route
  ];

  it.each(POOLS)('MaxPool input gradient over negative values equals the plain-JS first-maximum gradient: %o', (c) => {
    tf.tidy(() => {
      const x = tf.sub(rand(c.x, 41), 0.6) as tf.Tensor4D; // mostly negative windows
      const y = tf.maxPool(x, c.k, c.s, c.pad);
      const dy = rand(y.shape, 42) as tf.Tensor4D;
      const info = tf.backend_util.computePool2DInfo(x.shape, c.k, c.s, 1, c.pad);
      const [n, H, W, ch] = x.shape;
      const xv = x.dataSync();
      const dv = dy.dataSync();
      const ref = new Float32Array(x.size);
      for (let b = 0; b < n; b++)
        for (let i = 0; i < info.outHeight; i++)
          for (let j = 0; j < info.outWidth; j++)
            for (let k = 0; k < ch; k++) {
              let best = -1;
              for (let u = 0; u < c.k[0]; u++)
                for (let v = 0; v < c.k[1]; v++) {
                  const r = i * c.s[0] + u - info.padInfo.top;
                  const q = j * c.s[1] + v - info.padInfo.left;
                  if (r < 0 || q < 0 || r >= H || q >= W) continue;
                  const at = ((b * H + r) * W + q) * ch + k;
                  if (best < 0 || (xv[at] as number) > (xv[best] as number)) best = at;
                }
              ref[best] =
                (ref[best] as number) + (dv[((b * info.outHeight + i) * info.outWidth + j) * ch + k] as number);
            }
      const direct = maxPoolGradient(dy, x, y, { filterSize: c.k, strides: c.s, pad: c.pad }).dataSync();
      expect(maxAbsDiff(direct, ref)).toBeLessThan(1e-6);
      const viaTape = tf
        .grad((t: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(t as tf.Tensor4D, c.k, c.s, c.pad), dy)))(x)
        .dataSync();
      expect(maxAbsDiff(viaTape, ref)).toBeLessThan(1e-6);
      expect(maxAbs(ref)).toBeGreaterThan(0.1);
    });
  });

  it('leaks no tensors (fused conv2d, fused depthwise, fused matMul, depthwise, StridedSlice, MaxPool; run twice)', async () => {
    const W = rand([3, 3, 2, 3], 31) as tf.Tensor4D;
    const D = rand([3, 3, 2, 2], 32) as tf.Tensor4D;
    const M = rand([8, 4], 33) as tf.Tensor2D;
    const b3 = tf.fill([3], 0.1);
    const b4 = tf.fill([4], 0.1);
    const b2x2 = tf.fill([4], 0.2);
    const x = rand([1, 6, 6, 2], 34) as tf.Tensor4D;
    const { before, after } = await tensorCountAround(async () => {
      const g = tf.grad((t: tf.Tensor) => {
        const t4 = t as tf.Tensor4D;
        const a = tf.fused.conv2d({ x: t4, filter: W, strides: 2, pad: 'same', bias: b3 });
        const d = tf.fused.depthwiseConv2d({ x: t4, filter: D, strides: 1, pad: 'same', bias: b2x2 });
        const p = tf.depthwiseConv2d(t4, D, 2, 'valid');
        const s = tf.stridedSlice(t4, [0, 1, 0, 0], [1, 5, 6, 2], [1, 2, 1, 1]);
        const flat = tf.reshape(tf.slice(t4, [0, 0, 0, 0], [1, 2, 2, 2]), [1, 8]);
        const mm = tf.fused.matMul({ a: flat, b: M, bias: b4 });
        const mp = tf.maxPool(t4, 3, 2, 'same');
        return tf.addN([tf.sum(a), tf.sum(d), tf.sum(p), tf.sum(s), tf.sum(mm), tf.sum(mp)]);
      })(x);
      await g.data();
      g.dispose();
    });
    expect(after).toBe(before);
    tf.dispose([W, D, M, b3, b4, b2x2, x]);
  });
});
