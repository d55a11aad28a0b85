import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { expectModelError } from './__fixtures__/expect-model-error';
import { asFiles, fakeFetch, fileLike, graphReference, makeCnn, makeGraphModel, saveModel, splitIntoShards, type SavedModelFiles } from './__fixtures__/corpus';
import { loadManifestModel, loadModelFromFiles, loadModelFromPackage, loadModelFromUrl } from './load';
import { ModelError, type ManifestModel } from './types';

beforeAll(async () => {
  await tf.setBackend('cpu');
});


/** Scores of `model` for a fixed batch (plain numbers). */
function predictFixed(model: tf.LayersModel | tf.GraphModel, shape: [number, number, number]): Float32Array {
  return tf.tidy(() => {
    const x = tf.randomUniform([2, ...shape], 0, 1, 'float32', 123);
    return (model.predict(x) as tf.Tensor).dataSync() as Float32Array;
  });
}

const clone = (s: SavedModelFiles): SavedModelFiles => ({ json: structuredClone(s.json), shards: new Map([...s.shards].map(([k, v]) => [k, v.slice()])) });

describe('happy paths', () => {
  it('loads a LayersModel from model.json + 2 shards with identical predictions and a full ModelInfo', async () => {
    const original = makeCnn();
    const saved = await saveModel(original, 2);
    const loaded = await loadModelFromFiles(asFiles(saved));
    try {
      const { info } = loaded;
      expect(info.format).toBe('layers');
      expect(info.inputShape).toEqual([8, 8, 1]);
      expect(info.outputShape).toEqual([null, 3]);
      expect(info.numClasses).toBe(3);
      expect(info.outputKind).toBe('softmax'); // structural: dense with softmax
      expect(info.labels).toEqual(['class 0', 'class 1', 'class 2']);
      expect(info.paramCount).toBe(original.countParams());
      expect(info.paramCount).toBe(3 * 3 * 4 + 4 + 64 * 3 + 3);
      expect(info.layers.map((l) => [l.name, l.className, l.spatial])).toEqual([
        ['conv', 'Conv2D', true],
        ['pool', 'MaxPooling2D', true],
        ['flat', 'Flatten', false],
        ['dense', 'Dense', false],
      ]);
      expect(info.layers[0]?.outputShape).toEqual([null, 8, 8, 4]);
      expect(info.layers[0]?.params).toBe(40);
      // Trailing pooling is trimmed so that the default (last) Grad-CAM layer is the conv output.
      expect(info.spatialLayers).toEqual(['conv']);
      expect(info.preprocessing).toEqual({ height: 8, width: 8, channels: 1, channelOrder: 'rgb', normalization: 'zero-one', resize: 'stretch' });
      expect(loaded.card.inferred).toEqual(expect.arrayContaining(['labels', 'inputSize', 'channels', 'normalization', 'outputKind']));
      expect(loaded.card.given).toEqual([]);
      expect(loaded.sourceDescription).toBe('files: model.json + 2 weight files');
      const a = predictFixed(original, [8, 8, 1]);
      const b = predictFixed(loaded.model, [8, 8, 1]);
      expect(Array.from(b)).toEqual(Array.from(a));
    } finally {
      loaded.model.dispose();
      original.dispose();
    }
  });

  it('detects logits with the probe when the last layer is linear', async () => {
    const original = makeCnn({ softmax: false, channels: 3, size: 6, classes: 5 });
    const loaded = await loadModelFromFiles(asFiles(await saveModel(original, 1)));
    expect(loaded.info.outputKind).toBe('logits');
    expect(loaded.info.inputShape).toEqual([6, 6, 3]);
    expect(loaded.info.numClasses).toBe(5);
    loaded.model.dispose();
    original.dispose();
  });

  it('loads a folder selection: shards by base name (the ones beside model.json win), card.json and labels.txt', async () => {
    const original = makeCnn();
    const saved = await saveModel(original, 2);
    const decoy = fileLike('group1-shard1of2.bin', new Uint8Array(5), 'other/group1-shard1of2.bin');
    const files = [
      decoy,
      ...asFiles(saved, 'digits'),
      fileLike('labels.txt', 'cat\n dog \nbird\n\n', 'digits/labels.txt'),
      fileLike('card.json', JSON.stringify({ name: 'Pets', normalization: 'minus-one-one', resize: 'pad', bogus: 1 }), 'digits/card.json'),
    ];
    const loaded = await loadModelFromFiles(files);
    expect(loaded.info.name).toBe('Pets');
    expect(loaded.info.labels).toEqual(['cat', 'dog', 'bird']);
    expect(loaded.info.preprocessing.normalization).toBe('minus-one-one');
    expect(loaded.info.preprocessing.resize).toBe('pad');
    expect(loaded.card.given).toEqual(expect.arrayContaining(['name', 'labels', 'normalization', 'resize']));
    expect(loaded.card.inferred).toEqual(expect.arrayContaining(['inputSize', 'channels', 'channelOrder', 'outputKind']));
    expect(loaded.warnings.join(' ')).toMatch(/bogus/);
    expect(loaded.sourceDescription).toMatch(/folder “digits”/);
    loaded.model.dispose();
    original.dispose();
  });

  it('a folder with models below it (checkpoints/…/model.json) loads its top model.json; two at the top are refused', async () => {
    const top = makeCnn();
    const below = makeCnn({ classes: 5 });
    const files = [...asFiles(await saveModel(below, 1), 'net/checkpoints/epoch-1'), ...asFiles(await saveModel(top, 1), 'net')];
    const loaded = await loadModelFromFiles(files);
    expect(loaded.info.numClasses).toBe(3);
    expect(loaded.sourceDescription).toMatch(/folder “net”/);
    loaded.model.dispose();
    const twoAtTop = [...asFiles(await saveModel(top, 1), 'a'), ...asFiles(await saveModel(below, 1), 'b')];
    await expect(loadModelFromFiles(twoAtTop)).rejects.toThrow(/holds 2 model\.json files/);
    top.dispose();
    below.dispose();
  });

  it('uses the folder name as default display name and UI card fields override the card file', async () => {
    const original = makeCnn();
    const files = [...asFiles(await saveModel(original, 1), 'my-net'), fileLike('card.json', '{"resize":"pad"}', 'my-net/card.json')];
    const loaded = await loadModelFromFiles(files, { card: { resize: 'center-crop' } });
    expect(loaded.info.name).toBe('my-net');
    expect(loaded.info.preprocessing.resize).toBe('center-crop');
    loaded.model.dispose();
    original.dispose();
  });

  it('loads a hand-written GraphModel (Conv2D → Relu → MatMul → Softmax) with the known answer', async () => {
    const loaded = await loadModelFromFiles(asFiles(makeGraphModel()));
    try {
      const { info } = loaded;
      expect(info.format).toBe('graph');
      expect(info.inputShape).toEqual([4, 4, 1]);
      expect(info.outputShape).toEqual([null, 3]);
      expect(info.outputKind).toBe('softmax'); // Softmax behind Identity
      expect(info.paramCount).toBe(18 + 96);
      expect(info.spatialLayers).toEqual(['relu']); // activation node preferred over the conv
      const conv = info.layers.find((l) => l.name === 'conv');
      expect(conv).toMatchObject({ className: 'Conv2D', outputShape: [null, 4, 4, 2], params: 18, spatial: true });
      expect(info.layers.find((l) => l.name === 'logits')).toMatchObject({ className: 'MatMul', outputShape: [null, 3], params: 96, spatial: false });
      const x = tf.randomUniform([2, 4, 4, 1], 0, 1, 'float32', 5) as tf.Tensor4D;
      const got = tf.tidy(() => (loaded.model.predict(x) as tf.Tensor).dataSync());
      const want = tf.tidy(() => graphReference(x, true).dataSync());
      x.dispose();
      expect(got.length).toBe(2 * 3);
      expect(want.length).toBe(got.length);
      Array.from(got).forEach((v, i) => expect(v).toBeCloseTo(want[i] as number, 6));
    } finally {
      loaded.model.dispose();
    }
  });

  it('detects logits for a graph model without Softmax', async () => {
    const loaded = await loadModelFromFiles(asFiles(makeGraphModel({ softmax: false })));
    expect(loaded.info.outputKind).toBe('logits');
    loaded.model.dispose();
  });

  it('round-trips through the canonical package', async () => {
    const original = makeCnn({ softmax: false });
    const first = await loadModelFromFiles(asFiles(await saveModel(original, 3)));
    const second = await loadModelFromPackage(first.package);
    expect(Array.from(predictFixed(second.model, [8, 8, 1]))).toEqual(Array.from(predictFixed(original, [8, 8, 1])));
    first.model.dispose();
    second.model.dispose();
    original.dispose();
  });
});

