/**
 * Load-time constant folding on the host (plain arrays, no TensorFlow.js): the shape subgraphs that
 * `torch.onnx.export` writes before a flatten or a channel shuffle (Shape → Gather → Unsqueeze → Concat →
 * Reshape), constant arithmetic, casts. Every value is a `HostTensor` in ONNX layout.
 *
 * The batch size is symbolic: `Shape` of a batched value yields {@link BATCH} in position 0, which flows
 * through Gather/Unsqueeze/Concat/Slice unchanged and is replaced by the real batch size when a Reshape
 * runs. Arithmetic on it (batch·k) is refused with a clear message rather than computed wrong.
 */
import { ModelError } from '../types';
import { attrs, readTensor, type HostTensor, type NodeProto } from './proto';

/** Sentinel for the symbolic batch dimension in shapes and shape values. */
export const BATCH = -(2 ** 40);

export const size = (dims: readonly number[]): number => dims.reduce((a, b) => a * b, 1);

export function stridesOf(dims: readonly number[]): number[] {
  const s = new Array<number>(dims.length).fill(1);
  for (let i = dims.length - 2; i >= 0; i--) s[i] = (s[i + 1] as number) * (dims[i + 1] as number);
  return s;
}

function make(kind: 'float' | 'int', dims: number[], data: ArrayLike<number>): HostTensor {
  return kind === 'float' ? { kind, dims, data: Float32Array.from(data) } : { kind, dims, data: Array.from(data) };
}

/** Values of a host tensor as plain numbers. */
export const values = (t: HostTensor): number[] => Array.from(t.data);

/** Broadcast shape of two ONNX shapes (numpy rules). */
export function broadcastShape(a: readonly number[], b: readonly number[], where: string): number[] {
  const r = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < r; i++) {
    const x = a[a.length - r + i] ?? 1;
    const y = b[b.length - r + i] ?? 1;
    if (x === y || y === 1) out.push(x);
    else if (x === 1) out.push(y);
    else throw new ModelError('load-failed', `${where}: shapes [${a.join(', ')}] and [${b.join(', ')}] do not broadcast.`);
  }
  return out;
}

/** Element-wise binary op with broadcasting on host tensors. */
function binary(a: HostTensor, b: HostTensor, f: (x: number, y: number) => number, where: string, kind?: 'float' | 'int'): HostTensor {
  const dims = broadcastShape(a.dims, b.dims, where);
  const r = dims.length;
  const n = size(dims);
  const sa = stridesOf(a.dims);
  const sb = stridesOf(b.dims);
  const out = new Array<number>(n);
  const idx = new Array<number>(r).fill(0);
  for (let i = 0; i < n; i++) {
    let ia = 0;
    let ib = 0;
    for (let k = 0; k < r; k++) {
      const ka = k - (r - a.dims.length);
      const kb = k - (r - b.dims.length);
      if (ka >= 0 && a.dims[ka] !== 1) ia += (idx[k] as number) * (sa[ka] as number);
      if (kb >= 0 && b.dims[kb] !== 1) ib += (idx[k] as number) * (sb[kb] as number);
    }
    out[i] = f(a.data[ia] as number, b.data[ib] as number);
    for (let k = r - 1; k >= 0; k--) {
      idx[k] = (idx[k] as number) + 1;
      if ((idx[k] as number) < (dims[k] as number)) break;
      idx[k] = 0;
    }
  }
  return make(kind ?? (a.kind === 'float' || b.kind === 'float' ? 'float' : 'int'), dims, out);
}

/** Generic N-D transpose of a host tensor. */
export function transposeHost(t: HostTensor, perm: readonly number[]): HostTensor {
  const dims = perm.map((p) => t.dims[p] as number);
  if (perm.length === 4 && t.kind === 'float') return transpose4(t.data, t.dims, perm, dims);
  const st = stridesOf(t.dims);
  const n = size(dims);
  const out = new Array<number>(n);
  const idx = new Array<number>(dims.length).fill(0);
  for (let i = 0; i < n; i++) {
    let src = 0;
    for (let k = 0; k < dims.length; k++) src += (idx[k] as number) * (st[perm[k] as number] as number);
    out[i] = t.data[src] as number;
    for (let k = dims.length - 1; k >= 0; k--) {
      idx[k] = (idx[k] as number) + 1;
      if ((idx[k] as number) < (dims[k] as number)) break;
      idx[k] = 0;
    }
  }
  return make(t.kind, dims, out);
}

