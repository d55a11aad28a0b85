/**
 * Shape ops on computed values: Flatten, Reshape (0 / -1, static-batch exports), Squeeze / Unsqueeze
 * (axes attribute before opset 13, input from 13), Transpose (composed with the storage permutation),
 * Concat, Split (split attribute before 13, input from 13, `num_outputs` at 18), Slice (constant starts /
 * ends / axes, step 1), Gather (constant indices, as slices: WASM has no gather gradient). The batch
 * dimension is never mixed with the others.
 */
import * as tf from '@tensorflow/tfjs';
import { BATCH, size, sliceRange, values } from '../fold';
import { composePerm, isIdentityPerm, ONNX_TO_STORED, STORED_TO_ONNX, storedAxis, storedDims } from '../layout';
import {
  axisOf,
  constInput,
  dynShape,
  listArg,
  reshapeStored,
  rt,
  showShape,
  toOnnx,
  fromOnnx,
  unsupported,
  type Lowered,
  type OpConverter,
  type OpFamily,
  type Value,
} from './common';

/** A node whose output is its input reshaped (in ONNX order) to `out`. */
const reshaped = (out: number[], s: number[]): Lowered => ({ shapes: [out], run: ([t], n) => [reshapeStored(t as tf.Tensor, s, out, n)] });

const lowerFlatten: OpConverter = (_ctx, node, a, [x]) => {
  const s = dynShape(node, x);
  const axis = axisOf(a.int('axis', 1), s.length);
  if (axis === 0 || (axis > 1 && s[0] === BATCH)) unsupported(node, `flattening across the batch dimension (axis ${axis})`);
  const out = [s.slice(0, axis).reduce((p, q) => (q === BATCH ? BATCH : p * q), 1), size(s.slice(axis))];
  return { shapes: [out], run: ([t], n) => [tf.reshape(toOnnx(t as tf.Tensor, s, n), rt(out, n))] };
};

const lowerReshape: OpConverter = (ctx, node, a, ins) => {
  const s = dynShape(node, ins[0]);
  const target = constInput(node, ins[1], 'the target shape');
  if (!target) unsupported(node, 'the target shape is missing');
  const allowzero = a.int('allowzero', 0) === 1;
  let dims = values(target).map((d, i) => (d === 0 && !allowzero ? (s[i] as number) : d));
  const batched = s[0] === BATCH;
  // Static-batch exports bake the batch size into the target: keep position 0 as the batch.
  if (batched && !dims.includes(BATCH) && ctx.declaredBatch !== undefined && dims[0] === ctx.declaredBatch) dims = [BATCH, ...dims.slice(1)];
  const perSample = size(s.filter((d) => d !== BATCH));
  const mixes = `reshaping ${showShape(s)} to ${JSON.stringify(values(target))} mixes the batch dimension with the others`;
  if (batched && !dims.includes(BATCH)) {
    // A -1 that absorbs the batch: only when it is at position 0.
    if (dims[0] === -1) dims = [BATCH, ...dims.slice(1)];
    else unsupported(node, mixes);
  }
  const known = size(dims.filter((d) => d !== -1 && d !== BATCH));
  dims = dims.map((d) => (d === -1 ? perSample / known : d));
  if (size(dims.filter((d) => d !== BATCH)) !== perSample) {
    unsupported(node, batched ? mixes : `reshaping ${showShape(s)} to ${JSON.stringify(values(target))} changes the number of values`);
  }
  return reshaped(dims, s);
};

const lowerSqueeze: OpConverter = (ctx, node, a, ins) => {
  const s = dynShape(node, ins[0]);
  const axes = listArg(ctx, node, a, ins, 'axes', 1, 13);
  if (node.opType === 'Unsqueeze') {
    if (!axes) unsupported(node, 'no axes');
    const r = s.length + axes.length;
    const set = new Set(axes.map((v) => axisOf(v, r)));
    let j = 0;
    return reshaped(
      Array.from({ length: r }, (_, i) => (set.has(i) ? 1 : (s[j++] as number))),
      s,
    );
  }
  const set = axes ? new Set(axes.map((v) => axisOf(v, s.length))) : new Set(s.flatMap((d, i) => (d === 1 ? [i] : [])));
  if ([...set].some((i) => s[i] !== 1)) unsupported(node, `squeezing axes ${[...set].join(', ')} of ${showShape(s)}, which are not 1`);
  return reshaped(
    s.filter((_, i) => !set.has(i)),
    s,
  );
};

const lowerTranspose: OpConverter = (_ctx, node, a, [x]) => {
  const s = dynShape(node, x);
  const r = s.length;
  const perm = a.ints('perm') ?? s.map((_, i) => r - 1 - i);
  const out = perm.map((p) => s[p] as number);
  const inPerm = r === 4 ? [...STORED_TO_ONNX] : s.map((_, i) => i);
  const outPerm = r === 4 ? [...ONNX_TO_STORED] : s.map((_, i) => i);
  const full = composePerm(composePerm(inPerm, perm), outPerm);
  return { shapes: [out], run: ([t], n) => [isIdentityPerm(full) ? tf.reshape(t as tf.Tensor, storedDims(rt(out, n))) : tf.transpose(t as tf.Tensor, full)] };
};

