/**
 * Matrix products: Gemm (transB, alpha, beta; a constant B and C, the weights converted once) and MatMul
 * (a constant 2-D B, or two computed operands of the same rank ≥ 2, batched over the leading axes).
 */
import * as tf from '@tensorflow/tfjs';
import { transposeHost } from '../fold';
import { constAt, constInput, dynShape, floatHost, fromOnnx, keep, rt, showShape, toOnnx, unsupported, where, type OpConverter, type OpFamily } from './common';

const lowerGemm: OpConverter = (ctx, node, a, ins) => {
  const s = dynShape(node, ins[0]);
  if (s.length !== 2) unsupported(node, `input ${showShape(s)} is not 2-D`);
  if (a.int('transA', 0) === 1) unsupported(node, 'transA = 1');
  const B = constInput(node, ins[1], 'B');
  if (!B) unsupported(node, 'B is missing');
  const Cb = constInput(node, ins[2], 'C');
  const alpha = a.float('alpha', 1);
  const beta = a.float('beta', 1);
  let Bm = a.int('transB', 0) === 1 ? transposeHost(B, [1, 0]) : B;
  if (alpha !== 1) Bm = { kind: 'float', dims: Bm.dims, data: floatHost(Bm).map((v) => v * alpha) };
  const bt = keep(ctx, tf.tensor2d(floatHost(Bm), Bm.dims as [number, number])) as tf.Tensor2D;
  const ct = Cb ? constAt(ctx, { kind: 'float', dims: Cb.dims, data: floatHost(Cb).map((v) => v * beta) }, 2, where(node)) : undefined;
  return {
    shapes: [[s[0] as number, Bm.dims[1] as number]],
    run: ([t]) => {
      const y = tf.matMul(t as tf.Tensor2D, bt);
      return [ct ? tf.add(y, ct) : y];
    },
  };
};

const lowerMatMul: OpConverter = (ctx, node, _a, ins) => {
  const s = dynShape(node, ins[0]);
  const y = ins[1];
  if (!y) unsupported(node, 'B is missing');
  if (y.kind === 'const') {
    if (y.t.dims.length !== 2) unsupported(node, 'a constant B of rank other than 2');
    const [K, M] = y.t.dims as [number, number];
    const bt = keep(ctx, tf.tensor2d(floatHost(y.t), [K, M])) as tf.Tensor2D;
    const out = [...s.slice(0, -1), M];
    return {
      shapes: [out],
      run: ([t], n) => {
        if (s.length === 2) return [tf.matMul(t as tf.Tensor2D, bt)];
        const o = tf.reshape(toOnnx(t as tf.Tensor, s, n), [-1, K]) as tf.Tensor2D;
        return [fromOnnx(tf.reshape(tf.matMul(o, bt), rt(out, n)), out, n)];
      },
    };
  }
  const s2 = y.shape;
  if (s.length !== s2.length || s.length < 2) unsupported(node, `operands ${showShape(s)} and ${showShape(s2)}`);
  const out = [...s.slice(0, -1), s2[s2.length - 1] as number];
  const as3 = (t: tf.Tensor, sh: number[], n: number) => tf.reshape(toOnnx(t, sh, n), [-1, sh[sh.length - 2] as number, sh[sh.length - 1] as number]) as tf.Tensor3D;
  return {
    shapes: [out],
    run: ([p, q], n) => [fromOnnx(tf.reshape(tf.matMul(as3(p as tf.Tensor, s, n), as3(q as tf.Tensor, s2, n)), rt(out, n)), out, n)],
  };
};

export const LINEAR_OPS: OpFamily = { Gemm: lowerGemm, MatMul: lowerMatMul };
