/**
 * Convolutions and pooling: Conv (groups, dilation, auto_pad / pads), MaxPool, AveragePool (ceil mode,
 * count_include_pad), GlobalAveragePool, GlobalMaxPool. Weights are converted once: OIHW → HWIO, depthwise
 * → [kh, kw, C, m], dilated kernels → zero-inserted kernels (exact; gradients exist on every backend).
 * Padding is explicit (`tf.pad`) and the ops run 'valid', so every ONNX padding and ceil mode is exact.
 */
import * as tf from '@tensorflow/tfjs';
import { depthwiseConv2dPortable } from '../../layer-graph';
import { transposeHost } from '../fold';
import type { Attrs, HostTensor, NodeProto } from '../proto';
import { dynShape, floatHost, keep, showShape, unsupported, type Ctx, type Lowered, type OpFamily, type Value } from './common';

type Pads2 = [[number, number], [number, number]];

/** Pads [begin, end] per spatial axis from auto_pad / pads (static input size). */
function spatialPads(node: NodeProto, a: Attrs, inHW: [number, number], k: [number, number], s: [number, number], d: [number, number]): Pads2 {
  const auto = a.str('auto_pad', 'NOTSET');
  if (auto === 'SAME_UPPER' || auto === 'SAME_LOWER') {
    return [0, 1].map((i) => {
      const inp = inHW[i] as number;
      const out = Math.ceil(inp / (s[i] as number));
      const total = Math.max(0, (out - 1) * (s[i] as number) + ((k[i] as number) - 1) * (d[i] as number) + 1 - inp);
      const small = Math.floor(total / 2);
      return auto === 'SAME_UPPER' ? [small, total - small] : [total - small, small];
    }) as Pads2;
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

const padSpec = (p: Pads2): [number, number][] => [[0, 0], p[0], p[1], [0, 0]];
const anyPad = (p: Pads2): boolean => p.flat().some((v) => v !== 0);

/** A host OIHW-ordered kernel permuted by `perm` as a plan-owned 4-D tensor. */
function kernel(ctx: Ctx, w: HostTensor, perm: number[]): tf.Tensor4D {
  const f = transposeHost(w, perm);
  return keep(ctx, tf.tensor4d(floatHost(f), f.dims as [number, number, number, number])) as tf.Tensor4D;
}

function lowerConv(ctx: Ctx, node: NodeProto, a: Attrs, ins: (Value | undefined)[]): Lowered {
  const [x, w, b] = ins;
  const xs = dynShape(node, x);
  if (xs.length !== 4) unsupported(node, `only 2-D convolutions are supported (input ${showShape(xs)})`);
  if (w?.kind !== 'const') unsupported(node, 'the weights are not constant');
  if (b && b.kind !== 'const') unsupported(node, 'the bias is not constant');
  const [N, C, H, W] = xs as [number, number, number, number];
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
  let conv: (x4: tf.Tensor4D) => tf.Tensor4D;
  if (g === 1) {
    const ft = kernel(ctx, wd, [2, 3, 1, 0]);
    conv = (x4) => tf.conv2d(x4, ft, s, 'valid');
  } else if (g === C && cg === 1) {
    if (s[0] !== s[1] && (s[0] !== 1 || s[1] !== 1)) unsupported(node, 'depthwise convolution with unequal strides');
    const ft = kernel(ctx, { kind: 'float', dims: [C, M / C, ek[0], ek[1]], data: floatHost(wd) }, [2, 3, 0, 1]);
    conv = (x4) => depthwiseConv2dPortable(x4, ft, s, 'valid');
  } else {
    const mg = M / g;
    const all = floatHost(wd);
    const per = mg * cg * ek[0] * ek[1];
    const fs = Array.from({ length: g }, (_, gi) =>
      kernel(ctx, { kind: 'float', dims: [mg, cg, ek[0], ek[1]], data: all.subarray(gi * per, (gi + 1) * per) }, [2, 3, 1, 0]),
    );
    conv = (x4) => {
      const parts = tf.split(x4, g, 3) as tf.Tensor4D[];
      return tf.concat(parts.map((p, gi) => tf.conv2d(p, fs[gi] as tf.Tensor4D, s, 'valid')), 3) as tf.Tensor4D;
    };
  }
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

function poolGeometry(node: NodeProto, a: Attrs, x: Value | undefined) {
  const shape = dynShape(node, x);
  if (shape.length !== 4) unsupported(node, 'only 2-D pooling of a computed value is supported');
  const [N, C, H, W] = shape as [number, number, number, number];
  const k = pair(a.ints('kernel_shape'), 1);
  const s = pair(a.ints('strides'), 1);
  const d = pair(a.ints('dilations'), 1);
  if (d[0] !== 1 || d[1] !== 1) unsupported(node, 'dilated pooling');
  const pads = spatialPads(node, a, [H, W], k, s, d);
  const ceil = a.int('ceil_mode', 0) === 1;
  const padded = (i: number): number => (i === 0 ? H : W) + pads[i as 0 | 1][0] + pads[i as 0 | 1][1];
  const out = [0, 1].map((i) => {
    const kk = k[i] as number;
    const ss = s[i] as number;
    let o = ceil ? Math.ceil((padded(i) - kk) / ss) + 1 : Math.floor((padded(i) - kk) / ss) + 1;
    if (ceil && (o - 1) * ss >= (i === 0 ? H : W) + pads[i as 0 | 1][0]) o -= 1;
    return o;
  }) as [number, number];
  // Extra padding at the end so that 'valid' pooling yields `out` (ceil mode's overhang).
  const extra = [0, 1].map((i) => Math.max(0, ((out[i] as number) - 1) * (s[i] as number) + (k[i] as number) - padded(i)));
  const full: Pads2 = [
    [pads[0][0], pads[0][1] + (extra[0] as number)],
    [pads[1][0], pads[1][1] + (extra[1] as number)],
  ];
  return { N, C, H, W, k, s, pads, full, out };
}

function lowerMaxPool(_ctx: Ctx, node: NodeProto, a: Attrs, [x]: (Value | undefined)[]): Lowered {
  if (node.output.length > 1 && node.output[1]) unsupported(node, 'the indices output is used');
  const g = poolGeometry(node, a, x);
  return {
    shapes: [[g.N, g.C, g.out[0], g.out[1]]],
    run: ([xi]) => {
      let x4 = xi as tf.Tensor4D;
      if (anyPad(g.full)) x4 = tf.pad(x4, padSpec(g.full), -3.4e38);
      return [tf.maxPool(x4, g.k, g.s, 'valid')];
    },
  };
}

function lowerAvgPool(ctx: Ctx, node: NodeProto, a: Attrs, [x]: (Value | undefined)[]): Lowered {
  const g = poolGeometry(node, a, x);
  const include = a.int('count_include_pad', 0) === 1;
  // avgPool over the zero-padded input divides by kh·kw; rescale each cell to the true divisor.
  const count = (o: number, i: 0 | 1): number => {
    const len = i === 0 ? g.H : g.W;
    const start = o * g.s[i] - g.pads[i][0];
    const end = start + g.k[i];
    const lo = include ? -g.pads[i][0] : 0;
    const hi = include ? len + g.pads[i][1] : len;
    return Math.max(0, Math.min(end, hi) - Math.max(start, lo));
  };
  const kk = g.k[0] * g.k[1];
  const factor = new Float32Array(g.out[0] * g.out[1]);
  for (let i = 0; i < g.out[0]; i++) for (let j = 0; j < g.out[1]; j++) factor[i * g.out[1] + j] = kk / Math.max(1, count(i, 0) * count(j, 1));
  const ft = factor.every((f) => f === 1) ? undefined : keep(ctx, tf.tensor4d(factor, [1, g.out[0], g.out[1], 1]));
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

function lowerGlobalPool(_ctx: Ctx, node: NodeProto, _a: Attrs, [x]: (Value | undefined)[]): Lowered {
  const s = dynShape(node, x);
  if (s.length !== 4) unsupported(node, `input ${showShape(s)} is not 4-D`);
  const max = node.opType === 'GlobalMaxPool';
  return { shapes: [[s[0] as number, s[1] as number, 1, 1]], run: ([t]) => [max ? tf.max(t as tf.Tensor, [1, 2], true) : tf.mean(t as tf.Tensor, [1, 2], true)] };
}

export const CONV_POOL_OPS: OpFamily = {
  Conv: lowerConv,
  MaxPool: lowerMaxPool,
  AveragePool: lowerAvgPool,
  GlobalAveragePool: lowerGlobalPool,
  GlobalMaxPool: lowerGlobalPool,
};