/** Fast path for rank-4 float transposes (weights at load time). */
function transpose4(src: Float32Array, inDims: readonly number[], perm: readonly number[], dims: number[]): HostTensor {
  const st = stridesOf(inDims);
  const [d0, d1, d2, d3] = dims as [number, number, number, number];
  const [s0, s1, s2, s3] = perm.map((p) => st[p] as number) as [number, number, number, number];
  const out = new Float32Array(d0 * d1 * d2 * d3);
  let o = 0;
  for (let a = 0; a < d0; a++) {
    for (let b = 0; b < d1; b++) {
      for (let c = 0; c < d2; c++) {
        let base = a * s0 + b * s1 + c * s2;
        for (let d = 0; d < d3; d++, base += s3) out[o++] = src[base] as number;
      }
    }
  }
  return { kind: 'float', dims, data: out };
}

const normAxis = (a: number, r: number): number => (a < 0 ? a + r : a);

function noBatch(where: string, ...xs: number[]): void {
  if (xs.some((x) => x === BATCH)) {
    throw new ModelError('unknown-op', `${where} computes with the batch size; export the model with a fixed batch size (or without dynamic_axes) and try again.`);
  }
}

/** Resolves a Slice's (start, end, step) on an axis of length `len` to [begin, count] (step 1 only). */
export function sliceRange(start: number, end: number, len: number): [number, number] {
  const clamp = (v: number, lo: number, hi: number): number => Math.min(Math.max(v, lo), hi);
  const s = clamp(start < 0 ? start + len : start, 0, len);
  const e = clamp(end < 0 ? end + len : end, 0, len);
  return [s, Math.max(0, e - s)];
}

/** Ops this module folds when every input is constant. */
export const FOLDABLE = new Set([
  'Identity', 'Cast', 'Gather', 'Unsqueeze', 'Squeeze', 'Concat', 'Slice', 'Reshape', 'Flatten', 'Transpose',
  'Add', 'Sub', 'Mul', 'Div', 'Pow', 'Neg', 'Sqrt', 'Reciprocal', 'ConstantOfShape', 'Range', 'Constant', 'Floor', 'Ceil',
  'Equal', 'Where', 'Expand', 'Max', 'Min', 'Abs', 'Sign',
]);

/**
 * Evaluates `node` whose inputs are all constants (`ins[i]` undefined for an omitted optional input).
 * Returns its outputs. Throws ModelError when the op cannot be folded here.
 */
