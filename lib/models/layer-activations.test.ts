/**
 * `layerActivations` (forward only, the Activations panel) gives exactly the activations that
 * `layerGradients` returns at the same cut, for the three formats — a LayersModel with residual blocks, a
 * converted graph model with fused convolutions, an ONNX export — at every spatial layer offered; one call
 * counted; no tensor left.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import type { ModelAdapter } from '@/lib/explain/types';
import { switchBackend } from '@/lib/testing/backends';
import { corpusAdapter } from '@/lib/testing/corpus';
import { twoImageBatch } from '@/lib/testing/gradient-batches';
import { loadOnnxModel } from './onnx/load';
import { corpusEntry, corpusFiles } from './onnx/test-corpus';


describe('layer activations, forward only (wasm)', () => {
  const adapters = new Map<string, ModelAdapter>();
  beforeAll(async () => {
    await switchBackend('wasm');
    adapters.set('layers: built/residual', await corpusAdapter('built/residual'));
    adapters.set('graph: human/liveness', await corpusAdapter('human/liveness'));
    adapters.set('onnx: resnet18', (await loadOnnxModel(corpusFiles(corpusEntry('resnet18')), {})).adapter);
  }, 120_000);
  afterAll(() => adapters.forEach((a) => a.dispose()));

  it.each(['layers: built/residual', 'graph: human/liveness', 'onnx: resnet18'])(
    '%s: the same activations as layerGradients at every spatial layer',
    async (name) => {
      const adapter = adapters.get(name) as ModelAdapter;
      expect(typeof adapter.layerActivations).toBe('function');
      const { data, shape } = twoImageBatch(adapter);
      const x = tf.tensor4d(data, shape);
      const layers = adapter.info.spatialLayers;
      expect(layers.length).toBeGreaterThan(1);
      for (const layer of layers) {
        const before = tf.memory().numTensors;
        const calls = adapter.counters?.calls ?? 0;
        const a = adapter.layerActivations!(x, layer);
        expect(adapter.counters?.calls ?? 1).toBe(calls + 1);
        const r = tf.tidy(() => adapter.layerGradients(x, layer, 0).activations);
        expect(a.shape).toEqual(r.shape);
        const [av, rv] = await Promise.all([a.data(), r.data()]);
        let diff = 0;
        for (let i = 0; i < av.length; i++) diff = Math.max(diff, Math.abs((av[i] as number) - (rv[i] as number)));
        expect(diff, `${name} ${layer}`).toBe(0);
        tf.dispose([a, r]);
        expect(tf.memory().numTensors).toBe(before);
      }
      expect(() => adapter.layerActivations!(x, 'no such layer')).toThrow(/is not a (spatial )?(layer|node)/);
      x.dispose();
    },
    120_000,
  );
});
