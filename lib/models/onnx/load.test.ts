/**
 * ONNX loading: clear errors that name the op/node/input, external data, opset 18, cards, no leaks, and the
 * CSP property of the decoder (no eval / Function). Small hand-built graphs come from
 * scripts/corpus/make_onnx_fixtures.py (committed in __fixtures__); the torchvision ones from the corpus.
 */
import * as tf from '@tensorflow/tfjs';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { switchBackend } from '@/lib/testing/backends';
import { ModelError } from '../types';
import { decodeModel, loadOnnxModel } from './index';
import { corpusEntry, corpusFiles, CORPUS_DIR, diskFile, memoryFile } from './test-corpus';

const FIX = fileURLToPath(new URL('./__fixtures__/', import.meta.url));
const fixture = (name: string) => diskFile(path.join(FIX, name));

async function loadError(files: Parameters<typeof loadOnnxModel>[0]): Promise<ModelError> {
  try {
    const m = await loadOnnxModel(files);
    m.adapter.dispose();
  } catch (e) {
    if (e instanceof ModelError) return e;
    throw e;
  }
  throw new Error('the model loaded but should not have');
}

beforeAll(() => switchBackend('cpu'));
afterAll(() => switchBackend('cpu'));

describe('ONNX loading errors', () => {
  it.each([
    ['unsupported-op.onnx', 'unknown-op', /“upsample” \(Resize\).*mode “cubic”/],
    ['dynamic-size.onnx', 'not-image-input', /dynamic height or width.*fixed image size/],
    ['vector-input.onnx', 'not-image-input', /float32 \[N, 10\].*\[batch, channels, height, width\]/],
    ['two-inputs.onnx', 'multiple-inputs', /2 inputs \(x, x2\)/],
    ['four-channels.onnx', 'not-image-input', /4 channels; only 1 \(grey\) or 3/],
    ['spatial-output.onnx', 'bad-output', /shape \[N, 4, 8, 8\].*\[batch, classes\]/],
    ['reshape-batch.onnx', 'unknown-op', /“fold_batch”.*mixes the batch dimension/],
  ])('%s → %s', async (file, code, message) => {
    const before = tf.memory().numTensors;
    const e = await loadError([fixture(file)]);
    expect(e.code).toBe(code);
    expect(e.message).toMatch(message);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('bytes that are not ONNX are refused as not-a-model', async () => {
    const e = await loadError([memoryFile('model.onnx', '{"format": "layers-model"}')]);
    expect(e.code).toBe('not-a-model');
    expect(e.message).toMatch(/model\.onnx/);
  });

  it('no .onnx among the files, or two of them', async () => {
    expect((await loadError([memoryFile('model.json', '{}')])).message).toMatch(/None of the selected files is an \.onnx/);
    expect((await loadError([fixture('two-inputs.onnx'), fixture('four-channels.onnx')])).message).toMatch(/2 \.onnx files/);
  });

  it('external data: a missing file is named; present, it is read', async () => {
    const e = corpusEntry('resnet18');
    expect(e.files).toEqual(['resnet18.onnx', 'resnet18.onnx.data']);
    const err = await loadError([diskFile(path.join(CORPUS_DIR, 'resnet18.onnx'))]);
    expect(err.code).toBe('missing-weights');
    expect(err.message).toMatch(/resnet18\.onnx\.data/);
    const short = fs.readFileSync(path.join(CORPUS_DIR, 'resnet18.onnx.data')).subarray(0, 1000);
    const err2 = await loadError([diskFile(path.join(CORPUS_DIR, 'resnet18.onnx')), memoryFile('resnet18.onnx.data', short)]);
    expect(err2.code).toBe('short-weights');
  }, 120_000);
});

describe('ONNX loading', () => {
  it('opset 18 (ReduceMean axes as an input) matches numpy', async () => {
    const ref = JSON.parse(fs.readFileSync(path.join(FIX, 'opset18-reducemean.reference.json'), 'utf8')) as { inputNCHW: number[]; shape: number[]; output: number[] };
    const { adapter, opset, info } = await loadOnnxModel([fixture('opset18-reducemean.onnx')]);
    try {
      expect(opset).toBe(18);
      expect(info.numClasses).toBe(4);
      const [n, c, h, w] = ref.shape as [number, number, number, number];
      const x = tf.tidy(() => tf.transpose(tf.tensor4d(ref.inputNCHW, [n, c, h, w]), [0, 2, 3, 1]) as tf.Tensor4D);
      const y = tf.tidy(() => adapter.runModelSpace(x));
      const got = Array.from(await y.data());
      tf.dispose([x, y]);
      expect(got.length).toBe(ref.output.length);
      got.forEach((v, i) => expect(v).toBeCloseTo(ref.output[i] as number, 4));
    } finally {
      adapter.dispose();
    }
  });

  it('reads shapes, Grad-CAM layers, parameters, card and labels; loads and disposes without leaks', async () => {
    const e = corpusEntry('squeezenet1_1');
    const labels = Array.from({ length: 1000 }, (_, i) => `class ${i}`).join('\n');
    const files = [...corpusFiles(e), memoryFile('labels.txt', labels), memoryFile('card.json', JSON.stringify({ name: 'Squeeze', normalization: 'imagenet' }))];
    const before = tf.memory().numTensors;
    for (let k = 0; k < 2; k++) {
      const m = await loadOnnxModel(files);
      expect(m.info.format).toBe('onnx');
      expect(m.info.name).toBe('Squeeze');
      expect(m.info.inputShape).toEqual([64, 64, 3]);
      expect(m.info.labels[999]).toBe('class 999');
      expect(m.info.preprocessing.normalization).toBe('imagenet');
      expect(m.info.outputKind).toBe('logits');
      expect(m.info.paramCount).toBe(1235496); // torchvision squeezenet1_1
      expect(m.info.spatialLayers.length).toBeGreaterThan(10);
      expect(m.info.layers.find((l) => l.name === m.info.spatialLayers.at(-1))?.className).toBe('Relu');
      expect(m.sourceDescription).toMatch(/ONNX opset 16 \(pytorch/);
      m.adapter.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  }, 120_000);

  it('a static-batch export (Reshape to [1, -1]) runs any batch size, rows independent', async () => {
    const { adapter } = await loadOnnxModel([fixture('static-batch-reshape.onnx')]);
    try {
      const before = tf.memory().numTensors;
      const [all, rows] = tf.tidy(() => {
        const x = tf.randomUniform([3, 8, 8, 3], 0, 1, 'float32', 3) as tf.Tensor4D;
        const y = adapter.runModelSpace(x).arraySync();
        const single = [0, 1, 2].map((i) => adapter.runModelSpace(tf.slice(x, [i, 0, 0, 0], [1, -1, -1, -1])).arraySync()[0] as number[]);
        return [y, single];
      });
      expect(all.length).toBe(3);
      all.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo((rows[i] as number[])[j] as number, 5)));
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      adapter.dispose();
    }
  });

  it('a Softmax output is detected as probabilities', async () => {
    const m = await loadOnnxModel(corpusFiles(corpusEntry('ops_zoo')));
    try {
      expect(m.info.outputKind).toBe('softmax');
    } finally {
      m.adapter.dispose();
    }
  });
});

describe('CSP: the decoder needs no eval', () => {
  it('decodes a model while Function and eval throw', async () => {
    const bytes = new Uint8Array(await diskFile(path.join(CORPUS_DIR, 'mobilenet_v2.onnx')).arrayBuffer());
    const fn = vi.spyOn(globalThis, 'Function').mockImplementation(() => {
      throw new EvalError('Function blocked by CSP');
    });
    const ev = vi.spyOn(globalThis, 'eval').mockImplementation(() => {
      throw new EvalError('eval blocked by CSP');
    });
    try {
      const m = decodeModel(bytes, 'mobilenet_v2.onnx');
      expect(m.graph?.node.length).toBeGreaterThan(50);
      expect(fn).not.toHaveBeenCalled();
      expect(ev).not.toHaveBeenCalled();
    } finally {
      fn.mockRestore();
      ev.mockRestore();
    }
  });

  it('the generated decoder and the protobufjs runtime it loads contain no eval or Function constructor', () => {
    const root = process.cwd();
    const files = [
      path.join(root, 'lib/models/onnx/onnx-proto.js'),
      ...['minimal.js', 'src/index-minimal.js', 'src/reader.js', 'src/reader_buffer.js', 'src/util/minimal.js', 'src/roots.js'].map((f) => path.join(root, 'node_modules/protobufjs', f)),
    ];
    for (const f of files) {
      const src = fs.readFileSync(f, 'utf8');
      expect(src, f).not.toMatch(/\beval\s*\(|new Function\s*\(|\bFunction\s*\(/);
    }
  });
});
