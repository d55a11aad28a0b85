/**
 * What every op converter shares: the converter contract (`OpConverter`, `Lowered`), the build context, and
 * small helpers for the NHWC storage of 4-D values (layout.ts), constants, axes and errors.
 *
 * Shapes: a value's ONNX shape has the batch as `BATCH` (fold.ts); `rt(shape, n)` puts the run-time batch
 * size in. A stored 4-D tensor is [n, h, w, c]; other ranks are stored in ONNX order.
 */
import * as tf from '@tensorflow/tfjs';
import { ModelError } from '../../types';
import { BATCH, transposeHost, values } from '../fold';
import { layoutsAgree, ONNX_TO_STORED, STORED_TO_ONNX, storedDims } from '../layout';
import type { Attrs, HostTensor, NodeProto } from '../proto';

/** A value of the graph: a host constant, or a tensor computed at run time with a static ONNX shape. */
export type Value = { kind: 'const'; t: HostTensor } | { kind: 'dyn'; shape: number[] };

/** A translated node: its output ONNX shapes and the synchronous tfjs code that computes them. */
export interface Lowered {
  shapes: number[][];
  run: (ins: (tf.Tensor | undefined)[], n: number) => tf.Tensor[];
}

/** Build-time context: the default-domain opset, the constant tensors created (owned by the plan). */
export interface Ctx {
  opset: number;
  consts: tf.Tensor[];
  /** The batch size the input declares when it is static (undefined for a symbolic batch). */
  declaredBatch: number | undefined;
}

/** Translates one node of op `node.opType` whose inputs are not all constant. Throws ModelError('unknown-op'). */
export type OpConverter = (ctx: Ctx, node: NodeProto, a: Attrs, ins: (Value | undefined)[]) => Lowered;

/** One family of op converters (a file of ops/): op type → converter. */
export type OpFamily = Readonly<Record<string, OpConverter>>;

export const rt = (shape: readonly number[], n: number): number[] => shape.map((d) => (d === BATCH ? n : d));
export const showShape = (s: readonly number[]): string => `[${s.map((d) => (d === BATCH ? 'N' : String(d))).join(', ')}]`;
/** A possibly negative axis in [-r, r) → [0, r). */
export const axisOf = (v: number, r: number): number => (v < 0 ? v + r : v);

/** Stored tensor → ONNX order. */
export function toOnnx(t: tf.Tensor, shape: readonly number[], n: number): tf.Tensor {
  if (shape.length !== 4) return t;
  return layoutsAgree(shape) ? tf.reshape(t, rt(shape, n)) : tf.transpose(t, [...STORED_TO_ONNX]);
}

/** ONNX-order tensor → stored. */
export function fromOnnx(t: tf.Tensor, shape: readonly number[], n: number): tf.Tensor {
  if (shape.length !== 4) return t;
  return layoutsAgree(shape) ? tf.reshape(t, storedDims(rt(shape, n))) : tf.transpose(t, [...ONNX_TO_STORED]);
}

/** A reshape in ONNX order from shape `s` to `out` (both ONNX shapes), stored in and out. */
export function reshapeStored(t: tf.Tensor, s: readonly number[], out: readonly number[], n: number): tf.Tensor {
  return fromOnnx(tf.reshape(toOnnx(t, s, n), rt(out, n)), out, n);
}

export function unsupported(node: NodeProto, why: string): never {
  throw new ModelError('unknown-op', `The ONNX node “${node.name || node.output[0]}” (${node.opType}) cannot be translated: ${why}.`);
}

/** `op “name”`, for messages. */
export const where = (node: NodeProto): string => `${node.opType} “${node.name || node.output[0]}”`;

/** The shape of a computed input; refuses a constant or missing one. */
export function dynShape(node: NodeProto, x: Value | undefined): number[] {
  if (x?.kind !== 'dyn') unsupported(node, 'the input is not computed from the image');
  return x.shape;
}

/**
 * Records a tensor the plan owns. A float tensor of more than one value is kept as a (non-trainable)
 * `tf.Variable` holding the same data: the steps' closures read it, and `assign` can re-draw it in place —
 * the sanity check's cascading randomisation of a loaded copy (convert.ts `weightsTopDown`). Ops and
 * gradients treat a variable as the tensor it holds; only the input is ever differentiated.
 */
export function keep(ctx: Ctx, t: tf.Tensor): tf.Tensor {
  if (t.dtype === 'float32' && t.size > 1) {
    const v = tf.variable(t, false);
    t.dispose();
    ctx.consts.push(v);
    return v;
  }
  ctx.consts.push(t);
  return t;
}

export function floatHost(t: HostTensor): Float32Array {
  return t.kind === 'float' ? t.data : Float32Array.from(t.data);
}

/** A host constant as a stored tf tensor at `rank` (numpy broadcast: leading 1s prepended); owned by the plan. */
export function constAt(ctx: Ctx, t: HostTensor, rank: number, at: string): tf.Tensor {
  if (t.dims.length > rank) throw new ModelError('load-failed', `${at}: a constant of rank ${t.dims.length} meets a value of rank ${rank}.`);
  let h: HostTensor = { ...t, dims: [...new Array<number>(rank - t.dims.length).fill(1), ...t.dims] } as HostTensor;
  if (rank === 4) h = transposeHost(h, ONNX_TO_STORED);
  return keep(ctx, tf.tensor(floatHost(h), h.dims, 'float32'));
}

/** A constant input (undefined when omitted); refuses one computed at run time. */
export function constInput(node: NodeProto, v: Value | undefined, what: string): HostTensor | undefined {
  if (!v) return undefined;
  if (v.kind !== 'const') unsupported(node, `${what} is computed at run time (only constants are supported)`);
  return v.t;
}

/**
 * An integer list that moved from an attribute to an input in some opset (`axes` of Squeeze / Unsqueeze /
 * ReduceSum at 13 and the other Reduce* at 18, `split` of Split at 13, `pads` of Pad at 11): read from input
 * `index` from opset `since` on, else from attribute `name`. Undefined when neither is given.
 */
export function listArg(ctx: Ctx, node: NodeProto, a: Attrs, ins: (Value | undefined)[], name: string, index: number, since: number): number[] | undefined {
  if (ctx.opset >= since) {
    const t = constInput(node, ins[index], `the ${name}`);
    return t ? values(t) : undefined;
  }
  return a.ints(name);
}

/** A node with one computed input whose output has the input's shape: y = f(x). */
export function unary(node: NodeProto, x: Value | undefined, f: (t: tf.Tensor) => tf.Tensor): Lowered {
  return { shapes: [dynShape(node, x)], run: ([t]) => [f(t as tf.Tensor)] };
}
