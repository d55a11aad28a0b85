/**
 * Spatial resampling: Pad (pads / value attributes before opset 11, inputs from 11, the `axes` input of
 * opset 18; constant and reflect modes) and Resize (opsets 10–18: scales or sizes; nearest with every
 * `nearest_mode`, linear; every `coordinate_transformation_mode` but tf_crop_and_resize).
 *
 * Resize runs as two matrix products with host-built interpolation matrices (one per spatial axis):
 * exact for nearest and linear, and its gradient exists on every backend (tfjs' resize kernels have no
 * gradient on WASM). Reflect padding is slices + reverses (tf.mirrorPad's gradient drops the reflections).
 */
import * as tf from '@tensorflow/tfjs';
import { values } from '../fold';
import { onnxAxisAt } from '../layout';
import type { Attrs, NodeProto } from '../proto';
import { axisOf, constInput, dynShape, keep, listArg, showShape, unsupported, type Ctx, type OpConverter, type OpFamily } from './common';

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
    y = tf.concat([...(before > 0 ? [part(1, before)] : []), y, ...(after > 0 ? [part(len - 1 - after, after)] : [])], axis);
  });
  return y;
}

const lowerPad: OpConverter = (ctx, node, a, ins) => {
  const s = dynShape(node, ins[0]);
  const r = s.length;
  const mode = a.str('mode', 'constant');
  if (mode !== 'constant' && mode !== 'reflect') unsupported(node, `pad mode “${mode}” (constant and reflect are supported)`);
  const given = listArg(ctx, node, a, ins, 'pads', 1, 11) ?? unsupported(node, 'no pads');
  const cv = ctx.opset >= 11 ? constInput(node, ins[2], 'the constant value') : undefined;
  const value = cv ? (cv.data[0] as number) : a.float('value', 0);
  // Opset 18: pads name only the axes of the optional `axes` input (begins for each, then ends).
  const axesIn = ctx.opset >= 18 ? constInput(node, ins[3], 'the axes') : undefined;
  const axes = axesIn ? values(axesIn).map((v) => axisOf(v, r)) : s.map((_, i) => i);
  if (given.length !== 2 * axes.length) unsupported(node, `${given.length} pads for ${axes.length} axes`);
  if (given.some((p) => p < 0)) unsupported(node, 'negative pads (cropping)');
  const onnxPads: [number, number][] = s.map(() => [0, 0]);
  axes.forEach((ax, i) => (onnxPads[ax] = [given[i] as number, given[i + axes.length] as number]));
  if (onnxPads[0]?.some((p) => p !== 0)) unsupported(node, 'padding the batch dimension');
  const stored = s.map((_, j) => onnxPads[onnxAxisAt(j, r)] as [number, number]);
  const out = s.map((d, i) => (i === 0 ? d : d + (onnxPads[i]?.[0] as number) + (onnxPads[i]?.[1] as number)));
  return { shapes: [out], run: ([t]) => [mode === 'reflect' ? reflectPad(t as tf.Tensor, stored) : tf.pad(t as tf.Tensor, stored, value)] };
};

/** The source coordinate of output index `x` (ONNX coordinate_transformation_mode). */
function sourceCoord(mode: string, x: number, scale: number, inLen: number, outLen: number): number {
  switch (mode) {
    case 'half_pixel':
      return (x + 0.5) / scale - 0.5;
    case 'pytorch_half_pixel':
      return outLen > 1 ? (x + 0.5) / scale - 0.5 : 0;
    case 'align_corners':
      return outLen === 1 ? 0 : (x * (inLen - 1)) / (outLen - 1);
    case 'asymmetric':
      return x / scale;
    case 'tf_half_pixel_for_nn':
      return (x + 0.5) / scale;
    case 'half_pixel_symmetric': {
      const adj = outLen / (scale * inLen);
      return (inLen / 2) * (1 - adj) + (x + 0.5) / scale - 0.5;
    }
    default:
      throw new Error(mode);
  }
}

function nearestIndex(mode: string, v: number): number {
  switch (mode) {
    case 'floor':
      return Math.floor(v);
    case 'ceil':
      return Math.ceil(v);
    case 'round_prefer_ceil':
      return Math.round(v);
    default: // round_prefer_floor
      return v - Math.floor(v) === 0.5 ? Math.floor(v) : Math.round(v);
  }
}

/**
 * The [outLen, inLen] matrix M with out = M · in along one axis (row-stochastic).
 * @param kind 'nearest' (one 1 per row) or 'linear' (two weights per row, the source coordinate clamped to [0, inLen − 1]).
 */
export function resizeMatrix(kind: 'nearest' | 'linear', coordMode: string, nearestMode: string, inLen: number, outLen: number, scale: number): Float32Array {
  const m = new Float32Array(outLen * inLen);
  for (let o = 0; o < outLen; o++) {
    const src = sourceCoord(coordMode, o, scale, inLen, outLen);
    if (kind === 'nearest') {
      m[o * inLen + Math.min(inLen - 1, Math.max(0, nearestIndex(nearestMode, src)))] = 1;
      continue;
    }
    const c = Math.min(inLen - 1, Math.max(0, src));
    const i0 = Math.floor(c);
    const i1 = Math.min(i0 + 1, inLen - 1);
    const w1 = c - i0;
    m[o * inLen + i0] = 1 - w1;
    m[o * inLen + i1] = (m[o * inLen + i1] as number) + w1;
  }
  return m;
}

