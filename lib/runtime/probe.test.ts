/**
 * The capability probe on real loaders and backends (Node, CPU and WASM): the bundled model runs every
 * method; a graph with GatherV2 refuses the input-gradient methods on WASM only (naming UnsortedSegmentSum,
 * offering CPU) and keeps Grad-CAM; a graph with Cumprod refuses every gradient method on every backend
 * (no gradient in TF.js) and keeps occlusion and RISE. Tensor counts return to their baseline, twice.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { compatibleMethods } from '@/lib/explain/registry';
import type { ModelAdapter } from '@/lib/explain/types';
import { createGraphAdapter, createLayersAdapter } from '@/lib/models/adapter';
import { loadModelFromFiles, type FileLike } from '@/lib/models/load';
import { isGraphModel } from '@/lib/models/validate';
import { switchBackend, tensorCountAround, TEST_BACKENDS, type TestBackend } from '@/lib/testing/backends';
import { CORPUS } from '@/lib/testing/corpus';
import { FAST_CHECKS, probeBatch, probeModel } from './probe';
import { probeFixtureFiles } from './probe-fixtures';

const AVAILABLE = ['wasm', 'cpu'] as const;

async function adapterOf(files: FileLike[]): Promise<ModelAdapter> {
  const loaded = await loadModelFromFiles(files, { source: 'user' });
  return isGraphModel(loaded.model)
    ? createGraphAdapter(loaded.model, loaded.info)
    : createLayersAdapter(loaded.model as tf.LayersModel, loaded.info);
}

const GRADIENT_METHODS = ['saliency', 'gradient-x-input', 'smoothgrad', 'integrated-gradients', 'guided-ig'];

describe('probeBatch', () => {
  it('is seeded noise in [0, 1) then mid-grey, [2, h, w, c]', () => {
    const a = probeBatch([3, 2, 1], 5);
    expect(a).toHaveLength(12);
    expect(Array.from(a.subarray(6))).toEqual([0.5, 0.5, 0.5, 0.5, 0.5, 0.5]);
    expect(Array.from(a.subarray(0, 6)).every((v) => v >= 0 && v < 1)).toBe(true);
    expect(new Set(a.subarray(0, 6)).size).toBe(6);
    expect(probeBatch([3, 2, 1], 5)).toEqual(a);
  });
});

describe.each(TEST_BACKENDS)('probeModel on %s', (backend: TestBackend) => {
  beforeAll(() => switchBackend(backend));

  it('the bundled MNIST CNN: every compatible method runs, times measured, no leak', async () => {
    const entry = CORPUS.find((e) => e.id === 'bundled/mnist-cnn');
    if (!entry) throw new Error('bundled/mnist-cnn is missing from the corpus');
    const adapter = await adapterOf(await entry.files());
    const expected = compatibleMethods(adapter.info).map((m) => m.id);
    expect(expected.length).toBeGreaterThanOrEqual(8);
    const probe = await probeModel(adapter, { backend, available: AVAILABLE });
    expect(Object.keys(probe.methods).sort()).toEqual([...expected].sort());
    for (const id of expected) expect(probe.methods[id], id).toMatchObject({ ok: true, elsewhere: [] });
    expect(probe.checks.layerGradients?.ok).toBe(true);
    expect(probe.forwardMs).toBeGreaterThan(0);
    expect(probe.totalMs).toBeGreaterThanOrEqual(probe.forwardMs);
    expect(probe.complete).toBe(true);
    const counts = await tensorCountAround(() => probeModel(adapter, { backend, available: AVAILABLE }));
    expect(counts.after).toBe(counts.before);
    adapter.dispose();
  });

  it('two phases: the fast checks give Grad-CAM, occlusion and RISE; the second completes, keeping the first', async () => {
    const adapter = await adapterOf(probeFixtureFiles('gather'));
    const fast = await probeModel(adapter, { backend, available: AVAILABLE, capabilities: FAST_CHECKS });
    expect(fast.complete).toBe(false);
    expect(fast.checks.inputGradients).toBeUndefined();
    expect(Object.keys(fast.methods).sort()).toEqual(['grad-cam', 'grad-cam-plus-plus', 'occlusion', 'rise']);
    const full = await probeModel(adapter, { backend, available: AVAILABLE, previous: fast });
    expect(full.complete).toBe(true);
    expect(full.checks.layerGradients).toBe(fast.checks.layerGradients);
    expect(full.methods.saliency?.ok).toBe(backend !== 'wasm');
    // A previous probe from another backend is not reused.
    const other = await probeModel(adapter, {
      backend,
      available: AVAILABLE,
      capabilities: FAST_CHECKS,
      previous: { ...full, backend: backend === 'cpu' ? 'wasm' : 'cpu' },
    });
    expect(other.complete).toBe(false);
    const counts = await tensorCountAround(() =>
      probeModel(adapter, { backend, available: AVAILABLE, capabilities: FAST_CHECKS }),
    );
    expect(counts.after).toBe(counts.before);
    adapter.dispose();
  });

  it('GatherV2 on the channels: input gradients refused on WASM only, with the kernel and CPU named', async () => {
    const adapter = await adapterOf(probeFixtureFiles('gather'));
    expect(adapter.info.spatialLayers).toContain('relu1');
    const probe = await probeModel(adapter, { backend, available: AVAILABLE });
    expect(probe.methods['grad-cam']?.ok).toBe(true);
    expect(probe.methods.occlusion?.ok).toBe(true);
    for (const id of GRADIENT_METHODS) {
      const v = probe.methods[id as 'saliency'];
      if (backend === 'wasm') {
        expect(v, id).toMatchObject({ ok: false, elsewhere: ['cpu'] });
        expect(v?.reason).toBe(
          "The input gradient of this model needs the 'UnsortedSegmentSum' kernel, which the WASM backend does not have.",
        );
      } else expect(v, id).toMatchObject({ ok: true });
    }
    const counts = await tensorCountAround(() => probeModel(adapter, { backend, available: AVAILABLE }));
    expect(counts.after).toBe(counts.before);
    adapter.dispose();
  });

  it('Cumprod (no gradient in TF.js): every gradient method refused everywhere, black-box methods kept', async () => {
    const adapter = await adapterOf(probeFixtureFiles('cumprod'));
    const probe = await probeModel(adapter, { backend, available: AVAILABLE });
    for (const id of [...GRADIENT_METHODS, 'grad-cam', 'grad-cam-plus-plus']) {
      const v = probe.methods[id as 'saliency'];
      expect(v?.ok, id).toBe(false);
      expect(v?.elsewhere, id).toEqual([]);
      expect(v?.reason, id).toMatch(/needs the gradient of the 'Cumprod' op, which TensorFlow\.js does not have/);
    }
    expect(probe.methods.occlusion).toMatchObject({ ok: true });
    expect(probe.methods.rise).toMatchObject({ ok: true });
    const counts = await tensorCountAround(() => probeModel(adapter, { backend, available: AVAILABLE }));
    expect(counts.after).toBe(counts.before);
    adapter.dispose();
  });
  it('a real run whose gradient fails (Cumprod) throws the named reason and leaves no tensor behind, twice', async () => {
    const adapter = await adapterOf(probeFixtureFiles('cumprod'));
    const [h, w, c] = adapter.info.inputShape;
    const layer = adapter.info.spatialLayers.at(-1) as string;
    const x = tf.fill([1, h, w, c], 0.5) as tf.Tensor4D;
    const fail = async () => {
      expect(() => adapter.inputGradients(x, 0)).toThrow(/Cumprod/);
      expect(() => adapter.layerGradients(x, layer, 0)).toThrow(/Cumprod/);
    };
    const counts = await tensorCountAround(fail);
    expect(counts.after).toBe(counts.before);
    x.dispose();
    adapter.dispose();
  });
});