describe('broken-model corpus', () => {
  let good: SavedModelFiles;
  beforeAll(async () => {
    const m = makeCnn();
    good = await saveModel(m, 2);
    m.dispose();
  });

  it('truncated model.json → malformed-json with where it ends', async () => {
    const text = JSON.stringify(good.json);
    await expectModelError(loadModelFromFiles(asFiles(good, '', text.slice(0, 150))), 'malformed-json', /model\.json/, /cut off/, /line 1, column/);
  });

  it('a syntax error in the middle → malformed-json naming line and column', async () => {
    const text = JSON.stringify(good.json, null, 1).replace('"modelTopology":', '"modelTopology";');
    const line = text.slice(0, text.indexOf('"modelTopology";')).split('\n').length;
    await expectModelError(loadModelFromFiles(asFiles(good, '', text)), 'malformed-json', new RegExp(`line ${line}, column \\d+`), /modelTopology/);
  });

  it('JSON that is not a model → not-a-model saying what it looks like', async () => {
    await expectModelError(loadModelFromFiles([fileLike('model.json', '{"foo": 1, "bar": 2}')]), 'not-a-model', /"foo"/);
    await expectModelError(loadModelFromFiles([fileLike('model.json', '{"version":1,"models":[],"datasets":[]}')]), 'not-a-model', /manifest/);
    await expectModelError(loadModelFromFiles([fileLike('model.json', '<!DOCTYPE html><html></html>')]), 'not-a-model', /web page/);
    const noWeights = { ...good.json, weightsManifest: undefined };
    await expectModelError(loadModelFromFiles([fileLike('model.json', JSON.stringify(noWeights))]), 'not-a-model', /weightsManifest/);
    await expectModelError(loadModelFromFiles([fileLike('weights.bin', new Uint8Array(4))]), 'not-a-model', /weights\.bin/);
  });

  it('a missing shard → missing-weights naming the file', async () => {
    const files = asFiles(good).filter((f) => f.name !== 'group1-shard2of2.bin');
    await expectModelError(loadModelFromFiles(files), 'missing-weights', /“group1-shard2of2\.bin”/);
  });

  it('a cut-short shard → short-weights with expected vs actual bytes', async () => {
    const s = clone(good);
    const full = [...s.shards.values()].reduce((a, b) => a + b.length, 0);
    const last = s.shards.get('group1-shard2of2.bin') as Uint8Array;
    s.shards.set('group1-shard2of2.bin', last.slice(0, last.length - 10));
    await expectModelError(loadModelFromFiles(asFiles(s)), 'short-weights', new RegExp(`${full - 10} bytes`), new RegExp(`needs ${full} bytes`));
  });

  it('an unknown layer class → unknown-layer naming it', async () => {
    const s = clone(good);
    const text = JSON.stringify(s.json).replace('"class_name":"Flatten"', '"class_name":"MagicLayer"');
    expect(text).toContain('MagicLayer');
    await expectModelError(loadModelFromFiles(asFiles(s, '', text)), 'unknown-layer', /“MagicLayer”/);
  });

  it('an input of rank 2 → not-image-input with the shape found', async () => {
    const m = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 3, activation: 'softmax' })] });
    await expectModelError(loadModelFromFiles(asFiles(await saveModel(m, 1))), 'not-image-input', /\[\?, 4\]/, /2 dimensions/);
    m.dispose();
  });

  it('an input with 4 channels → not-image-input', async () => {
    const m = makeCnn({ channels: 4 });
    await expectModelError(loadModelFromFiles(asFiles(await saveModel(m, 1))), 'not-image-input', /4 channels/);
    m.dispose();
  });

  it('two inputs → multiple-inputs', async () => {
    const a = tf.input({ shape: [4, 4, 1], name: 'a' });
    const b = tf.input({ shape: [4, 4, 1], name: 'b' });
    const cat = tf.layers.concatenate().apply([a, b]) as tf.SymbolicTensor;
    const out = tf.layers.dense({ units: 2 }).apply(tf.layers.flatten().apply(cat)) as tf.SymbolicTensor;
    const m = tf.model({ inputs: [a, b], outputs: out });
    await expectModelError(loadModelFromFiles(asFiles(await saveModel(m, 1))), 'multiple-inputs', /2 inputs/);
    m.dispose();
  });

  it('output of rank 3 or 4 → bad-output', async () => {
    const r4 = tf.sequential({ layers: [tf.layers.conv2d({ inputShape: [4, 4, 1], filters: 2, kernelSize: 1 })] });
    await expectModelError(loadModelFromFiles(asFiles(await saveModel(r4, 1))), 'bad-output', /\[\?, 4, 4, 2\]/, /\[batch, classes\]/);
    const r3 = tf.sequential({
      layers: [tf.layers.conv2d({ inputShape: [4, 4, 1], filters: 2, kernelSize: 1 }), tf.layers.reshape({ targetShape: [16, 2] })],
    });
    await expectModelError(loadModelFromFiles(asFiles(await saveModel(r3, 1))), 'bad-output', /\[\?, 16, 2\]/);
    r4.dispose();
    r3.dispose();
  });

  it('NaN in a weight → nan-weights naming the weight', async () => {
    const s = clone(good);
    // Weights are stored in spec order: conv/kernel (36 floats), conv/bias (4), dense/kernel … Poison dense/kernel[0].
    const specs = s.json.weightsManifest[0]?.weights ?? [];
    const idx = specs.findIndex((w) => w.name.includes('dense') && w.name.includes('kernel'));
    const offset = specs.slice(0, idx).reduce((a, w) => a + w.shape.reduce((p, q) => p * q, 1) * 4, 0);
    const all = new Uint8Array([...s.shards.values()].flatMap((b) => Array.from(b)));
    new DataView(all.buffer).setFloat32(offset, NaN, true);
    new DataView(all.buffer).setFloat32(offset + 4, NaN, true);
    const poisoned = splitIntoShards(s.json, specs, all, 2);
    await expectModelError(loadModelFromFiles(asFiles(poisoned)), 'nan-weights', new RegExp(`“${specs[idx]?.name}”`), /2 NaN/);
  });

  it('an unsupported op in a graph model → unknown-op naming it', async () => {
    await expectModelError(loadModelFromFiles(asFiles(makeGraphModel({ reluOp: 'NotARealOp' }))), 'unknown-op', /“NotARealOp”/);
  });

  it('labels that do not fit the model → bad-card', async () => {
    const files = [...asFiles(good), fileLike('labels.txt', 'a\nb\n')];
    await expectModelError(loadModelFromFiles(files), 'bad-card', /2 labels but the model gives 3 scores/);
  });
});

