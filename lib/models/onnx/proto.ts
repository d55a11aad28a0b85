/**
 * Decoding an ONNX `ModelProto` (protobuf, via the generated static decoder in onnx-proto.js) and reading
 * its tensors into plain host arrays. No TensorFlow.js here.
 *
 * Tensor data may sit in `raw_data` (little-endian), in the typed repeated fields, or — for models saved
 * with `save_as_external_data` — in a file beside the .onnx (`external_data`: location, offset, length).
 */
import { onnx } from './onnx-proto.js';
import type { AttributeProto, Int64, ModelProto, NodeProto, TensorProto } from './onnx-proto';
import { ModelError } from '../types';

export type { AttributeProto, ModelProto, NodeProto, TensorProto, GraphProto, ValueInfoProto } from './onnx-proto';

/**
 * A constant tensor on the host, in ONNX layout (row-major, dims as in the file). Floats (FLOAT, DOUBLE,
 * FLOAT16) become a Float32Array; integers and booleans a plain number array (int64 values beyond 2^53 are
 * rounded, which never matters for shapes and indices).
 */
export type HostTensor = { kind: 'float'; dims: number[]; data: Float32Array } | { kind: 'int'; dims: number[]; data: number[] };

/** int64 (number or Long) → number. */
export function toNum(v: Int64 | null | undefined): number {
  if (v === null || v === undefined) return 0;
  return typeof v === 'number' ? v : v.toNumber();
}

/** Decodes the bytes of a .onnx file. Throws ModelError('not-a-model') when they are not an ONNX model. */
export function decodeModel(bytes: Uint8Array, fileName: string): ModelProto {
  let m: ModelProto;
  try {
    m = onnx.ModelProto.decode(bytes);
  } catch (e) {
    throw new ModelError('not-a-model', `${fileName} is not an ONNX model (it could not be decoded: ${e instanceof Error ? e.message : String(e)}).`);
  }
  if (!m.graph || m.graph.node.length === 0) throw new ModelError('not-a-model', `${fileName} holds no ONNX graph (no nodes).`);
  return m;
}

/** The default-domain ("" or "ai.onnx") opset the model imports. */
export function defaultOpset(m: ModelProto): number {
  const imp = m.opsetImport.find((o) => o.domain === '' || o.domain === 'ai.onnx');
  return imp ? toNum(imp.version) : 1;
}

const DATA_TYPE_NAMES: Record<number, string> = {
  1: 'float32', 2: 'uint8', 3: 'int8', 4: 'uint16', 5: 'int16', 6: 'int32', 7: 'int64', 8: 'string', 9: 'bool',
  10: 'float16', 11: 'double', 12: 'uint32', 13: 'uint64', 16: 'bfloat16',
};

export function dataTypeName(t: number): string {
  return DATA_TYPE_NAMES[t] ?? `type ${t}`;
}

function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (f / 1024);
  if (e === 31) return f ? NaN : s * Infinity;
  return s * 2 ** (e - 15) * (1 + f / 1024);
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Reads external bytes: (location, offset, length) → bytes, or undefined when the file is missing. */
export type ExternalReader = (location: string, offset: number, length: number | undefined) => Uint8Array | undefined;

function externalBytes(t: TensorProto, read: ExternalReader | undefined, count: number, elemBytes: number): Uint8Array {
  const kv = new Map(t.externalData.map((e) => [e.key, e.value]));
  const location = kv.get('location');
  if (!location) throw new ModelError('missing-weights', `Tensor “${t.name}” is stored outside the .onnx file but names no location.`);
  const offset = Number(kv.get('offset') ?? 0);
  const length = kv.has('length') ? Number(kv.get('length')) : count * elemBytes;
  const bytes = read?.(location, offset, length);
  if (!bytes) {
    throw new ModelError('missing-weights', `Tensor “${t.name}” is stored in “${location}”, which was not given. Select the .onnx file together with ${location}.`);
  }
  if (bytes.byteLength < count * elemBytes) {
    throw new ModelError('short-weights', `“${location}” ends early: tensor “${t.name}” needs ${count * elemBytes} bytes at offset ${offset}, only ${bytes.byteLength} are there.`);
  }
  return bytes;
}

