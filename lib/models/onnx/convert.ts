/**
 * ONNX graph → a plan of TensorFlow.js steps (NHWC storage, see layout.ts). Built once at load time:
 * constants are folded on the host (fold.ts), weights are converted to TensorFlow.js layouts once
 * (OIHW → HWIO, depthwise → [kh, kw, C, m], dilated kernels → zero-inserted kernels, BatchNorm →
 * per-channel scale and shift), static shapes are inferred for every value. Running the plan is
 * synchronous and uses only ops whose gradients exist on CPU, WebGL and WASM: unfused `tf.conv2d`,
 * a portable depthwise conv, explicit `tf.pad`, slices (never `gather`) — so every method works.
 *
 * Ownership: the plan owns the constant tensors it created (`consts`); `disposePlan` releases them.
 */
import * as tf from '@tensorflow/tfjs';
import { depthwiseConv2dPortable } from '../layer-graph';
import { ModelError } from '../types';
import { BATCH, FOLDABLE, foldNode, size, sliceRange, transposeHost, values } from './fold';
import { composePerm, isIdentityPerm, layoutsAgree, onnxAxisAt, ONNX_TO_STORED, STORED_TO_ONNX, storedAxis, storedDims } from './layout';
import { attrs, dataTypeName, defaultOpset, readTensor, toNum, type Attrs, type ExternalReader, type HostTensor, type ModelProto, type NodeProto } from './proto';

/** A value of the graph: a host constant, or a tensor computed at run time with a static ONNX shape. */
export type Value = { kind: 'const'; t: HostTensor } | { kind: 'dyn'; shape: number[] };

export interface Step {
  /** Node name (or its first output's name when the node is unnamed). */
  name: string;
  op: string;
  /** Names of the dynamic inputs, aligned with `run`'s `ins` (undefined for constant/missing ones). */
  inputs: (string | undefined)[];
  outputs: string[];
  /** Output ONNX shapes (batch as BATCH). */
  shapes: number[][];
  /** Float parameters this node reads from initializers. */
  params: number;
  run(ins: (tf.Tensor | undefined)[], n: number): tf.Tensor[];
}

export interface OnnxPlan {
  opset: number;
  producer: string;
  inputName: string;
  /** [channels, height, width] of the image input. */
  inputChw: [number, number, number];
  outputName: string;
  numClasses: number;
  steps: Step[];
  consts: tf.Tensor[];
  paramCount: number;
  /** Op types of the nodes of the file (after folding some disappear from `steps`). */
  opTypes: string[];
}

/** Ops the translation implements (dynamic); the foldable shape ops are handled on the host. */
export const SUPPORTED_OPS: readonly string[] = [
  'Abs', 'Add', 'AveragePool', 'BatchNormalization', 'Cast', 'Clip', 'Concat', 'Constant', 'ConstantOfShape', 'Conv', 'Div', 'Dropout',
  'Elu', 'Erf', 'Exp', 'Flatten', 'Gather', 'Gelu', 'Gemm', 'GlobalAveragePool', 'GlobalMaxPool', 'HardSigmoid', 'HardSwish', 'Identity',
  'LayerNormalization', 'LeakyRelu', 'Log', 'LogSoftmax', 'MatMul', 'Max', 'MaxPool', 'Min', 'Mul', 'Neg', 'Pad', 'Pow', 'PRelu', 'Range',
  'Reciprocal', 'ReduceMax', 'ReduceMean', 'ReduceMin', 'ReduceSum', 'Relu', 'Reshape', 'Selu', 'Shape', 'Sigmoid', 'Size', 'Slice',
  'Softmax', 'Softplus', 'Split', 'Sqrt', 'Squeeze', 'Sub', 'Sum', 'Tanh', 'Transpose', 'Unsqueeze',
];

const rt = (shape: readonly number[], n: number): number[] => shape.map((d) => (d === BATCH ? n : d));
const showShape = (s: readonly number[]): string => `[${s.map((d) => (d === BATCH ? 'N' : String(d))).join(', ')}]`;

/** Stored tensor → ONNX order. */
function toOnnx(t: tf.Tensor, shape: readonly number[], n: number): tf.Tensor {
  if (shape.length !== 4) return t;
  return layoutsAgree(shape) ? tf.reshape(t, rt(shape, n)) : tf.transpose(t, [...STORED_TO_ONNX]);
}

/** ONNX-order tensor → stored. */
function fromOnnx(t: tf.Tensor, shape: readonly number[], n: number): tf.Tensor {
  if (shape.length !== 4) return t;
  return layoutsAgree(shape) ? tf.reshape(t, storedDims(rt(shape, n))) : tf.transpose(t, [...ONNX_TO_STORED]);
}

interface Ctx {
  opset: number;
  consts: tf.Tensor[];
  declaredBatch: number | undefined;
}

/** A host constant as a stored tf tensor at `rank` (numpy broadcast: leading 1s prepended). */
function constAt(ctx: Ctx, t: HostTensor, rank: number, where: string): tf.Tensor {
  if (t.dims.length > rank) throw new ModelError('load-failed', `${where}: a constant of rank ${t.dims.length} meets a value of rank ${rank}.`);
  let h: HostTensor = { ...t, dims: [...new Array<number>(rank - t.dims.length).fill(1), ...t.dims] } as HostTensor;
  if (rank === 4) h = transposeHost(h, ONNX_TO_STORED);
  const out = tf.tensor(h.kind === 'float' ? h.data : Float32Array.from(h.data), h.dims, 'float32');
  ctx.consts.push(out);
  return out;
}

function keep(ctx: Ctx, t: tf.Tensor): tf.Tensor {
  ctx.consts.push(t);
  return t;
}

function floatHost(t: HostTensor): Float32Array {
  return t.kind === 'float' ? t.data : Float32Array.from(t.data);
}

function unsupported(node: NodeProto, why: string): never {
  throw new ModelError('unknown-op', `The ONNX node “${node.name || node.output[0]}” (${node.opType}) cannot be translated: ${why}.`);
}