export function foldNode(node: NodeProto, ins: (HostTensor | undefined)[], opset: number): HostTensor[] {
  const a = attrs(node);
  const where = `${node.opType} node “${node.name || node.output[0]}”`;
  const in0 = ins[0];
  const need = (i: number): HostTensor => {
    const t = ins[i];
    if (!t) throw new ModelError('load-failed', `${where}: input ${i} is missing.`);
    return t;
  };
  switch (node.opType) {
    case 'Constant': {
      const t = a.tensor('value');
      if (t) return [readTensor(t)];
      if (a.has('value_float')) return [make('float', [], [a.float('value_float', 0)])];
      if (a.has('value_floats')) return [make('float', [a.floats('value_floats')?.length ?? 0], a.floats('value_floats') ?? [])];
      if (a.has('value_int')) return [make('int', [], [a.int('value_int', 0)])];
      if (a.has('value_ints')) return [make('int', [a.ints('value_ints')?.length ?? 0], a.ints('value_ints') ?? [])];
      throw new ModelError('unknown-op', `${where}: only tensor, float(s) and int(s) constants are supported.`);
    }
    case 'Identity':
      return [need(0)];
    case 'Cast': {
      const to = a.int('to', 1);
      const t = need(0);
      const float = to === 1 || to === 10 || to === 11;
      if (!float) noBatch(where, ...values(t).filter((v) => v === BATCH && t.kind === 'float'));
      return [make(float ? 'float' : 'int', [...t.dims], float ? values(t) : values(t).map((v) => (v === BATCH ? v : to === 9 ? (v ? 1 : 0) : Math.trunc(v))))];
    }
    case 'Gather': {
      const data = need(0);
      const idx = need(1);
      const r = data.dims.length;
      const axis = normAxis(a.int('axis', 0), r);
      const len = data.dims[axis] as number;
      const outer = size(data.dims.slice(0, axis));
      const inner = size(data.dims.slice(axis + 1));
      const iv = values(idx).map((i) => (i < 0 ? i + len : i));
      const out: number[] = [];
      for (let o = 0; o < outer; o++) for (const i of iv) for (let k = 0; k < inner; k++) out.push(data.data[(o * len + i) * inner + k] as number);
      return [make(data.kind, [...data.dims.slice(0, axis), ...idx.dims, ...data.dims.slice(axis + 1)], out)];
    }
    case 'Unsqueeze': {
      const t = need(0);
      const axes = opset >= 13 && ins[1] ? values(ins[1]) : (a.ints('axes') ?? []);
      const r = t.dims.length + axes.length;
      const ax = new Set(axes.map((x) => normAxis(x, r)));
      const dims: number[] = [];
      let j = 0;
      for (let i = 0; i < r; i++) dims.push(ax.has(i) ? 1 : (t.dims[j++] as number));
      return [make(t.kind, dims, t.data)];
    }
    case 'Squeeze': {
      const t = need(0);
      const axes = opset >= 13 && ins[1] ? values(ins[1]) : a.ints('axes');
      const r = t.dims.length;
      const ax = axes ? new Set(axes.map((x) => normAxis(x, r))) : new Set(t.dims.flatMap((d, i) => (d === 1 ? [i] : [])));
      return [make(t.kind, t.dims.filter((_, i) => !ax.has(i)), t.data)];
    }
    case 'Concat': {
      const ts = ins.filter((t): t is HostTensor => t !== undefined && size(t.dims) > 0);
      const first = ts[0];
      if (!first) return [make('int', [0], [])];
      const r = first.dims.length;
      const axis = normAxis(a.int('axis', 0), r);
      const outer = size(first.dims.slice(0, axis));
      const out: number[] = [];
      for (let o = 0; o < outer; o++) {
        for (const t of ts) {
          const chunk = size(t.dims.slice(axis));
          for (let k = 0; k < chunk; k++) out.push(t.data[o * chunk + k] as number);
        }
      }
      const dims = [...first.dims];
      dims[axis] = ts.reduce((s, t) => s + (t.dims[axis] as number), 0);
      return [make(ts.some((t) => t.kind === 'float') ? 'float' : 'int', dims, out)];
    }
    case 'Slice': {
      const t = need(0);
      const r = t.dims.length;
      const starts = opset >= 10 ? values(need(1)) : (a.ints('starts') ?? []);
      const ends = opset >= 10 ? values(need(2)) : (a.ints('ends') ?? []);
      const axes = opset >= 10 && ins[3] ? values(ins[3]) : (a.ints('axes') ?? starts.map((_, i) => i));
      const steps = opset >= 10 && ins[4] ? values(ins[4]) : starts.map(() => 1);
      let cur = t;
      axes.forEach((axRaw, i) => {
        const ax = normAxis(axRaw, r);
        const step = steps[i] ?? 1;
        const len = cur.dims[ax] as number;
        let picks: number[];
        if (step === 1) {
          const [b, c] = sliceRange(starts[i] as number, ends[i] as number, len);
          picks = Array.from({ length: c }, (_, k) => b + k);
        } else {
          picks = [];
          const s0 = starts[i] as number;
          const e0 = ends[i] as number;
          let s = s0 < 0 ? s0 + len : s0;
          let e = e0 < 0 ? e0 + len : e0;
          if (step > 0) {
            s = Math.min(Math.max(s, 0), len);
            e = Math.min(Math.max(e, 0), len);
            for (let k = s; k < e; k += step) picks.push(k);
          } else {
            s = Math.min(Math.max(s, -1), len - 1);
            e = Math.min(Math.max(e, -1), len - 1);
            for (let k = s; k > e; k += step) picks.push(k);
          }
        }
        cur = foldNode({ ...node, opType: 'Gather', attribute: [{ name: 'axis', type: 2, i: ax, f: 0, s: new Uint8Array(), floats: [], ints: [], strings: [] }] }, [cur, make('int', [picks.length], picks)], opset)[0] as HostTensor;
      });
      return [cur];
    }
    case 'Reshape': {
      const t = need(0);
      const shape = values(need(1));
      noBatch(where, ...values(t).filter((v) => v === BATCH));
      const dims = shape.map((d, i) => (d === 0 && a.int('allowzero', 0) === 0 ? (t.dims[i] as number) : d));
      const known = size(dims.filter((d) => d !== -1));
      return [make(t.kind, dims.map((d) => (d === -1 ? size(t.dims) / known : d)), t.data)];
    }
    case 'Flatten': {
      const t = need(0);
      const axis = normAxis(a.int('axis', 1), t.dims.length);
      return [make(t.kind, [size(t.dims.slice(0, axis)), size(t.dims.slice(axis))], t.data)];
    }
    case 'Transpose': {
      const t = need(0);
      const perm = a.ints('perm') ?? t.dims.map((_, i) => t.dims.length - 1 - i);
      return [transposeHost(t, perm)];
    }
    case 'Add':
    case 'Sub':
    case 'Mul':
    case 'Div':
    case 'Pow':
    case 'Max':
    case 'Min':
    case 'Equal': {
      const x = need(0);
      const y = need(1);
      noBatch(where, ...values(x), ...values(y));
      const int = x.kind === 'int' && y.kind === 'int';
      const f: Record<string, (p: number, q: number) => number> = {
        Add: (p, q) => p + q,
        Sub: (p, q) => p - q,
        Mul: (p, q) => p * q,
        Div: (p, q) => (int ? Math.trunc(p / q) : p / q),
        Pow: (p, q) => p ** q,
        Max: Math.max,
        Min: Math.min,
        Equal: (p, q) => (p === q ? 1 : 0),
      };
      return [binary(x, y, f[node.opType] as (p: number, q: number) => number, where, node.opType === 'Equal' ? 'int' : undefined)];
    }
    case 'Where': {
      const c = need(0);
      const x = need(1);
      const y = need(2);
      const picked = binary(binary(c, x, (p, q) => (p ? q : NaN), where), y, (p, q) => (Number.isNaN(p) ? q : p), where);
      return [make(x.kind, picked.dims, picked.data)];
    }
    case 'Expand': {
      const x = need(0);
      const shape = values(need(1));
      noBatch(where, ...shape);
      return [binary(x, make(x.kind, shape, new Array<number>(size(shape)).fill(0)), (p) => p, where, x.kind)];
    }
    case 'Neg':
    case 'Sqrt':
    case 'Reciprocal':
    case 'Floor':
    case 'Ceil':
    case 'Abs':
    case 'Sign': {
      const t = need(0);
      noBatch(where, ...values(t));
      const f: Record<string, (p: number) => number> = { Neg: (p) => -p, Sqrt: Math.sqrt, Reciprocal: (p) => 1 / p, Floor: Math.floor, Ceil: Math.ceil, Abs: Math.abs, Sign: Math.sign };
      return [make(t.kind, [...t.dims], values(t).map(f[node.opType] as (p: number) => number))];
    }
    case 'ConstantOfShape': {
      const shape = values(need(0));
      noBatch(where, ...shape);
      const vt = a.tensor('value');
      const v = vt ? readTensor(vt) : make('float', [1], [0]);
      return [make(v.kind, shape, new Array<number>(size(shape)).fill(v.data[0] as number))];
    }
    case 'Range': {
      const [s, l, d] = [values(need(0))[0] as number, values(need(1))[0] as number, values(need(2))[0] as number];
      noBatch(where, s, l, d);
      const n = Math.max(Math.ceil((l - s) / d), 0);
      return [make(in0?.kind ?? 'int', [n], Array.from({ length: n }, (_, i) => s + i * d))];
    }
    default:
      throw new ModelError('unknown-op', `${where}: the op ${node.opType} cannot be computed on constants.`);
  }
}
