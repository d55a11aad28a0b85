/**
 * A hand-written tiny TensorFlow GraphModel (as the converter would emit it), loaded from memory:
 *   x [-1, 4, 4, 1] → Conv2D 3×3 SAME (2 filters) → BiasAdd → Relu ('relu1', spatial)
 *     → Reshape [-1, 32] → MatMul [32, 3] → BiasAdd ('logits')
 * With `fused: true` the conv+bias(+relu when `fusedRelu`) is one `_FusedConv2D` node, as the converter's
 * optimiser produces. Weights are deterministic and returned so tests can compare against a LayersModel.
 */
import * as tf from '@tensorflow/tfjs';

const b64 = (s: string) => btoa(s);

export interface TinyGraph {
  model: tf.GraphModel;
  convW: Float32Array; // [3, 3, 1, 2]
  convB: Float32Array; // [2]
  denseW: Float32Array; // [32, 3]
  denseB: Float32Array; // [3]
}

function det(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.sin((i + 1) * 12.9898 + seed * 78.233) * 0.5;
  return out;
}

export async function tinyGraphModel(opts: { fused?: boolean; fusedRelu?: boolean } = {}): Promise<TinyGraph> {
  const convW = det(18, 1);
  const convB = new Float32Array([0.1, -0.05]);
  const denseW = det(96, 2);
  const denseB = new Float32Array([0.01, 0.02, -0.03]);
  const shape = new Int32Array([-1, 32]);
  const dims = (d: number[]) => ({ dim: d.map((size) => ({ size: String(size) })) });
  const f32 = { type: 'DT_FLOAT' };
  const constNode = (name: string, d: number[], dtype = 'DT_FLOAT') => ({
    name,
    op: 'Const',
    attr: { dtype: { type: dtype }, value: { tensor: { dtype, tensorShape: dims(d) } } },
  });
  const convAttrs = {
    T: f32,
    strides: { list: { i: ['1', '1', '1', '1'] } },
    padding: { s: b64('SAME') },
    data_format: { s: b64('NHWC') },
    dilations: { list: { i: ['1', '1', '1', '1'] } },
  };
  const convNodes = opts.fused
    ? [
        {
          name: 'relu1',
          op: '_FusedConv2D',
          input: ['x', 'conv_w', 'conv_b'],
          attr: {
            ...convAttrs,
            num_args: { i: '1' },
            fused_ops: { list: { s: opts.fusedRelu === false ? [b64('BiasAdd')] : [b64('BiasAdd'), b64('Relu')] } },
            epsilon: { f: 0 },
          },
        },
      ]
    : [
        { name: 'conv1', op: 'Conv2D', input: ['x', 'conv_w'], attr: convAttrs },
        {
          name: 'conv1_bias',
          op: 'BiasAdd',
          input: ['conv1', 'conv_b'],
          attr: { T: f32, data_format: { s: b64('NHWC') } },
        },
        { name: 'relu1', op: 'Relu', input: ['conv1_bias'], attr: { T: f32 } },
      ];
  const modelTopology = {
    node: [
      { name: 'x', op: 'Placeholder', attr: { dtype: f32, shape: { shape: dims([-1, 4, 4, 1]) } } },
      constNode('conv_w', [3, 3, 1, 2]),
      constNode('conv_b', [2]),
      constNode('flat_shape', [2], 'DT_INT32'),
      constNode('dense_w', [32, 3]),
      constNode('dense_b', [3]),
      ...convNodes,
      { name: 'flat', op: 'Reshape', input: ['relu1', 'flat_shape'], attr: { T: f32, Tshape: { type: 'DT_INT32' } } },
      {
        name: 'matmul',
        op: 'MatMul',
        input: ['flat', 'dense_w'],
        attr: { T: f32, transpose_a: { b: false }, transpose_b: { b: false } },
      },
      {
        name: 'logits',
        op: 'BiasAdd',
        input: ['matmul', 'dense_b'],
        attr: { T: f32, data_format: { s: b64('NHWC') } },
      },
    ],
    versions: { producer: 1 },
  };
  const weightSpecs: tf.io.WeightsManifestEntry[] = [
    { name: 'conv_w', shape: [3, 3, 1, 2], dtype: 'float32' },
    { name: 'conv_b', shape: [2], dtype: 'float32' },
    { name: 'flat_shape', shape: [2], dtype: 'int32' },
    { name: 'dense_w', shape: [32, 3], dtype: 'float32' },
    { name: 'dense_b', shape: [3], dtype: 'float32' },
  ];
  const parts = [convW, convB, shape, denseW, denseB];
  const total = parts.reduce((a, p) => a + p.byteLength, 0);
  const weightData = new Uint8Array(total);
  let off = 0;
  for (const p of parts) {
    weightData.set(new Uint8Array(p.buffer, p.byteOffset, p.byteLength), off);
    off += p.byteLength;
  }
  const model = await tf.loadGraphModel(
    tf.io.fromMemory({ modelTopology, weightSpecs, weightData: weightData.buffer }),
  );
  return { model, convW, convB, denseW, denseB };
}

/** The same network as a LayersModel (for cross-checking the graph path). */
export function tinyGraphAsLayers(g: TinyGraph): tf.LayersModel {
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({
        inputShape: [4, 4, 1],
        filters: 2,
        kernelSize: 3,
        padding: 'same',
        activation: 'relu',
        name: 'relu1',
      }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 3, name: 'logits' }),
    ],
  });
  tf.tidy(() => {
    model.getLayer('relu1').setWeights([tf.tensor4d(g.convW, [3, 3, 1, 2]), tf.tensor1d(g.convB)]);
    model.getLayer('logits').setWeights([tf.tensor2d(g.denseW, [32, 3]), tf.tensor1d(g.denseB)]);
  });
  return model;
}