describe('from a URL', () => {
  const base = 'https://models.example.org/net/';
  let routes: Map<string, Uint8Array | number>;
  beforeAll(async () => {
    const m = makeCnn();
    const saved = await saveModel(m, 2);
    m.dispose();
    routes = new Map<string, Uint8Array | number>([[`${base}model.json`, new TextEncoder().encode(JSON.stringify(saved.json))]]);
    for (const [n, b] of saved.shards) routes.set(base + n, b);
  });

  it('loads model.json and shards relative to it', async () => {
    const loaded = await loadModelFromUrl(`${base}model.json`, { fetch: fakeFetch(routes) });
    expect(loaded.info.numClasses).toBe(3);
    expect(loaded.info.name).toBe('net');
    expect(loaded.sourceDescription).toBe(`${base}model.json`);
    loaded.model.dispose();
  });

  it('explains CORS for a TypeError on a cross-origin URL', async () => {
    await expectModelError(loadModelFromUrl(`${base}model.json`, { fetch: fakeFetch(routes, () => true) }), 'cors', /the server at https:\/\/models\.example\.org does not allow this page to read the file \(CORS\)/);
  });

  it('404 for model.json → not-found; 404 for a shard → missing-weights; 500 → network', async () => {
    await expectModelError(loadModelFromUrl(`${base}nope.json`, { fetch: fakeFetch(routes) }), 'not-found', /404 not found/);
    const r2 = new Map(routes);
    r2.delete(`${base}group1-shard1of2.bin`);
    await expectModelError(loadModelFromUrl(`${base}model.json`, { fetch: fakeFetch(r2) }), 'missing-weights', /group1-shard1of2\.bin/);
    const r3 = new Map(routes);
    r3.set(`${base}group1-shard2of2.bin`, 500);
    await expectModelError(loadModelFromUrl(`${base}model.json`, { fetch: fakeFetch(r3) }), 'network', /500 Internal Server Error/);
  });

  it('loads a bundled manifest entry with its preset and checks it against the model', async () => {
    const entry: ManifestModel = {
      id: 'net',
      name: 'Net',
      version: '1',
      task: 'image-classification',
      format: 'layers',
      modelUrl: 'model.json',
      inputShape: [8, 8, 1],
      preprocessing: { height: 8, width: 8, channels: 1, channelOrder: 'rgb', normalization: 'zero-one', resize: 'center-crop' },
      labels: ['a', 'b', 'c'],
      outputKind: 'softmax',
      provenance: 'test',
      datasetId: 'ds',
    };
    const loaded = await loadManifestModel(entry, `${base}manifest.json`, { fetch: fakeFetch(routes) });
    expect(loaded.info).toMatchObject({ id: 'net', source: 'bundled', labels: ['a', 'b', 'c'], datasetId: 'ds', provenance: 'test' });
    expect(loaded.info.preprocessing.resize).toBe('center-crop');
    loaded.model.dispose();
    await expectModelError(loadManifestModel({ ...entry, labels: ['a', 'b'] }, `${base}manifest.json`, { fetch: fakeFetch(routes) }), 'bad-manifest', /2 labels for 3/);
  });
});