/** out = M · x along stored axis `axis` (1 = H, 2 = W) of a stored [n, h, w, c] tensor. */
function alongAxis(x: tf.Tensor, m: tf.Tensor2D, axis: 1 | 2): tf.Tensor {
  const perm = axis === 1 ? [1, 0, 2, 3] : [2, 0, 1, 3];
  const moved = tf.transpose(x, perm);
  const [len, ...rest] = moved.shape as number[];
  const y = tf.matMul(m, tf.reshape(moved, [len as number, -1]) as tf.Tensor2D);
  const back = tf.reshape(y, [m.shape[0], ...rest]);
  return tf.transpose(back, axis === 1 ? [1, 0, 2, 3] : [1, 2, 0, 3]);
}

const COORD_MODES = new Set(['half_pixel', 'pytorch_half_pixel', 'align_corners', 'asymmetric', 'tf_half_pixel_for_nn', 'half_pixel_symmetric']);

function resizeSpec(ctx: Ctx, node: NodeProto, a: Attrs, s: number[], scalesIn: number[] | undefined, sizesIn: number[] | undefined) {
  let scales = scalesIn && scalesIn.length > 0 ? scalesIn : undefined;
  let sizes = sizesIn && sizesIn.length > 0 ? sizesIn : undefined;
  const axes = ctx.opset >= 18 ? a.ints('axes') : undefined;
  if (axes) {
    // Opset 18: scales / sizes name only `axes`; the others keep scale 1.
    const full = (given: number[] | undefined, fill: (i: number) => number) => {
      if (!given) return undefined;
      const out = s.map((_, i) => fill(i));
      axes.forEach((ax, k) => (out[axisOf(ax, 4)] = given[k] as number));
      return out;
    };
    scales = full(scales, () => 1);
    sizes = full(sizes, (i) => s[i] as number);
  }
  if (sizes && a.str('keep_aspect_ratio_policy', 'stretch') !== 'stretch') unsupported(node, 'keep_aspect_ratio_policy other than stretch');
  if (!scales && !sizes) unsupported(node, 'neither scales nor sizes is given');
  // The batch stays symbolic (a static-batch export bakes its size into `sizes`).
  const out = (sizes ?? s.map((d, i) => Math.floor(d * (scales![i] as number)))).map((d, i) => (i === 0 ? (s[0] as number) : d));
  const sc = scales ?? s.map((d, i) => (i === 0 ? 1 : (out[i] as number) / d));
  if (out.length !== 4 || out[1] !== s[1] || sc[1] !== 1 || (scales !== undefined && sc[0] !== 1)) unsupported(node, `only the height and width can be resized (input ${showShape(s)})`);
  return { out, sc };
}

const lowerResize: OpConverter = (ctx, node, a, ins) => {
  const s = dynShape(node, ins[0]);
  if (s.length !== 4) unsupported(node, `only 4-D images can be resized (input ${showShape(s)})`);
  const mode = a.str('mode', 'nearest');
  if (mode !== 'nearest' && mode !== 'linear') unsupported(node, `mode “${mode}” (nearest and linear are supported)`);
  const coord = ctx.opset >= 11 ? a.str('coordinate_transformation_mode', 'half_pixel') : 'asymmetric';
  if (!COORD_MODES.has(coord)) unsupported(node, `coordinate_transformation_mode “${coord}”`);
  const nearest = ctx.opset >= 11 ? a.str('nearest_mode', 'round_prefer_floor') : 'floor';
  const listOf = (i: number, what: string) => {
    const t = constInput(node, ins[i], what);
    return t ? values(t) : undefined;
  };
  const scalesIn = listOf(ctx.opset >= 11 ? 2 : 1, 'the scales');
  const sizesIn = ctx.opset >= 11 ? listOf(3, 'the sizes') : undefined;
  const { out, sc } = resizeSpec(ctx, node, a, s, scalesIn, sizesIn);
  const [, , oh, ow] = out as [number, number, number, number];
  const [, , h, w] = s as [number, number, number, number];
  if (ctx.opset >= 18 && a.int('antialias', 0) === 1 && mode === 'linear' && (oh < h || ow < w)) unsupported(node, 'antialiased downsampling');
  const mat = (inLen: number, outLen: number, scale: number) =>
    inLen === outLen && scale === 1 ? undefined : (keep(ctx, tf.tensor2d(resizeMatrix(mode, coord, nearest, inLen, outLen, scale), [outLen, inLen])) as tf.Tensor2D);
  const mh = mat(h, oh, sc[2] as number);
  const mw = mat(w, ow, sc[3] as number);
  return {
    shapes: [out],
    run: ([t]) => {
      let y = t as tf.Tensor;
      if (mh) y = alongAxis(y, mh, 1);
      if (mw) y = alongAxis(y, mw, 2);
      return [y];
    },
  };
};

export const PAD_RESIZE_OPS: OpFamily = { Pad: lowerPad, Resize: lowerResize };
