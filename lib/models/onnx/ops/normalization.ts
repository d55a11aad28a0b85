/**
 * Normalisation layers, folded to per-channel constants where the statistics are fixed:
 * BatchNormalization (inference: y = x·k + (bias − mean·k), k = scale / √(var + ε)) and
 * LayerNormalization (over axes [axis, r), optional scale and bias).
 */
import * as tf from '@tensorflow/tfjs';
import { storedAxis } from '../layout';
import type { HostTensor } from '../proto';
import { axisOf, constAt, constInput, dynShape, unsupported, where, type OpConverter, type OpFamily } from './common';

const lowerBatchNorm: OpConverter = (ctx, node, a, ins) => {
  const s = dynShape(node, ins[0]);
  if (node.output.slice(1).some((o) => o)) unsupported(node, 'training-mode outputs (running mean/var) are used');
  const [sc, bi, mean, vr] = [1, 2, 3, 4].map((i) => constInput(node, ins[i], `input ${i}`)) as (HostTensor | undefined)[];
  if (!sc || !bi || !mean || !vr) unsupported(node, 'scale, bias, mean and variance must all be given');
  const eps = a.float('epsilon', 1e-5);
  const C = s[1] as number;
  const mul = new Float32Array(C);
  const add = new Float32Array(C);
  for (let c = 0; c < C; c++) {
    const k = (sc.data[c] as number) / Math.sqrt((vr.data[c] as number) + eps);
    mul[c] = k;
    add[c] = (bi.data[c] as number) - (mean.data[c] as number) * k;
  }
  const dims = [C, ...new Array<number>(s.length - 2).fill(1)];
  const m = constAt(ctx, { kind: 'float', dims, data: mul }, s.length, where(node));
  const b = constAt(ctx, { kind: 'float', dims, data: add }, s.length, where(node));
  return { shapes: [s], run: ([t]) => [tf.add(tf.mul(t as tf.Tensor, m), b)] };
};

const lowerLayerNorm: OpConverter = (ctx, node, a, ins) => {
  const s = dynShape(node, ins[0]);
  const r = s.length;
  if (node.output.slice(1).some((o) => o)) unsupported(node, 'the mean / inverse-std outputs are used');
  const axis = axisOf(a.int('axis', -1), r);
  const eps = a.float('epsilon', 1e-5);
  const axes = Array.from({ length: r - axis }, (_, i) => storedAxis(axis + i, r));
  const sc = constInput(node, ins[1], 'the scale');
  const bi = constInput(node, ins[2], 'the bias');
  const sct = sc ? constAt(ctx, sc, r, where(node)) : undefined;
  const bit = bi ? constAt(ctx, bi, r, where(node)) : undefined;
  return {
    shapes: [s],
    run: ([t]) => {
      const { mean, variance } = tf.moments(t as tf.Tensor, axes, true);
      let y = tf.div(tf.sub(t as tf.Tensor, mean), tf.sqrt(tf.add(variance, eps)));
      if (sct) y = tf.mul(y, sct);
      if (bit) y = tf.add(y, bit);
      return [y];
    },
  };
};

export const NORMALIZATION_OPS: OpFamily = { BatchNormalization: lowerBatchNorm, LayerNormalization: lowerLayerNorm };