/** Pads [begin, end] per spatial axis from auto_pad / pads (static input size). */
function spatialPads(node: NodeProto, a: Attrs, inHW: [number, number], k: [number, number], s: [number, number], d: [number, number]): [[number, number], [number, number]] {
  const auto = a.str('auto_pad', 'NOTSET');
  if (auto === 'SAME_UPPER' || auto === 'SAME_LOWER') {
    return [0, 1].map((i) => {
      const inp = inHW[i] as number;
      const out = Math.ceil(inp / (s[i] as number));
      const total = Math.max(0, (out - 1) * (s[i] as number) + ((k[i] as number) - 1) * (d[i] as number) + 1 - inp);
      const small = Math.floor(total / 2);
      return auto === 'SAME_UPPER' ? [small, total - small] : [total - small, small];
    }) as [[number, number], [number, number]];
  }
  if (auto === 'VALID') return [[0, 0], [0, 0]];
  if (auto !== 'NOTSET') unsupported(node, `auto_pad “${auto}”`);
  const p = a.ints('pads') ?? [0, 0, 0, 0];
  if (p.length !== 4) unsupported(node, `pads ${JSON.stringify(p)} (only 2-D spatial ops)`);
  return [[p[0] as number, p[2] as number], [p[1] as number, p[3] as number]];
}

function pair(v: number[] | undefined, d: number): [number, number] {
  return [v?.[0] ?? d, v?.[1] ?? d];
}

/** Zero-inserted kernel for dilation (exact; keeps gradients on ops every backend differentiates). */
function dilateKernel(w: HostTensor, d: [number, number]): HostTensor {
  if (d[0] === 1 && d[1] === 1) return w;
  const [m, c, kh, kw] = w.dims as [number, number, number, number];
  const eh = (kh - 1) * d[0] + 1;
  const ew = (kw - 1) * d[1] + 1;
  const out = new Float32Array(m * c * eh * ew);
  const src = floatHost(w);
  for (let o = 0; o < m * c; o++) for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) out[(o * eh + i * d[0]) * ew + j * d[1]] = src[(o * kh + i) * kw + j] as number;
  return { kind: 'float', dims: [m, c, eh, ew], data: out };
}

type Lowered = { shapes: number[][]; run: (ins: (tf.Tensor | undefined)[], n: number) => tf.Tensor[] };

function padSpec(p: [[number, number], [number, number]]): [number, number][] {
  return [[0, 0], p[0], p[1], [0, 0]];
}
const anyPad = (p: [[number, number], [number, number]]): boolean => p.flat().some((v) => v !== 0);

function lowerConv(ctx: Ctx, node: NodeProto, a: Attrs, ins: (Value | undefined)[]): Lowered {
  const x = ins[0];
  const w = ins[1];
  const b = ins[2];
  if (x?.kind !== 'dyn') unsupported(node, 'the input is not computed from the image');
  if (x.shape.length !== 4) unsupported(node, `only 2-D convolutions are supported (input ${showShape(x.shape)})`);
  if (w?.kind !== 'const') unsupported(node, 'the weights are not constant');
  if (b && b.kind !== 'const') unsupported(node, 'the bias is not constant');
  const [N, C, H, W] = x.shape as [number, number, number, number];
  const [M, cg, kh, kw] = w.t.dims as [number, number, number, number];
  const g = a.int('group', 1);
  if (cg * g !== C) unsupported(node, `weights [${w.t.dims.join(', ')}] with group ${g} do not fit ${C} input channels`);
  const s = pair(a.ints('strides'), 1);
  const d = pair(a.ints('dilations'), 1);
  const pads = spatialPads(node, a, [H, W], [kh, kw], s, d);
  const wd = dilateKernel(w.t, d);
  const ek: [number, number] = [wd.dims[2] as number, wd.dims[3] as number];
  const oh = Math.floor((H + pads[0][0] + pads[0][1] - ek[0]) / s[0]) + 1;
  const ow = Math.floor((W + pads[1][0] + pads[1][1] - ek[1]) / s[1]) + 1;
  const bias = b ? keep(ctx, tf.tensor1d(floatHost(b.t))) : undefined;
  const where = `Conv “${node.name}”`;
  let conv: (x4: tf.Tensor4D) => tf.Tensor4D;
  if (g === 1) {
    const f = transposeHost(wd, [2, 3, 1, 0]);
    const ft = keep(ctx, tf.tensor4d(floatHost(f), f.dims as [number, number, number, number])) as tf.Tensor4D;
    conv = (x4) => tf.conv2d(x4, ft, s, 'valid');
  } else if (g === C && cg === 1) {
    const mult = M / C;
    const f = transposeHost({ kind: 'float', dims: [C, mult, ek[0], ek[1]], data: floatHost(wd) }, [2, 3, 0, 1]);
    const ft = keep(ctx, tf.tensor4d(floatHost(f), f.dims as [number, number, number, number])) as tf.Tensor4D;
    if (s[0] !== s[1] && (s[0] !== 1 || s[1] !== 1)) unsupported(node, 'depthwise convolution with unequal strides');
    conv = (x4) => depthwiseConv2dPortable(x4, ft, s, 'valid');
  } else {
    const mg = M / g;
    const all = floatHost(wd);
    const per = mg * cg * ek[0] * ek[1];
    const fs = Array.from({ length: g }, (_, gi) => {
      const f = transposeHost({ kind: 'float', dims: [mg, cg, ek[0], ek[1]], data: all.subarray(gi * per, (gi + 1) * per) }, [2, 3, 1, 0]);
      return keep(ctx, tf.tensor4d(floatHost(f), f.dims as [number, number, number, number])) as tf.Tensor4D;
    });
    conv = (x4) => {
      const parts = tf.split(x4, g, 3) as tf.Tensor4D[];
      return tf.concat(parts.map((p, gi) => tf.conv2d(p, fs[gi] as tf.Tensor4D, s, 'valid')), 3) as tf.Tensor4D;
    };
  }
  void where;
  return {
    shapes: [[N, M, oh, ow]],
    run: ([xi]) => {
      let x4 = xi as tf.Tensor4D;
      if (anyPad(pads)) x4 = tf.pad(x4, padSpec(pads));
      let y: tf.Tensor = conv(x4);
      if (bias) y = tf.add(y, bias);
      return [y];
    },
  };
}

function poolGeometry(node: NodeProto, a: Attrs, shape: number[]) {
  const [N, C, H, W] = shape as [number, number, number, number];
  const k = pair(a.ints('kernel_shape'), 1);
  const s = pair(a.ints('strides'), 1);
  const d = pair(a.ints('dilations'), 1);
  if (d[0] !== 1 || d[1] !== 1) unsupported(node, 'dilated pooling');
  const pads = spatialPads(node, a, [H, W], k, s, d);
  const ceil = a.int('ceil_mode', 0) === 1;
  const out = [0, 1].map((i) => {
    const inp = (i === 0 ? H : W) + (pads[i]?.[0] as number) + (pads[i]?.[1] as number);
    const kk = k[i] as number;
    const ss = s[i] as number;
    let o = ceil ? Math.ceil((inp - kk) / ss) + 1 : Math.floor((inp - kk) / ss) + 1;
    if (ceil && (o - 1) * ss >= (i === 0 ? H : W) + (pads[i]?.[0] as number)) o -= 1;
    return o;
  }) as [number, number];
  // Extra padding at the end so that 'valid' pooling yields `out` (ceil mode's overhang).
  const extra = [0, 1].map((i) => Math.max(0, ((out[i] as number) - 1) * (s[i] as number) + (k[i] as number) - ((i === 0 ? H : W) + (pads[i]?.[0] as number) + (pads[i]?.[1] as number))));
  const full: [[number, number], [number, number]] = [
    [pads[0][0], pads[0][1] + (extra[0] as number)],
    [pads[1][0], pads[1][1] + (extra[1] as number)],
  ];
  return { N, C, H, W, k, s, pads, full, out };
}