describe('tensor memory', () => {
  it('load + dispose leaves tf.memory().numTensors at baseline (both formats, twice, also on failure)', async () => {
    const m = makeCnn();
    const saved = await saveModel(m, 2);
    m.dispose();
    const bad = tf.sequential({ layers: [tf.layers.conv2d({ inputShape: [4, 4, 1], filters: 2, kernelSize: 1 })] });
    const badSaved = await saveModel(bad, 1);
    bad.dispose();
    const before = tf.memory().numTensors;
    for (let round = 0; round < 2; round++) {
      const a = await loadModelFromFiles(asFiles(saved));
      a.model.dispose();
      const g = await loadModelFromFiles(asFiles(makeGraphModel()));
      g.model.dispose();
      await expect(loadModelFromFiles(asFiles(badSaved))).rejects.toThrow(ModelError);
      expect(tf.memory().numTensors).toBe(before);
    }
  });
});

describe('the bundled models (real files from scripts/train)', () => {
  it('load as a user folder selection with their card.json + labels.json, and match the manifest', async () => {
    const { readFileSync, readdirSync } = await import('node:fs');
    const { parseManifest } = await import('./manifest');
    const root = new URL('../../models/', import.meta.url);
    const manifest = parseManifest(readFileSync(new URL('manifest.json', root), 'utf8'));
    for (const entry of manifest.models) {
      const dir = entry.modelUrl.split('/')[0] as string;
      // Every file below the folder, as <input webkitdirectory> gives them (checkpoint subfolders included).
      const names = readdirSync(new URL(`${dir}/`, root), { recursive: true, withFileTypes: true })
        .filter((d) => d.isFile())
        .map((d) => `${d.parentPath ?? d.path}/${d.name}`.slice(new URL(`${dir}/`, root).pathname.length));
      const files = names.map((n) => fileLike(n.split('/').pop() as string, new Uint8Array(readFileSync(new URL(`${dir}/${n}`, root))), `${dir}/${n}`));
      if (dir === 'fashion-finetuned') expect(names.some((n) => n.startsWith('checkpoints/'))).toBe(true);
      const loaded = await loadModelFromFiles(files);
      try {
        expect(loaded.info.labels).toEqual(entry.labels);
        expect(loaded.info.inputShape).toEqual(entry.inputShape);
        expect(loaded.info.outputKind).toBe(entry.outputKind);
        expect(loaded.info.preprocessing).toEqual(entry.preprocessing);
        expect(loaded.info.spatialLayers.length).toBeGreaterThan(0);
        expect(loaded.card.given).toEqual(expect.arrayContaining(['labels', 'inputSize', 'normalization', 'outputKind']));
      } finally {
        loaded.model.dispose();
      }
    }
  });
});
