import { beforeAll, describe, expect, it } from 'vitest';
import { TEST_BACKENDS, switchBackend } from '@/lib/testing/backends';
import { adapterFor, expectLeakTargetAbort } from '@/lib/testing/explain';
import { linearModel, seededImage, smallCnn } from '@/lib/testing/models';
import { gradientXInput } from '../gradient-x-input/run';
import { saliency } from '../saliency/run';
import { smoothgrad } from './run';

describe.each(TEST_BACKENDS)('SmoothGrad on %s', (backend) => {
  beforeAll(async () => switchBackend(backend));

  it('noiseStdFraction 0 equals the vanilla gradient (saliency and gradient × input bases)', async () => {
    const adapter = adapterFor(smallCnn(4));
    const img = seededImage(8, 8, 3, 9);
    const common = { noiseStdFraction: 0, numSamples: 5, batchSize: 2, reduction: 'sum', absolute: false } as const;
    const sg = await smoothgrad.run(adapter, img, 1, { ...common, base: 'saliency' });
    const vanilla = await saliency.run(adapter, img, 1, { reduction: 'sum', absolute: false });
    const sgx = await smoothgrad.run(adapter, img, 1, { ...common, base: 'gradient-x-input' });
    const gxi = await gradientXInput.run(adapter, img, 1, { reduction: 'sum', absolute: false });
    expect(sg.timings.forwardPasses).toBe(3);
    for (let i = 0; i < 64; i++) {
      expect(sg.values[i]).toBeCloseTo(vanilla.values[i] as number, 5);
      expect(sgx.values[i]).toBeCloseTo(gxi.values[i] as number, 5);
    }
    adapter.dispose();
  });

  it('linear model: any noise level gives the weights exactly (gradient is constant); squared gives weights²', async () => {
    const Wt = new Float32Array(16 * 2).map((_, i) => Math.sin(i));
    const adapter = adapterFor(linearModel(4, 4, 1, 2, Wt));
    const img = seededImage(4, 4, 1);
    const plain = await smoothgrad.run(adapter, img, 0, {
      noiseStdFraction: 0.3,
      numSamples: 6,
      absolute: false,
      reduction: 'sum',
    });
    const sq = await smoothgrad.run(adapter, img, 0, {
      noiseStdFraction: 0.3,
      numSamples: 6,
      magnitude: true,
      reduction: 'sum',
    });
    expect(sq.signed).toBe(false);
    for (let p = 0; p < 16; p++) {
      expect(plain.values[p]).toBeCloseTo(Wt[p * 2] as number, 5);
      expect(sq.values[p]).toBeCloseTo((Wt[p * 2] as number) ** 2, 5);
    }
    adapter.dispose();
  });

  it('is reproducible for a seed and changes with the seed', async () => {
    const adapter = adapterFor(smallCnn(5));
    const img = seededImage(8, 8, 3, 2);
    const a = await smoothgrad.run(adapter, img, 2, { numSamples: 4, seed: 11 });
    const b = await smoothgrad.run(adapter, img, 2, { numSamples: 4, seed: 11 });
    const c = await smoothgrad.run(adapter, img, 2, { numSamples: 4, seed: 12 });
    expect(Array.from(a.values)).toEqual(Array.from(b.values));
    expect(Array.from(a.values)).not.toEqual(Array.from(c.values));
    adapter.dispose();
  });

  it('no leaks, target checks, cancellation between chunks, progress per chunk', async () => {
    const adapter = adapterFor(smallCnn(1));
    const img = seededImage(8, 8, 3);
    await expectLeakTargetAbort(smoothgrad, adapter, img, 1, {
      config: { numSamples: 4, batchSize: 2 },
      abortConfig: { numSamples: 6, batchSize: 2 },
      midRun: true,
    });
    const progress: number[] = [];
    await smoothgrad.run(adapter, img, 1, { numSamples: 5, batchSize: 2 }, { onProgress: (f) => progress.push(f) });
    expect(progress).toEqual([0.4, 0.8, 1]);
    adapter.dispose();
  });
});
