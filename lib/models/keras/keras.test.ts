/**
 * Every Keras fixture (saved by real Keras 3.15.1), in both formats, on the CPU and WASM backends:
 * loads, matches Keras' own output (max |ours − Keras| / max |Keras| < 1e-4) through `model.predict`
 * AND through the layers adapter (our layer interpreter, the path explanations take), reloads from its
 * canonical package with the same output, and leaks no tensors.
 */
import { afterAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { createLayersAdapter } from '@/lib/models/adapter';
import { loadModelFromPackage } from '@/lib/models/load';
import { switchBackend, TEST_BACKENDS } from '@/lib/testing/backends';
import { isKerasFileName, loadKerasModel, sniffKeras } from './load';
import { FIXTURE_NAMES, fixtureFile, readFixtureBytes, readReference, textFile, type KerasReference } from './__fixtures__/fixtures';

const TOL = 1e-4;

/** max |a − ref| / max |ref| over all values (ref's scale guards against large logits). */
function relDiff(a: ArrayLike<number>, ref: readonly number[]): number {
  expect(a.length).toBe(ref.length);
  let d = 0;
  let scale = 0;
  for (let i = 0; i < ref.length; i++) {
    d = Math.max(d, Math.abs((a[i] as number) - (ref[i] as number)));
    scale = Math.max(scale, Math.abs(ref[i] as number));
  }
  expect(scale).toBeGreaterThan(0);
  return d / scale;
}

function predict(model: tf.LayersModel, ref: KerasReference): Float32Array {
  return tf.tidy(() => (model.predict(tf.tensor(ref.input, ref.input_shape)) as tf.Tensor).dataSync() as Float32Array);
}

afterAll(async () => switchBackend('cpu'));

describe.each(TEST_BACKENDS)('Keras fixtures on %s', (backend) => {
  for (const name of FIXTURE_NAMES) {
    for (const ext of ['keras', 'h5'] as const) {
      it(`${name}.${ext}: loads, matches Keras, reloads from its package`, async () => {
        await switchBackend(backend);
        const ref = readReference(name);
        const [, h, w, c] = ref.input_shape;
        const loaded = await loadKerasModel([fixtureFile(`${name}.${ext}`)]);
        let reloaded: Awaited<ReturnType<typeof loadModelFromPackage>> | undefined;
        // The adapter takes ownership of the model (its dispose() disposes the model).
        const adapter = createLayersAdapter(loaded.model, loaded.info);
        try {
          expect(loaded.kerasFormat).toBe(ext);
          expect(loaded.sourceDescription).toMatch(ext === 'keras' ? /Keras 3 file/ : /legacy Keras HDF5 file/);
          expect(loaded.sourceDescription).toMatch(/3\.15\.1/);
          expect(loaded.info.format).toBe('layers');
          expect(loaded.info.inputShape).toEqual([h, w, c]);
          expect(loaded.info.outputShape).toEqual([null, ref.output_shape[1]]);
          expect(loaded.info.paramCount).toBe(ref.params);
          // The reference says 'probabilities' for a softmax head; our output kinds name it 'softmax' (output-kind.ts).
          expect(loaded.info.outputKind).toBe(ref.output_kind === 'probabilities' ? 'softmax' : ref.output_kind);
          expect(loaded.info.spatialLayers.length).toBeGreaterThan(0);
          expect(loaded.warnings).toEqual([]);

          expect(relDiff(predict(loaded.model, ref), ref.output)).toBeLessThan(TOL);

          // The adapter runs the model through our layer interpreter (unfused convs, portable depthwise).
          const viaAdapter = tf.tidy(() => adapter.scores(tf.tensor4d(ref.input, ref.input_shape)).dataSync() as Float32Array);
          expect(relDiff(viaAdapter, ref.output)).toBeLessThan(TOL);

          reloaded = await loadModelFromPackage(loaded.package, { name: 'reloaded' });
          expect(reloaded.info.paramCount).toBe(ref.params);
          expect(relDiff(predict(reloaded.model as tf.LayersModel, ref), ref.output)).toBeLessThan(TOL);
        } finally {
          adapter.dispose();
          reloaded?.model.dispose();
        }
      });
    }
  }

  it('loading and disposing leaks no tensors (both formats, twice)', async () => {
    await switchBackend(backend);
    for (const ext of ['keras', 'h5']) {
      const before = tf.memory().numTensors;
      for (let i = 0; i < 2; i++) {
        const m = await loadKerasModel([fixtureFile(`residual.${ext}`)]);
        m.model.dispose();
      }
      expect(tf.memory().numTensors, ext).toBe(before);
    }
  });
});

describe('card and labels beside the Keras file', () => {
  it('uses labels.txt and card.json, with the card fields applied', async () => {
    await switchBackend('cpu');
    const loaded = await loadKerasModel([
      fixtureFile('residual.keras'),
      textFile('labels.txt', 'circle\nsquare\ntriangle\n'),
      textFile('card.json', JSON.stringify({ name: 'Shapes', normalization: 'minus-one-one' })),
    ]);
    try {
      expect(loaded.info.labels).toEqual(['circle', 'square', 'triangle']);
      expect(loaded.info.name).toBe('Shapes');
      expect(loaded.info.preprocessing.normalization).toBe('minus-one-one');
      expect(loaded.card.given).toContain('labels');
    } finally {
      loaded.model.dispose();
    }
  });

  it('names the model after the file when nothing else does', async () => {
    const loaded = await loadKerasModel([fixtureFile('small-cnn.h5')], { id: 'k1' });
    try {
      expect(loaded.info.name).toBe('small-cnn');
      expect(loaded.info.id).toBe('k1');
      expect(loaded.info.labels).toEqual(['class 0', 'class 1', 'class 2', 'class 3']);
    } finally {
      loaded.model.dispose();
    }
  });

  it('reports monotone progress through read, build and inspect, ending at 1', async () => {
    await switchBackend('cpu');
    for (const ext of ['keras', 'h5']) {
      const calls: [number, string][] = [];
      const loaded = await loadKerasModel([fixtureFile(`residual.${ext}`)], { onProgress: (f, stage) => calls.push([f, stage]) });
      loaded.model.dispose();
      const fractions = calls.map((c) => c[0]);
      expect(fractions.every((f, i) => i === 0 || f >= (fractions[i - 1] as number)), ext).toBe(true);
      expect(calls[calls.length - 1], ext).toEqual([1, 'inspect']);
      expect(new Set(calls.map((c) => c[1])), ext).toEqual(new Set(['read', 'build', 'inspect']));
      // Weight reading reports in between (one call per weight array).
      expect(calls.filter(([f, s]) => s === 'read' && f > 0.05 && f <= 0.7).length, ext).toBeGreaterThan(5);
    }
  });

  it('tells the formats apart by name and by their first bytes (for the loader dispatch)', () => {
    expect(['a.keras', 'B.H5', 'c.hdf5'].map(isKerasFileName)).toEqual([true, true, true]);
    expect(['model.json', 'weights.bin', 'model.onnx', 'h5'].map(isKerasFileName)).toEqual([false, false, false, false]);
    expect(sniffKeras(readFixtureBytes('residual.keras').subarray(0, 8))).toBe('keras');
    expect(sniffKeras(readFixtureBytes('residual.h5').subarray(0, 8))).toBe('h5');
    expect(sniffKeras(new TextEncoder().encode('{"modelTopology": {}}'))).toBeUndefined();
  });
});
