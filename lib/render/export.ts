/**
 * Exporting attributions: NumPy `.npy` (float32, shape [h, w]) and a plain JSON form.
 *
 * NPY format v1.0 (https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html): magic
 * "\x93NUMPY", version bytes 1 0, a little-endian uint16 header length, then an ASCII Python dict
 * literal padded with spaces and ended by "\n" so that magic + version + length + header is a multiple of
 * 64 bytes (NumPy's alignment), then the raw little-endian float32 data in C order.
 */
import type { Attribution } from '@/lib/explain/types';

/** Encodes a row-major h×w float32 map as .npy bytes (byte-identical to `numpy.save` of a '<f4' array). */
export function encodeNpy(values: ArrayLike<number>, height: number, width: number): Uint8Array {
  if (values.length !== height * width)
    throw new Error(`encodeNpy: ${values.length} values for shape (${height}, ${width})`);
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${height}, ${width}), }`;
  const preamble = 10; // magic (6) + version (2) + header length (2)
  const total = Math.ceil((preamble + header.length + 1) / 64) * 64;
  header = header + ' '.repeat(total - preamble - header.length - 1) + '\n';
  const out = new Uint8Array(total + values.length * 4);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0);
  const view = new DataView(out.buffer);
  view.setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[preamble + i] = header.charCodeAt(i);
  for (let i = 0; i < values.length; i++) view.setFloat32(total + i * 4, values[i] as number, true);
  return out;
}

/** Parses .npy bytes written by {@link encodeNpy} (float32, 2-D, C order). */
export function decodeNpy(bytes: Uint8Array): { values: Float32Array; height: number; width: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes[0] !== 0x93 || String.fromCharCode(...bytes.subarray(1, 6)) !== 'NUMPY')
    throw new Error('not an .npy file');
  const len = view.getUint16(8, true);
  const header = String.fromCharCode(...bytes.subarray(10, 10 + len));
  if (!header.includes("'<f4'") || header.includes("'fortran_order': True"))
    throw new Error('only little-endian float32 C-order .npy is supported');
  const m = /'shape': \((\d+), (\d+)\)/.exec(header);
  if (!m) throw new Error('only 2-D .npy arrays are supported');
  const height = Number(m[1]);
  const width = Number(m[2]);
  const values = new Float32Array(height * width);
  for (let i = 0; i < values.length; i++) values[i] = view.getFloat32(10 + len + i * 4, true);
  return { values, height, width };
}

export type JsonValue = null | boolean | number | string | JsonValue[] | { [k: string]: JsonValue };

function toJson(v: unknown): JsonValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'boolean' || typeof v === 'string') return v;
  if (ArrayBuffer.isView(v) && !(v instanceof DataView))
    return Array.from(v as unknown as ArrayLike<number>, (x) => (Number.isFinite(x) ? x : null));
  if (Array.isArray(v)) return v.map(toJson);
  if (typeof v === 'object') {
    const out: { [k: string]: JsonValue } = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) out[k] = toJson(x);
    return out;
  }
  return null;
}

/** A JSON-safe copy of an attribution (typed arrays → number arrays; non-finite numbers → null). */
export function attributionToJson(a: Attribution): { [k: string]: JsonValue } {
  return {
    format: 'why-dashboard.attribution/1',
    method: a.method,
    target: a.target,
    width: a.width,
    height: a.height,
    signed: a.signed,
    scoreKind: a.scoreKind,
    config: toJson(a.config),
    timings: toJson(a.timings),
    values: toJson(a.values),
    extras: toJson(a.extras ?? {}),
  };
}