function lowerMaxPool(node: NodeProto, a: Attrs, x: Value | undefined): Lowered {
  if (x?.kind !== 'dyn' || x.shape.length !== 4) unsupported(node, 'only 2-D pooling of a computed value is supported');
  if (node.output.length > 1 && node.output[1]) unsupported(node, 'the indices output is used');
  const g = poolGeometry(node, a, x.shape);
  return {
    shapes: [[g.N, g.C, g.out[0], g.out[1]]],
    run: ([xi]) => {
      let x4 = xi as tf.Tensor4D;
      if (anyPad(g.full)) x4 = tf.pad(x4, padSpec(g.full), -3.4e38);
      return [tf.maxPool(x4, g.k, g.s, 'valid')];
    },
  };
}

function lowerAvgPool(ctx: Ctx, node: NodeProto, a: Attrs, x: Value | undefined): Lowered {
  if (x?.kind !== 'dyn' || x.shape.length !== 4) unsupported(node, 'only 2-D pooling of a computed value is supported');
  const g = poolGeometry(node, a, x.shape);
  const include = a.int('count_include_pad', 0) === 1;
  // avgPool over the zero-padded input divides by kh·kw; rescale each cell to the true divisor.
  const count = (o: number, i: 0 | 1): number => {
    const len = i === 0 ? g.H : g.W;
    const start = o * (g.s[i] as number) - (g.pads[i]?.[0] as number);
    const end = start + (g.k[i] as number);
    const lo = include ? -(g.pads[i]?.[0] as number) : 0;
    const hi = include ? len + (g.pads[i]?.[1] as number) : len;
    return Math.max(0, Math.min(end, hi) - Math.max(start, lo));
  };
  const kk = g.k[0] * g.k[1];
  const factor = new Float32Array(g.out[0] * g.out[1]);
  let trivial = true;
  for (let i = 0; i < g.out[0]; i++) {
    for (let j = 0; j < g.out[1]; j++) {
      const f = kk / Math.max(1, count(i, 0) * count(j, 1));
      factor[i * g.out[1] + j] = f;
      if (f !== 1) trivial = false;
    }
  }
  const ft = trivial ? undefined : keep(ctx, tf.tensor4d(factor, [1, g.out[0], g.out[1], 1]));
  return {
    shapes: [[g.N, g.C, g.out[0], g.out[1]]],
    run: ([xi]) => {
      let x4 = xi as tf.Tensor4D;
      if (anyPad(g.full)) x4 = tf.pad(x4, padSpec(g.full));
      const y = tf.avgPool(x4, g.k, g.s, 'valid');
      return [ft ? tf.mul(y, ft) : y];
    },
  };
}

/**
 * Reflect padding from slices, reverses and a concat, axis by axis. Not `tf.mirrorPad`: its gradient in
 * tfjs-core 4.22 only slices dy (as for zero padding), dropping the reflected pixels' share.
 */
function reflectPad(x: tf.Tensor, pads: readonly [number, number][]): tf.Tensor {
  let y = x;
  pads.forEach(([before, after], axis) => {
    if (before === 0 && after === 0) return;
    const len = y.shape[axis] as number;
    const part = (start: number, count: number): tf.Tensor => {
      const b = y.shape.map(() => 0);
      const c = y.shape.map((d) => d as number);
      b[axis] = start;
      c[axis] = count;
      return tf.reverse(tf.slice(y, b, c), axis);
    };
    const pieces = [...(before > 0 ? [part(1, before)] : []), y, ...(after > 0 ? [part(len - 1 - after, after)] : [])];
    y = tf.concat(pieces, axis);
  });
  return y;
}

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

/** Operand i of an element-wise op, as a stored tensor at rank r. */
function operand(ctx: Ctx, v: Value, r: number, where: string): (t: tf.Tensor | undefined, n: number) => tf.Tensor {
  if (v.kind === 'const') {
    const c = constAt(ctx, v.t, r, where);
    return () => c;
  }
  const s = v.shape;
  if (s.length === r) return (t) => t as tf.Tensor;
  return (t, n) => {
    const onnx = toOnnx(t as tf.Tensor, s, n);
    const full = [...new Array<number>(r - s.length).fill(1), ...s];
    return fromOnnx(tf.reshape(onnx, rt(full, n)), full, n);
  };
}

function lowerElementwise(ctx: Ctx, node: NodeProto, ins: (Value | undefined)[], f: (xs: tf.Tensor[]) => tf.Tensor): Lowered {
  const vs = ins.filter((v): v is Value => v !== undefined);
  const shapes = vs.map((v) => (v.kind === 'dyn' ? v.shape : v.t.dims));
  const out = broadcastShapes(shapes, node);
  const r = out.length;
  const getters = vs.map((v) => operand(ctx, v, r, `${node.opType} “${node.name}”`));
  const idx = ins.map((v, i) => (v ? i : -1)).filter((i) => i >= 0);
  return { shapes: [out], run: (ts, n) => [f(getters.map((g, k) => g(ts[idx[k] as number], n)))] };
}

function constInput(node: NodeProto, v: Value | undefined, what: string): HostTensor | undefined {
  if (!v) return undefined;
  if (v.kind !== 'const') unsupported(node, `${what} is computed at run time (only constants are supported)`);
  return v.t;
}

function unary(x: Value | undefined, node: NodeProto, f: (t: tf.Tensor) => tf.Tensor): Lowered {
  if (x?.kind !== 'dyn') unsupported(node, 'the input is not computed from the image');
  return { shapes: [x.shape], run: ([t]) => [f(t as tf.Tensor)] };
}

