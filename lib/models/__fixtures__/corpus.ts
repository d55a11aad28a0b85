/**
 * Test fixtures: small real tfjs models, their saved artifacts (split into shards), hand-written graph
 * models, and File-like objects. Used only by tests.
 */
import * as tf from '@tensorflow/tfjs';
import type { FileLike } from '../load';
import { layersModelJson, saveLayersInMemory } from '@/lib/testing/save-layers';

export interface SavedModelFiles {
  /** model.json as an object (mutate freely: it is a fresh copy). */
  json: Record<string, unknown> & { modelTopology: Record<string, unknown>; weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[] };
  /** Shard file name → bytes. */
  shards: Map<string, Uint8Array>;
}

const seed = (s: number) => ({ kernelInitializer: tf.initializers.glorotUniform({ seed: s }), biasInitializer: tf.initializers.randomNormal({ seed: s + 100, stddev: 0.1 }) });

/** conv(4, 3×3, relu) → maxpool 2 → flatten → dense(k, softmax | linear). Input [size, size, channels]. */
export function makeCnn(opts: { softmax?: boolean; channels?: number; size?: number; classes?: number } = {}): tf.Sequential {
  const { softmax = true, channels = 1, size = 8, classes = 3 } = opts;
  const m = tf.sequential({ name: 'cnn' });
  m.add(tf.layers.conv2d({ name: 'conv', inputShape: [size, size, channels], filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', ...seed(1) }));
  m.add(tf.layers.maxPooling2d({ name: 'pool', poolSize: 2 }));
  m.add(tf.layers.flatten({ name: 'flat' }));
  m.add(tf.layers.dense({ name: 'dense', units: classes, activation: softmax ? 'softmax' : 'linear', ...seed(2) }));
  return m;
}

/** Saves a model with tf.io.withSaveHandler and splits its weights into `shardCount` shard files. */
export async function saveModel(model: tf.LayersModel, shardCount = 2): Promise<SavedModelFiles> {
  const saved = await saveLayersInMemory(model);
  return splitIntoShards(layersModelJson(saved, 'test'), saved.weightSpecs, saved.weightData, shardCount);
}

export function splitIntoShards(
  head: Record<string, unknown> & { modelTopology: Record<string, unknown> },
  specs: tf.io.WeightsManifestEntry[],
  data: Uint8Array,
  shardCount: number,
): SavedModelFiles {
  const shards = new Map<string, Uint8Array>();
  const per = Math.ceil(data.length / shardCount);
  const paths: string[] = [];
  for (let i = 0; i < shardCount; i++) {
    const name = `group1-shard${i + 1}of${shardCount}.bin`;
    paths.push(name);
    shards.set(name, data.slice(i * per, Math.min(data.length, (i + 1) * per)));
  }
  const json = JSON.parse(JSON.stringify({ ...head, weightsManifest: [{ paths, weights: specs }] })) as SavedModelFiles['json'];
  return { json, shards };
}

/** A File-like object (Node 20 has File, but not webkitRelativePath). */
export function fileLike(name: string, content: string | Uint8Array, relativePath = ''): FileLike {
  const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
  return {
    name,
    webkitRelativePath: relativePath,
    size: bytes.byteLength,
    arrayBuffer: () => Promise.resolve(bytes.slice().buffer),
    text: () => Promise.resolve(new TextDecoder().decode(bytes)),
  };
}

/** model.json + shards as files (optionally inside `dir`, as a folder selection would give them). */
export function asFiles(saved: SavedModelFiles, dir = '', jsonText?: string): FileLike[] {
  const rel = (n: string) => (dir ? `${dir}/${n}` : '');
  return [
    fileLike('model.json', jsonText ?? JSON.stringify(saved.json), rel('model.json')),
    ...[...saved.shards].map(([n, b]) => fileLike(n, b, rel(n))),
  ];
}

const b64 = (s: string) => btoa(s);
const f32 = { type: 'DT_FLOAT' };
const dims = (d: number[]) => ({ dim: d.map((x) => ({ size: String(x) })) });
const constNode = (name: string, shape: number[], dtype = 'DT_FLOAT') => ({
  name,
  op: 'Const',
  attr: { dtype: { type: dtype }, value: { tensor: { dtype, tensorShape: dims(shape) } } },
});

/** Known weights of the hand-written graph model. */
export const GRAPH_W1 = Float32Array.from({ length: 18 }, (_, i) => ((i % 5) - 2) / 4); // [3,3,1,2]
export const GRAPH_W2 = Float32Array.from({ length: 96 }, (_, i) => (((i * 7) % 11) - 5) / 10); // [32,3]

/**
 * A hand-written GraphDef: x [-1,4,4,1] → Conv2D(3×3×1×2, SAME) → Relu → Reshape [-1,32] → MatMul [32,3]
 * → Softmax (optional) → Identity. `opOverride` renames the Relu op (e.g. to 'NotARealOp').
 */
export function makeGraphModel(opts: { softmax?: boolean; reluOp?: string } = {}): SavedModelFiles {
  const { softmax = true, reluOp = 'Relu' } = opts;
  const nodes: Record<string, unknown>[] = [
    { name: 'x', op: 'Placeholder', attr: { dtype: f32, shape: { shape: dims([-1, 4, 4, 1]) } } },
    constNode('w1', [3, 3, 1, 2]),
    {
      name: 'conv',
      op: 'Conv2D',
      input: ['x', 'w1'],
      attr: { T: f32, strides: { list: { i: ['1', '1', '1', '1'] } }, padding: { s: b64('SAME') }, data_format: { s: b64('NHWC') }, dilations: { list: { i: ['1', '1', '1', '1'] } } },
    },
    { name: 'relu', op: reluOp, input: ['conv'], attr: { T: f32 } },
    constNode('shape', [2], 'DT_INT32'),
    { name: 'flat', op: 'Reshape', input: ['relu', 'shape'], attr: { T: f32 } },
    constNode('w2', [32, 3]),
    { name: 'logits', op: 'MatMul', input: ['flat', 'w2'], attr: { T: f32, transpose_a: { b: false }, transpose_b: { b: false } } },
  ];
  if (softmax) nodes.push({ name: 'probs', op: 'Softmax', input: ['logits'], attr: { T: f32 } });
  nodes.push({ name: 'out', op: 'Identity', input: [softmax ? 'probs' : 'logits'], attr: { T: f32 } });
  const specs: tf.io.WeightsManifestEntry[] = [
    { name: 'w1', shape: [3, 3, 1, 2], dtype: 'float32' },
    { name: 'shape', shape: [2], dtype: 'int32' },
    { name: 'w2', shape: [32, 3], dtype: 'float32' },
  ];
  const buf = new ArrayBuffer(18 * 4 + 2 * 4 + 96 * 4);
  new Float32Array(buf, 0, 18).set(GRAPH_W1);
  new Int32Array(buf, 72, 2).set([-1, 32]);
  new Float32Array(buf, 80, 96).set(GRAPH_W2);
  return splitIntoShards(
    { format: 'graph-model', generatedBy: 'hand', convertedBy: 'hand', modelTopology: { node: nodes, library: {}, versions: { producer: 1 } } },
    specs,
    new Uint8Array(buf),
    1,
  );
}

/** The graph model's function computed directly with tfjs ops (the known answer). Caller disposes. */
export function graphReference(x: tf.Tensor4D, softmax: boolean): tf.Tensor2D {
  return tf.tidy((): tf.Tensor => {
    const w1 = tf.tensor4d(GRAPH_W1, [3, 3, 1, 2]);
    const w2 = tf.tensor2d(GRAPH_W2, [32, 3]);
    const h = tf.relu(tf.conv2d(x, w1, 1, 'same'));
    const logits = tf.matMul(tf.reshape(h, [-1, 32]), w2);
    return softmax ? tf.softmax(logits) : logits;
  }) as tf.Tensor2D;
}

/** A fetch double serving `routes` (URL → bytes or HTTP status), throwing TypeError for `unreachable` URLs. */
export function fakeFetch(routes: Map<string, Uint8Array | number>, unreachable: (url: string) => boolean = () => false): typeof fetch {
  return (async (input: RequestInfo | URL) => {
    const url = String(input);
    if (unreachable(url)) throw new TypeError('Failed to fetch');
    const r = routes.get(url);
    if (r === undefined) return new Response('not found', { status: 404, statusText: 'Not Found' });
    if (typeof r === 'number') return new Response('error', { status: r, statusText: r === 500 ? 'Internal Server Error' : 'Error' });
    return new Response(r.slice(), { status: 200 });
  }) as typeof fetch;
}
