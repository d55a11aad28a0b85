/**
 * Test fixtures for the capability probe (tests only): two tiny converted-style TF.js graph models as the
 * files a user would pick (model.json + weights.bin), each with one op that real converted models contain
 * and whose gradient a backend cannot take:
 * - `gather`: x [-1, 4, 4, 3] → GatherV2 on the channel axis (RGB → BGR, as converters emit) → Conv2D 3×3
 *   SAME (2 filters) → Relu ('relu1') → Reshape [-1, 32] → MatMul [32, 3] → logits. Its input gradient
 *   needs `UnsortedSegmentSum` (the gradient of GatherV2), which WASM lacks and CPU has; the layer
 *   gradient at relu1 does not pass through the gather (works everywhere).
 * - `cumprod`: the same without the gather, with Sigmoid → Cumprod on the logits. TF.js has no gradient for
 *   Cumprod on any backend: input and layer gradients both fail; a forward pass works.
 */
import type { FileLike } from '@/lib/models/load';

export type ProbeFixture = 'gather' | 'cumprod';

const b64 = (s: string) => btoa(s);
const f32 = { type: 'DT_FLOAT' };
const i32 = { type: 'DT_INT32' };
const dims = (d: number[]) => ({ dim: d.map((size) => ({ size: String(size) })) });
const det = (n: number, seed: number) =>
  Float32Array.from({ length: n }, (_, i) => Math.sin((i + 1) * 12.9898 + seed * 78.233) * 0.5);

function constNode(name: string, d: number[], dtype = 'DT_FLOAT') {
  return { name, op: 'Const', attr: { dtype: { type: dtype }, value: { tensor: { dtype, tensorShape: dims(d) } } } };
}

function asFile(name: string, bytes: Uint8Array): FileLike {
  const buf = bytes.slice().buffer as ArrayBuffer;
  return {
    name,
    size: buf.byteLength,
    arrayBuffer: async () => buf.slice(0),
    text: async () => new TextDecoder().decode(buf),
  };
}

/** The model.json + weights.bin of a probe fixture (see the file comment). */
export function probeFixtureFiles(kind: ProbeFixture): FileLike[] {
  const channels = kind === 'gather' ? 3 : 1;
  const weights: { name: string; shape: number[]; data: Float32Array | Int32Array }[] = [
    { name: 'conv_w', shape: [3, 3, channels, 2], data: det(9 * channels * 2, 1) },
    { name: 'flat_shape', shape: [2], data: new Int32Array([-1, 32]) },
    { name: 'dense_w', shape: [32, 3], data: det(96, 2) },
  ];
  if (kind === 'gather') {
    weights.push({ name: 'bgr', shape: [3], data: new Int32Array([2, 1, 0]) });
    weights.push({ name: 'channel_axis', shape: [], data: new Int32Array([3]) });
  } else weights.push({ name: 'cum_axis', shape: [], data: new Int32Array([1]) });
  const ones = { list: { i: ['1', '1', '1', '1'] } };
  const conv = { T: f32, strides: ones, dilations: ones, padding: { s: b64('SAME') }, data_format: { s: b64('NHWC') } };
  const node: object[] = [
    { name: 'x', op: 'Placeholder', attr: { dtype: f32, shape: { shape: dims([-1, 4, 4, channels]) } } },
    ...weights.map((w) => constNode(w.name, w.shape, w.data instanceof Int32Array ? 'DT_INT32' : 'DT_FLOAT')),
  ];
  let head = 'x';
  if (kind === 'gather') {
    node.push({
      name: 'to_bgr',
      op: 'GatherV2',
      input: ['x', 'bgr', 'channel_axis'],
      attr: { Tparams: f32, Tindices: i32, Taxis: i32, batch_dims: { i: '0' } },
    });
    head = 'to_bgr';
  }
  node.push(
    { name: 'conv1', op: 'Conv2D', input: [head, 'conv_w'], attr: conv },
    { name: 'relu1', op: 'Relu', input: ['conv1'], attr: { T: f32 } },
    { name: 'flat', op: 'Reshape', input: ['relu1', 'flat_shape'], attr: { T: f32, Tshape: i32 } },
    {
      name: 'matmul',
      op: 'MatMul',
      input: ['flat', 'dense_w'],
      attr: { T: f32, transpose_a: { b: false }, transpose_b: { b: false } },
    },
  );
  if (kind === 'cumprod')
    node.push(
      { name: 'gate', op: 'Sigmoid', input: ['matmul'], attr: { T: f32 } },
      {
        name: 'scores',
        op: 'Cumprod',
        input: ['gate', 'cum_axis'],
        attr: { T: f32, Tidx: i32, exclusive: { b: false }, reverse: { b: false } },
      },
    );
  const json = {
    format: 'graph-model',
    generatedBy: 'probe-fixtures',
    convertedBy: 'hand-written',
    modelTopology: { node, versions: { producer: 1 } },
    weightsManifest: [
      {
        paths: ['weights.bin'],
        weights: weights.map((w) => ({
          name: w.name,
          shape: w.shape,
          dtype: w.data instanceof Int32Array ? 'int32' : 'float32',
        })),
      },
    ],
  };
  const bytes = new Uint8Array(weights.reduce((a, w) => a + w.data.byteLength, 0));
  let off = 0;
  for (const w of weights) {
    bytes.set(new Uint8Array(w.data.buffer, w.data.byteOffset, w.data.byteLength), off);
    off += w.data.byteLength;
  }
  return [asFile('model.json', new TextEncoder().encode(JSON.stringify(json))), asFile('weights.bin', bytes)];
}