function reduceAxes(node: NodeProto, a: Attrs, ins: (Value | undefined)[], ctx: Ctx, r: number, axesFromInput: boolean): number[] {
  const fromIn = axesFromInput ? constInput(node, ins[1], 'the axes') : undefined;
  const ax = fromIn ? values(fromIn) : a.ints('axes');
  if (!ax || ax.length === 0) {
    if (a.int('noop_with_empty_axes', 0) === 1) return [];
    return Array.from({ length: r }, (_, i) => i);
  }
  void ctx;
  return ax.map((v) => (v < 0 ? v + r : v));
}

/** Translates one node whose inputs are not all constant. */
function lowerNode(ctx: Ctx, node: NodeProto, ins: (Value | undefined)[]): Lowered {
  const a = attrs(node);
  const x = ins[0];
  const where = `${node.opType} “${node.name || node.output[0]}”`;
  const dynShape = (): number[] => {
    if (x?.kind !== 'dyn') unsupported(node, 'the input is not computed from the image');
    return x.shape;
  };
  switch (node.opType) {
    case 'Conv':
      return lowerConv(ctx, node, a, ins);
    case 'MaxPool':
      return lowerMaxPool(node, a, x);
    case 'AveragePool':
      return lowerAvgPool(ctx, node, a, x);
    case 'GlobalAveragePool':
    case 'GlobalMaxPool': {
      const s = dynShape();
      if (s.length !== 4) unsupported(node, `input ${showShape(s)} is not 4-D`);
      const max = node.opType === 'GlobalMaxPool';
      return { shapes: [[s[0] as number, s[1] as number, 1, 1]], run: ([t]) => [max ? tf.max(t as tf.Tensor, [1, 2], true) : tf.mean(t as tf.Tensor, [1, 2], true)] };
    }
    case 'BatchNormalization': {
      const s = dynShape();
      if (node.output.length > 1 && node.output.slice(1).some((o) => o)) unsupported(node, 'training-mode outputs (running mean/var) are used');
      const [sc, bi, mean, vr] = [1, 2, 3, 4].map((i) => constInput(node, ins[i], `input ${i}`)) as HostTensor[];
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
      const m = constAt(ctx, { kind: 'float', dims, data: mul }, s.length, where);
      const b = constAt(ctx, { kind: 'float', dims, data: add }, s.length, where);
      return { shapes: [s], run: ([t]) => [tf.add(tf.mul(t as tf.Tensor, m), b)] };
    }
    case 'Relu':
      return unary(x, node, (t) => tf.relu(t));
    case 'Sigmoid':
      return unary(x, node, (t) => tf.sigmoid(t));
    case 'Tanh':
      return unary(x, node, (t) => tf.tanh(t));
    case 'Exp':
      return unary(x, node, (t) => tf.exp(t));
    case 'Log':
      return unary(x, node, (t) => tf.log(t));
    case 'Sqrt':
      return unary(x, node, (t) => tf.sqrt(t));
    case 'Neg':
      return unary(x, node, (t) => tf.neg(t));
    case 'Abs':
      return unary(x, node, (t) => tf.abs(t));
    case 'Reciprocal':
      return unary(x, node, (t) => tf.reciprocal(t));
    case 'Erf':
      return unary(x, node, (t) => tf.erf(t));
    case 'Softplus':
      return unary(x, node, (t) => tf.softplus(t));
    case 'Elu': {
      const alpha = a.float('alpha', 1);
      return unary(x, node, (t) => (alpha === 1 ? tf.elu(t) : tf.where(tf.greater(t, 0), t, tf.mul(alpha, tf.sub(tf.exp(t), 1)))));
    }
    case 'Selu':
      return unary(x, node, (t) => tf.selu(t));
    case 'LeakyRelu': {
      const alpha = a.float('alpha', 0.01);
      return unary(x, node, (t) => tf.leakyRelu(t, alpha));
    }
    case 'HardSigmoid': {
      const alpha = a.float('alpha', 0.2);
      const beta = a.float('beta', 0.5);
      return unary(x, node, (t) => tf.clipByValue(tf.add(tf.mul(t, alpha), beta), 0, 1));
    }
    case 'HardSwish':
      return unary(x, node, (t) => tf.mul(t, tf.clipByValue(tf.add(tf.mul(t, 1 / 6), 0.5), 0, 1)));
    case 'Gelu': {
      const tanh = a.str('approximate', 'none') === 'tanh';
      return unary(x, node, (t) =>
        tanh
          ? tf.mul(tf.mul(t, 0.5), tf.add(1, tf.tanh(tf.mul(Math.sqrt(2 / Math.PI), tf.add(t, tf.mul(0.044715, tf.pow(t, 3)))))))
          : tf.mul(tf.mul(t, 0.5), tf.add(1, tf.erf(tf.mul(t, Math.SQRT1_2)))),
      );
    }
    case 'Clip': {
      let lo = -3.4e38;
      let hi = 3.4e38;
      if (ctx.opset < 11) {
        lo = a.float('min', lo);
        hi = a.float('max', hi);
      } else {
        const mn = constInput(node, ins[1], 'min');
        const mx = constInput(node, ins[2], 'max');
        if (mn) lo = mn.data[0] as number;
        if (mx) hi = mx.data[0] as number;
      }
      return unary(x, node, (t) => tf.clipByValue(t, lo, hi));
    }
    case 'Identity':
    case 'Dropout': {
      if (node.opType === 'Dropout' && node.output[1]) unsupported(node, 'the dropout mask output is used');
      return unary(x, node, (t) => t);
    }
    case 'Cast': {
      const to = a.int('to', 1);
      if (to !== 1 && to !== 10 && to !== 11) unsupported(node, `casting image values to ${dataTypeName(to)}`);
      return unary(x, node, (t) => t);
    }
    case 'Add':
      return lowerElementwise(ctx, node, ins, ([p, q]) => tf.add(p as tf.Tensor, q as tf.Tensor));
    case 'Sub':
      return lowerElementwise(ctx, node, ins, ([p, q]) => tf.sub(p as tf.Tensor, q as tf.Tensor));
    case 'Mul':
      return lowerElementwise(ctx, node, ins, ([p, q]) => tf.mul(p as tf.Tensor, q as tf.Tensor));
    case 'Div':
      return lowerElementwise(ctx, node, ins, ([p, q]) => tf.div(p as tf.Tensor, q as tf.Tensor));
    case 'Max':
      return lowerElementwise(ctx, node, ins, (ts) => ts.reduce((p, q) => tf.maximum(p, q)));
    case 'Min':
      return lowerElementwise(ctx, node, ins, (ts) => ts.reduce((p, q) => tf.minimum(p, q)));
    case 'Sum':
      return lowerElementwise(ctx, node, ins, (ts) => ts.reduce((p, q) => tf.add(p, q)));
    case 'Pow': {
      const e = constInput(node, ins[1], 'the exponent');
      if (!e || size(e.dims) !== 1) unsupported(node, 'only a constant scalar exponent is supported');
      const p = e.data[0] as number;
      return unary(x, node, (t) => (p === 2 ? tf.square(t) : p === 1 ? t : p === 0.5 ? tf.sqrt(t) : tf.pow(t, p)));
    }
    case 'PRelu': {
      const s = dynShape();
      const slope = constInput(node, ins[1], 'the slope');
      if (!slope) unsupported(node, 'the slope is missing');
      const st = constAt(ctx, slope, s.length, where);
      return { shapes: [s], run: ([t]) => [tf.prelu(t as tf.Tensor, st)] };
    }
    case 'Flatten': {
      const s = dynShape();
      const axis = ((v) => (v < 0 ? v + s.length : v))(a.int('axis', 1));
      if (axis === 0 || (axis > 1 && s[0] === BATCH)) unsupported(node, `flattening across the batch dimension (axis ${axis})`);
      const out = [s.slice(0, axis).reduce((p, q) => (q === BATCH ? BATCH : p * q), 1), size(s.slice(axis))];
      return { shapes: [out], run: ([t], n) => [tf.reshape(toOnnx(t as tf.Tensor, s, n), rt(out, n))] };
    }
    case 'Reshape': {
      const s = dynShape();
      const target = constInput(node, ins[1], 'the target shape');
      if (!target) unsupported(node, 'the target shape is missing');
      const allowzero = a.int('allowzero', 0) === 1;
      let dims = values(target).map((d, i) => (d === 0 && !allowzero ? (s[i] as number) : d));
      const batched = s[0] === BATCH;
      // Static-batch exports bake the batch size into the target: keep position 0 as the batch.
      if (batched && !dims.includes(BATCH) && ctx.declaredBatch !== undefined && dims[0] === ctx.declaredBatch) dims = [BATCH, ...dims.slice(1)];
      const perSample = size(s.filter((d) => d !== BATCH));
      if (batched && !dims.includes(BATCH)) {
        // A -1 that absorbs the batch: only when it is at position 0.
        if (dims[0] === -1) dims = [BATCH, ...dims.slice(1)];
        else unsupported(node, `reshaping ${showShape(s)} to ${JSON.stringify(values(target))} mixes the batch dimension with the others`);
      }
      const known = size(dims.filter((d) => d !== -1 && d !== BATCH));
      dims = dims.map((d) => (d === -1 ? perSample / known : d));
      if (size(dims.filter((d) => d !== BATCH)) !== perSample) unsupported(node, `reshaping ${showShape(s)} to ${JSON.stringify(values(target))} ${batched ? 'mixes the batch dimension with the others' : 'changes the number of values'}`);
      const out = dims;
      return { shapes: [out], run: ([t], n) => [fromOnnx(tf.reshape(toOnnx(t as tf.Tensor, s, n), rt(out, n)), out, n)] };
    }
    case 'Squeeze':
    case 'Unsqueeze': {
      const s = dynShape();
      const axIn = ctx.opset >= 13 ? constInput(node, ins[1], 'the axes') : undefined;
      const axes = axIn ? values(axIn) : a.ints('axes');
      let out: number[];
      if (node.opType === 'Unsqueeze') {
        const r = s.length + (axes?.length ?? 0);
        const set = new Set((axes ?? []).map((v) => (v < 0 ? v + r : v)));
        let j = 0;
        out = Array.from({ length: r }, (_, i) => (set.has(i) ? 1 : (s[j++] as number)));
      } else {
        const set = axes ? new Set(axes.map((v) => (v < 0 ? v + s.length : v))) : new Set(s.flatMap((d, i) => (d === 1 ? [i] : [])));
        out = s.filter((_, i) => !set.has(i));
      }
      return { shapes: [out], run: ([t], n) => [fromOnnx(tf.reshape(toOnnx(t as tf.Tensor, s, n), rt(out, n)), out, n)] };
    }
    case 'Transpose': {
      const s = dynShape();
      const r = s.length;
      const perm = a.ints('perm') ?? s.map((_, i) => r - 1 - i);
      const out = perm.map((p) => s[p] as number);
      const inPerm = r === 4 ? [...STORED_TO_ONNX] : s.map((_, i) => i);
      const outPerm = r === 4 ? [...ONNX_TO_STORED] : s.map((_, i) => i);
      const full = composePerm(composePerm(inPerm, perm), outPerm);
      return { shapes: [out], run: ([t], n) => [isIdentityPerm(full) ? tf.reshape(t as tf.Tensor, storedDims(rt(out, n))) : tf.transpose(t as tf.Tensor, full)] };
    }
    case 'Concat': {
      const vs = ins.filter((v): v is Value => v !== undefined);
      const first = vs.find((v) => v.kind === 'dyn') as { kind: 'dyn'; shape: number[] } | undefined;
      if (!first) unsupported(node, 'no computed input');
      const r = first.shape.length;
      const axis = ((v) => (v < 0 ? v + r : v))(a.int('axis', 0));
      if (axis === 0) unsupported(node, 'concatenation along the batch dimension');
      const out = [...first.shape];
      out[axis] = vs.reduce((acc, v) => acc + ((v.kind === 'dyn' ? v.shape : v.t.dims)[axis] as number), 0);
      if (vs.some((v) => v.kind === 'const')) unsupported(node, 'concatenating a constant with a batched value');
      const ax = storedAxis(axis, r);
      const idx = ins.map((v, i) => (v ? i : -1)).filter((i) => i >= 0);
      return { shapes: [out], run: (ts) => [tf.concat(idx.map((i) => ts[i] as tf.Tensor), ax)] };
    }
    case 'Split': {
      const s = dynShape();
      const r = s.length;
      const axis = ((v) => (v < 0 ? v + r : v))(a.int('axis', 0));
      const len = s[axis] as number;
      const fromIn = ctx.opset >= 13 ? constInput(node, ins[1], 'the split sizes') : undefined;
      let parts = fromIn ? values(fromIn) : a.ints('split');
      const k = node.output.length;
      if (!parts || parts.length === 0) {
        const each = Math.ceil(len / k);
        parts = Array.from({ length: k }, (_, i) => Math.min(each, len - i * each));
      }
      if (axis === 0) unsupported(node, 'splitting the batch dimension');
      const ax = storedAxis(axis, r);
      const sizes = parts;
      const shapes = sizes.map((p) => s.map((d, i) => (i === axis ? p : d)));
      return { shapes, run: ([t]) => tf.split(t as tf.Tensor, sizes, ax) };
    }
    case 'Slice': {
      const s = dynShape();
      const r = s.length;
      const starts = ctx.opset >= 10 ? values(constInput(node, ins[1], 'starts') ?? unsupported(node, 'no starts')) : (a.ints('starts') ?? []);
      const ends = ctx.opset >= 10 ? values(constInput(node, ins[2], 'ends') ?? unsupported(node, 'no ends')) : (a.ints('ends') ?? []);
      const axesIn = ctx.opset >= 10 ? constInput(node, ins[3], 'axes') : undefined;
      const axes = (axesIn ? values(axesIn) : (a.ints('axes') ?? starts.map((_, i) => i))).map((v) => (v < 0 ? v + r : v));
      const stepsIn = ctx.opset >= 10 ? constInput(node, ins[4], 'steps') : undefined;
      if (stepsIn && values(stepsIn).some((v) => v !== 1)) unsupported(node, 'slices with a step other than 1');
      const begin = s.map(() => 0);
      const count = s.map((d) => d);
      axes.forEach((ax, i) => {
        if (ax === 0) {
          const [b, c] = s[0] === BATCH ? [0, BATCH] : sliceRange(starts[i] as number, ends[i] as number, s[0] as number);
          if (s[0] === BATCH && !((starts[i] as number) === 0 && (ends[i] as number) >= 2 ** 31 - 1)) unsupported(node, 'slicing the batch dimension');
          begin[0] = b;
          count[0] = c;
          return;
        }
        const [b, c] = sliceRange(starts[i] as number, ends[i] as number, s[ax] as number);
        begin[ax] = b;
        count[ax] = c;
      });
      const sb = storedDims(begin);
      const sc = storedDims(count);
      return { shapes: [count], run: ([t], n) => [tf.slice(t as tf.Tensor, sb, rt(sc, n).map((d, i) => (i === 0 && s[0] === BATCH ? -1 : d)))] };
    }
    case 'Gather': {
      const s = dynShape();
      const r = s.length;
      const axis = ((v) => (v < 0 ? v + r : v))(a.int('axis', 0));
      const idx = constInput(node, ins[1], 'the indices');
      if (!idx || idx.dims.length > 1) unsupported(node, 'only constant scalar or 1-D indices are supported');
      if (axis === 0) unsupported(node, 'gathering along the batch dimension');
      const len = s[axis] as number;
      const iv = values(idx).map((v) => (v < 0 ? v + len : v));
      const scalar = idx.dims.length === 0;
      const out = scalar ? s.filter((_, i) => i !== axis) : s.map((d, i) => (i === axis ? iv.length : d));
      return {
        shapes: [out],
        run: ([t], n) => {
          const o = toOnnx(t as tf.Tensor, s, n);
          const pieces = iv.map((i) => {
            const b = s.map(() => 0);
            b[axis] = i;
            const c = rt(s, n).map((d, k) => (k === axis ? 1 : d));
            return tf.slice(o, b, c);
          });
          const cat = pieces.length === 1 ? (pieces[0] as tf.Tensor) : tf.concat(pieces, axis);
          return [fromOnnx(tf.reshape(cat, rt(out, n)), out, n)];
        },
      };
    }
    case 'Pad': {
      const s = dynShape();
      const r = s.length;
      const mode = a.str('mode', 'constant');
      const pv = ctx.opset >= 11 ? values(constInput(node, ins[1], 'the pads') ?? unsupported(node, 'no pads')) : (a.ints('pads') ?? []);
      const cv = ctx.opset >= 11 ? constInput(node, ins[2], 'the constant value') : undefined;
      const value = cv ? (cv.data[0] as number) : a.float('value', 0);
      if (ctx.opset >= 18 && ins[3]) unsupported(node, 'the axes input');
      if (pv.some((p) => p < 0)) unsupported(node, 'negative pads (cropping)');
      const onnxPads: [number, number][] = s.map((_, i) => [pv[i] as number, pv[i + r] as number]);
      if (onnxPads[0]?.some((p) => p !== 0)) unsupported(node, 'padding the batch dimension');
      const stored = s.map((_, j) => onnxPads[onnxAxisAt(j, r)] as [number, number]);
      const out = s.map((d, i) => (i === 0 ? d : d + (onnxPads[i]?.[0] as number) + (onnxPads[i]?.[1] as number)));
      if (mode !== 'constant' && mode !== 'reflect') unsupported(node, `pad mode “${mode}” (constant and reflect are supported)`);
      return { shapes: [out], run: ([t]) => [mode === 'reflect' ? reflectPad(t as tf.Tensor, stored) : tf.pad(t as tf.Tensor, stored, value)] };
    }
    case 'Gemm': {
      const s = dynShape();
      if (s.length !== 2) unsupported(node, `input ${showShape(s)} is not 2-D`);
      if (a.int('transA', 0) === 1) unsupported(node, 'transA = 1');
      const B = constInput(node, ins[1], 'B');
      if (!B) unsupported(node, 'B is missing');
      const Cb = constInput(node, ins[2], 'C');
      const alpha = a.float('alpha', 1);
      const beta = a.float('beta', 1);
      let Bm = a.int('transB', 0) === 1 ? transposeHost(B, [1, 0]) : B;
      if (alpha !== 1) Bm = { kind: 'float', dims: Bm.dims, data: floatHost(Bm).map((v) => v * alpha) };
      const bt = keep(ctx, tf.tensor2d(floatHost(Bm), Bm.dims as [number, number]));
      const ct = Cb ? constAt(ctx, { kind: 'float', dims: Cb.dims, data: floatHost(Cb).map((v) => v * beta) }, 2, where) : undefined;
      return { shapes: [[s[0] as number, Bm.dims[1] as number]], run: ([t]) => [ct ? tf.add(tf.matMul(t as tf.Tensor2D, bt as tf.Tensor2D), ct) : tf.matMul(t as tf.Tensor2D, bt as tf.Tensor2D)] };
    }
    case 'MatMul': {
      const s = dynShape();
      const y = ins[1];
      if (!y) unsupported(node, 'B is missing');
      if (y.kind === 'const') {
        if (y.t.dims.length !== 2) unsupported(node, 'a constant B of rank other than 2');
        const [K, M] = y.t.dims as [number, number];
        const bt = keep(ctx, tf.tensor2d(floatHost(y.t), [K, M]));
        const out = [...s.slice(0, -1), M];
        return {
          shapes: [out],
          run: ([t], n) => {
            if (s.length === 2) return [tf.matMul(t as tf.Tensor2D, bt as tf.Tensor2D)];
            const o = tf.reshape(toOnnx(t as tf.Tensor, s, n), [-1, K]);
            return [fromOnnx(tf.reshape(tf.matMul(o as tf.Tensor2D, bt as tf.Tensor2D), rt(out, n)), out, n)];
          },
        };
      }
      const s2 = y.shape;
      if (s.length !== s2.length || s.length < 2) unsupported(node, `operands ${showShape(s)} and ${showShape(s2)}`);
      const out = [...s.slice(0, -1), s2[s2.length - 1] as number];
      return {
        shapes: [out],
        run: ([p, q], n) => {
          const lead = rt(s.slice(0, -2), n);
          const a3 = tf.reshape(toOnnx(p as tf.Tensor, s, n), [-1, s[s.length - 2] as number, s[s.length - 1] as number]) as tf.Tensor3D;
          const b3 = tf.reshape(toOnnx(q as tf.Tensor, s2, n), [-1, s2[s2.length - 2] as number, s2[s2.length - 1] as number]) as tf.Tensor3D;
          const m = tf.matMul(a3, b3);
          return [fromOnnx(tf.reshape(m, [...lead, ...rt(out.slice(-2), n)]), out, n)];
        },
      };
    }
    case 'ReduceMean':
    case 'ReduceSum':
    case 'ReduceMax':
    case 'ReduceMin': {
      const s = dynShape();
      const r = s.length;
      const axesFromInput = node.opType === 'ReduceSum' ? ctx.opset >= 13 : ctx.opset >= 18;
      const axes = reduceAxes(node, a, ins, ctx, r, axesFromInput);
      if (axes.includes(0) && s[0] === BATCH) unsupported(node, 'reducing over the batch dimension');
      const keepDims = a.int('keepdims', 1) === 1;
      const stored = axes.map((ax) => storedAxis(ax, r));
      const out = keepDims ? s.map((d, i) => (axes.includes(i) ? 1 : d)) : s.filter((_, i) => !axes.includes(i));
      // Without keepdims a 4-D input leaves its other axes in stored order; put them in ONNX order.
      let fix: number[] | undefined;
      if (!keepDims && r === 4) {
        const left = [0, 1, 2, 3].map((j) => onnxAxisAt(j, 4)).filter((ax) => !axes.includes(ax));
        const order = left.map((_, i) => i).sort((p, q) => (left[p] as number) - (left[q] as number));
        if (!isIdentityPerm(order)) fix = order;
        if (out.length === 4) fix = undefined;
      }
      const f = { ReduceMean: tf.mean, ReduceSum: tf.sum, ReduceMax: tf.max, ReduceMin: tf.min }[node.opType as 'ReduceMean'];
      return {
        shapes: [out],
        run: ([t]) => {
          if (axes.length === 0) return [t as tf.Tensor];
          const y = f(t as tf.Tensor, stored, keepDims);
          return [fix ? tf.transpose(y, fix) : y];
        },
      };
    }
    case 'Softmax':
    case 'LogSoftmax': {
      const s = dynShape();
      const r = s.length;
      const axis = ((v) => (v < 0 ? v + r : v))(a.int('axis', ctx.opset >= 13 ? -1 : 1));
      const log = node.opType === 'LogSoftmax';
      const sm = (t: tf.Tensor): tf.Tensor => (log ? tf.logSoftmax(t) : tf.softmax(t));
      if (ctx.opset < 13 && axis !== r - 1) {
        // Old semantics: softmax over the flattened axes [axis, r).
        return {
          shapes: [s],
          run: ([t], n) => {
            const o = toOnnx(t as tf.Tensor, s, n);
            const y = tf.reshape(sm(tf.reshape(o, [-1, size(s.slice(axis))])), rt(s, n));
            return [fromOnnx(y, s, n)];
          },
        };
      }
      const ax = storedAxis(axis, r);
      if (ax === r - 1) return { shapes: [s], run: ([t]) => [sm(t as tf.Tensor)] };
      const perm = s.map((_, i) => i);
      perm[ax] = r - 1;
      perm[r - 1] = ax;
      return { shapes: [s], run: ([t]) => [tf.transpose(sm(tf.transpose(t as tf.Tensor, perm)), perm)] };
    }
    case 'LayerNormalization': {
      const s = dynShape();
      const r = s.length;
      if (node.output.slice(1).some((o) => o)) unsupported(node, 'the mean / inverse-std outputs are used');
      const axis = ((v) => (v < 0 ? v + r : v))(a.int('axis', -1));
      const eps = a.float('epsilon', 1e-5);
      const axes = Array.from({ length: r - axis }, (_, i) => storedAxis(axis + i, r));
      const sc = constInput(node, ins[1], 'the scale');
      const bi = constInput(node, ins[2], 'the bias');
      const sct = sc ? constAt(ctx, sc, r, where) : undefined;
      const bit = bi ? constAt(ctx, bi, r, where) : undefined;
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
    }
    default:
      throw new ModelError(
        'unknown-op',
        `The ONNX op ${node.opType}${node.domain ? ` (domain ${node.domain})` : ''} of node “${node.name || node.output[0]}” is not supported. ` +
          `Supported ops: ${SUPPORTED_OPS.join(', ')}.`,
      );
  }
}