const lowerConcat: OpConverter = (_ctx, node, a, ins) => {
  const vs = ins.filter((v): v is Value => v !== undefined);
  const first = vs.find((v) => v.kind === 'dyn') as { kind: 'dyn'; shape: number[] } | undefined;
  if (!first) unsupported(node, 'no computed input');
  const r = first.shape.length;
  const axis = axisOf(a.int('axis', 0), r);
  if (axis === 0) unsupported(node, 'concatenation along the batch dimension');
  if (vs.some((v) => v.kind === 'const')) unsupported(node, 'concatenating a constant with a batched value');
  const out = [...first.shape];
  out[axis] = vs.reduce((acc, v) => acc + ((v as { shape: number[] }).shape[axis] as number), 0);
  const ax = storedAxis(axis, r);
  const idx = ins.map((v, i) => (v ? i : -1)).filter((i) => i >= 0);
  return { shapes: [out], run: (ts) => [tf.concat(idx.map((i) => ts[i] as tf.Tensor), ax)] };
};

const lowerSplit: OpConverter = (ctx, node, a, ins) => {
  const s = dynShape(node, ins[0]);
  const r = s.length;
  const axis = axisOf(a.int('axis', 0), r);
  if (axis === 0) unsupported(node, 'splitting the batch dimension');
  const len = s[axis] as number;
  let sizes = listArg(ctx, node, a, ins, 'split', 1, 13);
  if (!sizes || sizes.length === 0) {
    // Equal parts; opset 18 names their number (num_outputs), the last part may be smaller.
    const k = ctx.opset >= 18 ? a.int('num_outputs', node.output.length) : node.output.length;
    const each = Math.ceil(len / k);
    sizes = Array.from({ length: k }, (_, i) => Math.min(each, len - i * each));
  }
  if (sizes.reduce((p, q) => p + q, 0) !== len || sizes.some((v) => v <= 0)) unsupported(node, `split sizes ${JSON.stringify(sizes)} of an axis of ${len}`);
  const ax = storedAxis(axis, r);
  const parts = sizes;
  return { shapes: parts.map((p) => s.map((d, i) => (i === axis ? p : d))), run: ([t]) => tf.split(t as tf.Tensor, parts, ax) };
};

const lowerSlice: OpConverter = (ctx, node, a, ins) => {
  const s = dynShape(node, ins[0]);
  const r = s.length;
  const fromInputs = ctx.opset >= 10;
  const starts = fromInputs ? values(constInput(node, ins[1], 'starts') ?? unsupported(node, 'no starts')) : (a.ints('starts') ?? []);
  const ends = fromInputs ? values(constInput(node, ins[2], 'ends') ?? unsupported(node, 'no ends')) : (a.ints('ends') ?? []);
  const axesIn = fromInputs ? constInput(node, ins[3], 'axes') : undefined;
  const axes = (axesIn ? values(axesIn) : (a.ints('axes') ?? starts.map((_, i) => i))).map((v) => axisOf(v, r));
  const stepsIn = fromInputs ? constInput(node, ins[4], 'steps') : undefined;
  if (stepsIn && values(stepsIn).some((v) => v !== 1)) unsupported(node, 'slices with a step other than 1');
  const begin = s.map(() => 0);
  const count = s.map((d) => d);
  axes.forEach((ax, i) => {
    if (ax === 0 && s[0] === BATCH) {
      if (!((starts[i] as number) === 0 && (ends[i] as number) >= 2 ** 31 - 1)) unsupported(node, 'slicing the batch dimension');
      return;
    }
    [begin[ax], count[ax]] = sliceRange(starts[i] as number, ends[i] as number, s[ax] as number);
  });
  const sb = storedDims(begin);
  const sc = storedDims(count);
  return { shapes: [count], run: ([t], n) => [tf.slice(t as tf.Tensor, sb, rt(sc, n).map((d, i) => (i === 0 && s[0] === BATCH ? -1 : d)))] };
};

const lowerGather: OpConverter = (_ctx, node, a, ins) => {
  const s = dynShape(node, ins[0]);
  const axis = axisOf(a.int('axis', 0), s.length);
  const idx = constInput(node, ins[1], 'the indices');
  if (!idx || idx.dims.length > 1) unsupported(node, 'only constant scalar or 1-D indices are supported');
  if (axis === 0) unsupported(node, 'gathering along the batch dimension');
  const len = s[axis] as number;
  const iv = values(idx).map((v) => axisOf(v, len));
  const out = idx.dims.length === 0 ? s.filter((_, i) => i !== axis) : s.map((d, i) => (i === axis ? iv.length : d));
  return {
    shapes: [out],
    run: ([t], n) => {
      const o = toOnnx(t as tf.Tensor, s, n);
      const pieces = iv.map((i) => {
        const b = s.map(() => 0);
        b[axis] = i;
        return tf.slice(o, b, rt(s, n).map((d, k) => (k === axis ? 1 : d)));
      });
      const cat = pieces.length === 1 ? (pieces[0] as tf.Tensor) : tf.concat(pieces, axis);
      return [fromOnnx(tf.reshape(cat, rt(out, n)), out, n)];
    },
  };
};

export const SHAPE_OPS: OpFamily = {
  Flatten: lowerFlatten,
  Reshape: lowerReshape,
  Squeeze: lowerSqueeze,
  Unsqueeze: lowerSqueeze,
  Transpose: lowerTranspose,
  Concat: lowerConcat,
  Split: lowerSplit,
  Slice: lowerSlice,
  Gather: lowerGather,
};
