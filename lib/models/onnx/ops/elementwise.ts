/**
 * Element-wise ops. Unary activations (Relu … Gelu, with their attributes), Clip (min/max attributes
 * before opset 11, optional constant inputs from 11 on), pass-throughs (Identity, Dropout, float Cast),
 * Pow with a constant scalar exponent, PRelu, and the n-ary broadcasting ops (Add, Sub, Mul, Div, Max,
 * Min, Sum; numpy broadcasting, constants converted to the stored layout once).
 */
import * as tf from '@tensorflow/tfjs';
import { size } from '../fold';
import { dataTypeName, type Attrs, type NodeProto } from '../proto';
import {
  constAt,
  constInput,
  dynShape,
  fromOnnx,
  rt,
  showShape,
  toOnnx,
  unary,
  unsupported,
  where,
  type Ctx,
  type Lowered,
  type OpConverter,
  type OpFamily,
  type Value,
} from './common';

type Fn = (t: tf.Tensor) => tf.Tensor;
/** y = f(x) ops without attributes. */
const PLAIN: Readonly<Record<string, Fn>> = { Relu: tf.relu, Sigmoid: tf.sigmoid, Tanh: tf.tanh, Exp: tf.exp, Log: tf.log, Sqrt: tf.sqrt, Neg: tf.neg, Abs: tf.abs, Reciprocal: tf.reciprocal, Erf: tf.erf, Softplus: tf.softplus, Selu: tf.selu };

/** y = f(x) ops whose `f` reads the node's attributes. */
const ACTIVATIONS: Readonly<Record<string, (a: Attrs) => Fn>> = {
  ...Object.fromEntries(Object.entries(PLAIN).map(([op, f]) => [op, () => f])),
  Elu: (a) => {
    const alpha = a.float('alpha', 1);
    return (t) => (alpha === 1 ? tf.elu(t) : tf.where(tf.greater(t, 0), t, tf.mul(alpha, tf.sub(tf.exp(t), 1))));
  },
  LeakyRelu: (a) => {
    const alpha = a.float('alpha', 0.01);
    return (t) => tf.leakyRelu(t, alpha);
  },
  HardSigmoid: (a) => {
    const alpha = a.float('alpha', 0.2);
    const beta = a.float('beta', 0.5);
    return (t) => tf.clipByValue(tf.add(tf.mul(t, alpha), beta), 0, 1);
  },
  HardSwish: () => (t) => tf.mul(t, tf.clipByValue(tf.add(tf.mul(t, 1 / 6), 0.5), 0, 1)),
  Gelu: (a) =>
    a.str('approximate', 'none') === 'tanh'
      ? (t) => tf.mul(tf.mul(t, 0.5), tf.add(1, tf.tanh(tf.mul(Math.sqrt(2 / Math.PI), tf.add(t, tf.mul(0.044715, tf.pow(t, 3)))))))
      : (t) => tf.mul(tf.mul(t, 0.5), tf.add(1, tf.erf(tf.mul(t, Math.SQRT1_2)))),
};

const activation =
  (make: (a: Attrs) => (t: tf.Tensor) => tf.Tensor): OpConverter =>
  (_ctx, node, a, [x]) =>
    unary(node, x, make(a));

const F32_MAX = 3.4e38;

/** Clip: min / max attributes before opset 11; optional constant inputs 1 and 2 from opset 11 on. */
const lowerClip: OpConverter = (ctx, node, a, ins) => {
  let lo = -F32_MAX;
  let hi = F32_MAX;
  if (ctx.opset < 11) {
    lo = a.float('min', lo);
    hi = a.float('max', hi);
  } else {
    const mn = constInput(node, ins[1], 'min');
    const mx = constInput(node, ins[2], 'max');
    if (mn) lo = mn.data[0] as number;
    if (mx) hi = mx.data[0] as number;
  }
  return unary(node, ins[0], (t) => tf.clipByValue(t, lo, hi));
};