/**
 * Builds the plan. `read` resolves external data files. Throws ModelError: 'multiple-inputs',
 * 'not-image-input' (not [N, C, H, W] float, C ∉ {1, 3}, or dynamic H/W), 'unknown-op' (op or attribute
 * we do not translate, naming the node), 'bad-output' (not one [N, K] output), 'missing-weights'.
 */
export function buildPlan(model: ModelProto, read?: ExternalReader): OnnxPlan {
  const graph = model.graph;
  if (!graph) throw new ModelError('not-a-model', 'The ONNX file holds no graph.');
  const opset = defaultOpset(model);
  const values = new Map<string, Value>();
  let paramCount = 0;
  for (const init of graph.initializer) {
    const t = readTensor(init, read);
    if (t.kind === 'float') paramCount += size(t.dims);
    values.set(init.name, { kind: 'const', t });
  }
  const inputs = graph.input.filter((i) => !values.has(i.name));
  if (inputs.length !== 1) {
    throw new ModelError('multiple-inputs', `The ONNX graph has ${inputs.length} inputs (${inputs.map((i) => i.name).join(', ')}); an image classifier has exactly one.`);
  }
  const input = inputs[0] as (typeof inputs)[number];
  const tt = input.type?.tensorType;
  const dims = tt?.shape?.dim ?? [];
  const dimVals = dims.map((d) => (d.dimValue !== null && d.dimValue !== undefined && toNum(d.dimValue) > 0 ? toNum(d.dimValue) : undefined));
  const desc = dims.map((d, i) => (dimVals[i] ?? (d.dimParam || '?'))).join(', ');
  if (!tt || tt.elemType !== 1 || dims.length !== 4) {
    throw new ModelError('not-image-input', `The ONNX input “${input.name}” is ${tt ? `${dataTypeName(tt.elemType)} [${desc}]` : 'untyped'}; an image classifier takes float32 [batch, channels, height, width].`);
  }
  const [, c, h, w] = dimVals;
  if (h === undefined || w === undefined) {
    throw new ModelError('not-image-input', `The ONNX input “${input.name}” [${desc}] has a dynamic height or width; export with a fixed image size (e.g. torch.onnx.export with a 1×3×224×224 example and dynamic_axes only for the batch).`);
  }
  if (c !== 1 && c !== 3) throw new ModelError('not-image-input', `The ONNX input “${input.name}” [${desc}] has ${c ?? 'a dynamic number of'} channels; only 1 (grey) or 3 (colour) are supported.`);
  const ctx: Ctx = { opset, consts: [], declaredBatch: dimVals[0] };
  values.set(input.name, { kind: 'dyn', shape: [BATCH, c, h, w] });

  const steps: Step[] = [];
  try {
    for (const node of graph.node) {
      if (node.domain && node.domain !== 'ai.onnx') {
        throw new ModelError('unknown-op', `The node “${node.name || node.output[0]}” uses the op ${node.opType} of domain “${node.domain}”; only standard ONNX ops are supported.`);
      }
      const ins = node.input.map((name) => (name ? values.get(name) : undefined));
      node.input.forEach((name, i) => {
        if (name && !ins[i]) throw new ModelError('load-failed', `The node “${node.name}” reads “${name}”, which no node or initializer produces (is the graph sorted?).`);
      });
      const allConst = ins.every((v) => v === undefined || v.kind === 'const');
      if (node.opType === 'Shape' || node.opType === 'Size') {
        const v = ins[0];
        const shape = v ? (v.kind === 'dyn' ? v.shape : v.t.dims) : [];
        const a = attrs(node);
        let sh = shape;
        if (node.opType === 'Shape' && (a.has('start') || a.has('end'))) {
          const [b, cnt] = sliceRange(a.int('start', 0), a.int('end', shape.length), shape.length);
          sh = shape.slice(b, b + cnt);
        }
        const t: HostTensor = node.opType === 'Size' ? { kind: 'int', dims: [], data: [size(shape.filter((d) => d !== BATCH))] } : { kind: 'int', dims: [sh.length], data: [...sh] };
        if (node.opType === 'Size' && shape.includes(BATCH)) unsupported(node, 'the size depends on the batch');
        values.set(node.output[0] as string, { kind: 'const', t });
        continue;
      }
      if (allConst && (FOLDABLE.has(node.opType) || node.opType === 'Constant')) {
        const outs = foldNode(node, ins.map((v) => (v?.kind === 'const' ? v.t : undefined)), opset);
        outs.forEach((t, i) => {
          const name = node.output[i];
          if (name) values.set(name, { kind: 'const', t });
        });
        continue;
      }
      const lowered = lowerNode(ctx, node, ins);
      const outputs = node.output.slice(0, lowered.shapes.length);
      lowered.shapes.forEach((shape, i) => {
        const name = outputs[i];
        if (name) values.set(name, { kind: 'dyn', shape });
      });
      const params = node.input.reduce((acc, name, i) => {
        const v = ins[i];
        return acc + (name && v?.kind === 'const' && v.t.kind === 'float' && graph.initializer.some((g) => g.name === name) ? size(v.t.dims) : 0);
      }, 0);
      steps.push({
        name: node.name || (node.output[0] as string),
        op: node.opType,
        inputs: node.input.map((name, i) => (ins[i]?.kind === 'dyn' ? name : undefined)),
        outputs,
        shapes: lowered.shapes,
        params,
        run: lowered.run,
      });
    }
    const outs = graph.output;
    if (outs.length !== 1) throw new ModelError('bad-output', `The ONNX graph has ${outs.length} outputs; a classifier has one output with a score per class.`);
    const outName = (outs[0] as (typeof outs)[number]).name;
    const ov = values.get(outName);
    if (!ov || ov.kind !== 'dyn') throw new ModelError('bad-output', `The ONNX output “${outName}” does not depend on the input image.`);
    if (ov.shape.length !== 2 || ov.shape[0] !== BATCH) {
      throw new ModelError('bad-output', `The ONNX output “${outName}” has shape ${showShape(ov.shape)}; a classifier gives [batch, classes].`);
    }
    return {
      opset,
      producer: `${model.producerName} ${model.producerVersion}`.trim(),
      inputName: input.name,
      inputChw: [c, h, w],
      outputName: outName,
      numClasses: ov.shape[1] as number,
      steps: pruneSteps(steps, outName),
      consts: ctx.consts,
      paramCount,
      opTypes: [...new Set(graph.node.map((n) => n.opType))].sort(),
    };
  } catch (e) {
    tf.dispose(ctx.consts);
    throw e;
  }
}