/** Reads a TensorProto into a HostTensor. `read` resolves external data. */
export function readTensor(t: TensorProto, read?: ExternalReader): HostTensor {
  const dims = t.dims.map(toNum);
  const count = dims.reduce((a, b) => a * b, 1);
  const type = t.dataType;
  const elemBytes: Record<number, number> = { 1: 4, 2: 1, 3: 1, 4: 2, 5: 2, 6: 4, 7: 8, 9: 1, 10: 2, 11: 8, 12: 4, 13: 8 };
  const eb = elemBytes[type];
  if (eb === undefined) throw new ModelError('unknown-op', `Tensor “${t.name}” has data type ${dataTypeName(type)}, which is not supported.`);
  let raw: Uint8Array | undefined;
  if (t.dataLocation === 1) raw = externalBytes(t, read, count, eb);
  else if (t.rawData && t.rawData.byteLength > 0) raw = t.rawData;
  if (raw) {
    if (raw.byteLength < count * eb) throw new ModelError('short-weights', `Tensor “${t.name}” holds ${raw.byteLength} bytes; its shape [${dims.join(', ')}] needs ${count * eb}.`);
    if (type === 1 && LITTLE_ENDIAN) return { kind: 'float', dims, data: new Float32Array(raw.slice(0, count * 4).buffer) };
    const dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    if (type === 1 || type === 11 || type === 10) {
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = type === 1 ? dv.getFloat32(4 * i, true) : type === 11 ? dv.getFloat64(8 * i, true) : halfToFloat(dv.getUint16(2 * i, true));
      return { kind: 'float', dims, data: out };
    }
    const out = new Array<number>(count);
    for (let i = 0; i < count; i++) {
      switch (type) {
        case 2: out[i] = dv.getUint8(i); break;
        case 3: out[i] = dv.getInt8(i); break;
        case 4: out[i] = dv.getUint16(2 * i, true); break;
        case 5: out[i] = dv.getInt16(2 * i, true); break;
        case 6: out[i] = dv.getInt32(4 * i, true); break;
        case 7: out[i] = Number(dv.getBigInt64(8 * i, true)); break;
        case 9: out[i] = dv.getUint8(i) ? 1 : 0; break;
        case 12: out[i] = dv.getUint32(4 * i, true); break;
        default: out[i] = Number(dv.getBigUint64(8 * i, true));
      }
    }
    return { kind: 'int', dims, data: out };
  }
  if (type === 1 || type === 10 || type === 11) {
    const src = type === 11 ? t.doubleData : type === 10 ? t.int32Data.map(halfToFloat) : t.floatData;
    if (src.length !== count) throw new ModelError('short-weights', `Tensor “${t.name}” holds ${src.length} values; its shape [${dims.join(', ')}] needs ${count}.`);
    return { kind: 'float', dims, data: Float32Array.from(src) };
  }
  const src = type === 7 ? t.int64Data.map(toNum) : type === 13 ? t.uint64Data.map(toNum) : t.int32Data.slice();
  if (src.length !== count) throw new ModelError('short-weights', `Tensor “${t.name}” holds ${src.length} values; its shape [${dims.join(', ')}] needs ${count}.`);
  return { kind: 'int', dims, data: src };
}

/** Attribute value by name, typed by the caller's expectation. */
export interface Attrs {
  int(name: string, dflt: number): number;
  float(name: string, dflt: number): number;
  ints(name: string): number[] | undefined;
  floats(name: string): number[] | undefined;
  str(name: string, dflt: string): string;
  tensor(name: string): TensorProto | undefined;
  has(name: string): boolean;
}

export function attrs(node: NodeProto): Attrs {
  const by = new Map<string, AttributeProto>(node.attribute.map((a) => [a.name, a]));
  return {
    int: (n, d) => (by.has(n) ? toNum(by.get(n)?.i) : d),
    float: (n, d) => (by.has(n) ? (by.get(n)?.f ?? d) : d),
    ints: (n) => by.get(n)?.ints.map(toNum),
    floats: (n) => by.get(n)?.floats.slice(),
    str: (n, d) => {
      const s = by.get(n)?.s;
      return s && s.byteLength > 0 ? new TextDecoder().decode(s) : by.has(n) ? '' : d;
    },
    tensor: (n) => by.get(n)?.t ?? undefined,
    has: (n) => by.has(n),
  };
}