const lowerPassThrough: OpConverter = (_ctx, node, a, [x]) => {
  if (node.opType === 'Dropout' && node.output[1]) unsupported(node, 'the dropout mask output is used');
  if (node.opType === 'Cast') {
    const to = a.int('to', 1);
    if (to !== 1 && to !== 10 && to !== 11) unsupported(node, `casting image values to ${dataTypeName(to)}`);
  }
  return unary(node, x, (t) => t);
};

const lowerPow: OpConverter = (_ctx, node, _a, ins) => {
  const e = constInput(node, ins[1], 'the exponent');
  if (!e || size(e.dims) !== 1) unsupported(node, 'only a constant scalar exponent is supported');
  const p = e.data[0] as number;
  return unary(node, ins[0], (t) => (p === 2 ? tf.square(t) : p === 1 ? t : p === 0.5 ? tf.sqrt(t) : tf.pow(t, p)));
};

const lowerPRelu: OpConverter = (ctx, node, _a, ins) => {
  const s = dynShape(node, ins[0]);
  const slope = constInput(node, ins[1], 'the slope');
  if (!slope) unsupported(node, 'the slope is missing');
  const st = constAt(ctx, slope, s.length, where(node));
  return { shapes: [s], run: ([t]) => [tf.prelu(t as tf.Tensor, st)] };
};

function broadcastShapes(shapes: number[][], node: NodeProto): number[] {
  const r = Math.max(...shapes.map((s) => s.length));
  const out: number[] = [];
  for (let i = 0; i < r; i++) {
    let v = 1;
    for (const s of shapes) {
      const d = s[s.length - r + i] ?? 1;
      if (d === 1) continue;
      if (v !== 1 && v !== d) unsupported(node, `shapes ${shapes.map(showShape).join(' and ')} do not broadcast`);
      v = d;
    }
    out.push(v);
  }
  return out;
}

/** Operand of an element-wise op, as a stored tensor at rank r. */
function operand(ctx: Ctx, v: Value, r: number, at: string): (t: tf.Tensor | undefined, n: number) => tf.Tensor {
  if (v.kind === 'const') {
    const c = constAt(ctx, v.t, r, at);
    return () => c;
  }
  const s = v.shape;
  if (s.length === r) return (t) => t as tf.Tensor;
  return (t, n) => {
    const full = [...new Array<number>(r - s.length).fill(1), ...s];
    return fromOnnx(tf.reshape(toOnnx(t as tf.Tensor, s, n), rt(full, n)), full, n);
  };
}

const nary =
  (f: (p: tf.Tensor, q: tf.Tensor) => tf.Tensor): OpConverter =>
  (ctx, node, _a, ins): Lowered => {
    const vs = ins.filter((v): v is Value => v !== undefined);
    const out = broadcastShapes(
      vs.map((v) => (v.kind === 'dyn' ? v.shape : v.t.dims)),
      node,
    );
    const getters = vs.map((v) => operand(ctx, v, out.length, where(node)));
    const idx = ins.map((v, i) => (v ? i : -1)).filter((i) => i >= 0);
    return { shapes: [out], run: (ts, n) => [getters.map((g, k) => g(ts[idx[k] as number], n)).reduce((p, q) => f(p, q))] };
  };

export const ELEMENTWISE_OPS: OpFamily = {
  ...Object.fromEntries(Object.entries(ACTIVATIONS).map(([op, make]) => [op, activation(make)])),
  Clip: lowerClip,
  Identity: lowerPassThrough,
  Dropout: lowerPassThrough,
  Cast: lowerPassThrough,
  Pow: lowerPow,
  PRelu: lowerPRelu,
  Add: nary((p, q) => tf.add(p, q)),
  Sub: nary((p, q) => tf.sub(p, q)),
  Mul: nary((p, q) => tf.mul(p, q)),
  Div: nary((p, q) => tf.div(p, q)),
  Max: nary((p, q) => tf.maximum(p, q)),
  Min: nary((p, q) => tf.minimum(p, q)),
  Sum: nary((p, q) => tf.add(p, q)),
};