/** Drops steps whose outputs never reach the graph output. */
function pruneSteps(steps: Step[], outName: string): Step[] {
  const needed = new Set([outName]);
  const keepIdx = new Set<number>();
  for (let i = steps.length - 1; i >= 0; i--) {
    const s = steps[i] as Step;
    if (s.outputs.some((o) => needed.has(o))) {
      keepIdx.add(i);
      for (const inp of s.inputs) if (inp) needed.add(inp);
    }
  }
  return steps.filter((_, i) => keepIdx.has(i));
}

/** Runs steps in order over `env` (name → stored tensor), writing their outputs into it. Synchronous. */
export function runSteps(steps: readonly Step[], env: Map<string, tf.Tensor>, n: number): void {
  for (const s of steps) {
    const ins = s.inputs.map((name) => (name ? env.get(name) : undefined));
    const outs = s.run(ins, n);
    s.outputs.forEach((name, i) => {
      const t = outs[i];
      if (t) env.set(name, t);
    });
  }
}

/** Indices of the steps downstream of value `name` (those that must be recomputed when it changes). */
export function downstreamOf(steps: readonly Step[], name: string): Step[] {
  const dirty = new Set([name]);
  const out: Step[] = [];
  for (const s of steps) {
    if (s.inputs.some((i) => i !== undefined && dirty.has(i))) {
      out.push(s);
      for (const o of s.outputs) dirty.add(o);
    }
  }
  return out;
}

export function disposePlan(plan: OnnxPlan): void {
  tf.dispose(plan.consts);
  plan.consts.length = 0;
}
