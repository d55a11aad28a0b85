/**
 * Reductions over computed values: ReduceMean / ReduceSum / ReduceMax / ReduceMin (axes attribute, or the
 * axes input from opset 13 for ReduceSum and 18 for the others; keepdims, noop_with_empty_axes), and
 * Softmax / LogSoftmax (opset < 13: over the flattened axes [axis, r); from 13: one axis, default -1).
 */
import * as tf from '@tensorflow/tfjs';
import { BATCH, size } from '../fold';
import { isIdentityPerm, onnxAxisAt, storedAxis } from '../layout';
import { axisOf, dynShape, fromOnnx, listArg, rt, toOnnx, unsupported, type OpConverter, type OpFamily } from './common';

const REDUCERS = { ReduceMean: tf.mean, ReduceSum: tf.sum, ReduceMax: tf.max, ReduceMin: tf.min } as const;

const lowerReduce: OpConverter = (ctx, node, a, ins) => {
  const s = dynShape(node, ins[0]);
  const r = s.length;
  const given = listArg(ctx, node, a, ins, 'axes', 1, node.opType === 'ReduceSum' ? 13 : 18);
  const noop = a.int('noop_with_empty_axes', 0) === 1;
  const axes = given && given.length > 0 ? given.map((v) => axisOf(v, r)) : noop ? [] : s.map((_, i) => i);
  if (axes.includes(0) && s[0] === BATCH) unsupported(node, 'reducing over the batch dimension');
  const keepDims = a.int('keepdims', 1) === 1;
  const stored = axes.map((ax) => storedAxis(ax, r));
  const out = keepDims ? s.map((d, i) => (axes.includes(i) ? 1 : d)) : s.filter((_, i) => !axes.includes(i));
  // Without keepdims a 4-D input leaves its other axes in stored order; put them in ONNX order.
  let fix: number[] | undefined;
  if (!keepDims && r === 4 && out.length !== 4) {
    const left = [0, 1, 2, 3].map((j) => onnxAxisAt(j, 4)).filter((ax) => !axes.includes(ax));
    const order = left.map((_, i) => i).sort((p, q) => (left[p] as number) - (left[q] as number));
    if (!isIdentityPerm(order)) fix = order;
  }
  const f = REDUCERS[node.opType as keyof typeof REDUCERS];
  return {
    shapes: [out],
    run: ([t]) => {
      if (axes.length === 0) return [t as tf.Tensor];
      const y = f(t as tf.Tensor, stored, keepDims);
      return [fix ? tf.transpose(y, fix) : y];
    },
  };
};

const lowerSoftmax: OpConverter = (ctx, node, a, [x]) => {
  const s = dynShape(node, x);
  const r = s.length;
  const axis = axisOf(a.int('axis', ctx.opset >= 13 ? -1 : 1), r);
  const sm = (t: tf.Tensor): tf.Tensor => (node.opType === 'LogSoftmax' ? tf.logSoftmax(t) : tf.softmax(t));
  if (ctx.opset < 13 && axis !== r - 1) {
    // Old semantics: softmax over the flattened axes [axis, r).
    return {
      shapes: [s],
      run: ([t], n) => [fromOnnx(tf.reshape(sm(tf.reshape(toOnnx(t as tf.Tensor, s, n), [-1, size(s.slice(axis))])), rt(s, n)), s, n)],
    };
  }
  const ax = storedAxis(axis, r);
  if (ax === r - 1) return { shapes: [s], run: ([t]) => [sm(t as tf.Tensor)] };
  const perm = s.map((_, i) => i);
  perm[ax] = r - 1;
  perm[r - 1] = ax;
  return { shapes: [s], run: ([t]) => [tf.transpose(sm(tf.transpose(t as tf.Tensor, perm)), perm)] };
};

export const REDUCE_OPS: OpFamily = {
  ...Object.fromEntries(Object.keys(REDUCERS).map((op) => [op, lowerReduce])),
  Softmax: lowerSoftmax,
  LogSoftmax: lowerSoftmax,
};
