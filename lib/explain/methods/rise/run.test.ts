import { beforeAll, describe, expect, it } from 'vitest';
import { TEST_BACKENDS, switchBackend } from '@/lib/testing/backends';
import { adapterFor, expectLeakTargetAbortOnSmallCnn } from '@/lib/testing/explain';
import { constantImage, oneRegionModel } from '@/lib/testing/models';
import { mulberry32 } from '../../common';
import { rise, riseMask } from './run';

const REGION = { r0: 4, r1: 8, c0: 8, c1: 12 };

describe('riseMask', () => {
  it('has the image size, values in [0,1], and a mean close to p', () => {
    const rand = mulberry32(1);
    let mean = 0;
    for (let i = 0; i < 200; i++) {
      const m = riseMask(12, 16, 4, 0.3, rand);
      expect(m.length).toBe(12 * 16);
      expect(Array.from(m).filter((v) => !(v >= 0 && v <= 1))).toEqual([]);
      mean += m.reduce((s, v) => s + v, 0) / m.length / 200;
    }
    expect(mean).toBeGreaterThan(0.25);
    expect(mean).toBeLessThan(0.35);
  });
});

describe.each(TEST_BACKENDS)('RISE on %s', (backend) => {
  beforeAll(async () => switchBackend(backend));

  it('ranks the region the model reads highest; passes = ceil(numMasks / batchSize); seeded', async () => {
    const adapter = adapterFor(oneRegionModel(12, 16, REGION));
    const img = constantImage(12, 16, 1, 0.9);
    adapter.resetCounters();
    const a = await rise.run(adapter, img, 0, { numMasks: 1000, gridSize: 6, p: 0.5, batchSize: 128, seed: 3 });
    expect(a.timings.forwardPasses).toBe(Math.ceil(1000 / 128));
    expect(adapter.counters.calls).toBe(8);
    expect(a.signed).toBe(false);
    const inRegion = (i: number) => {
      const y = Math.floor(i / 16);
      const x = i % 16;
      return y >= REGION.r0 && y < REGION.r1 && x >= REGION.c0 && x < REGION.c1;
    };
    // Rank pixels by value: the 16 top-ranked pixels (the region's size) are mostly the region's pixels,
    // and the region's mean clearly exceeds the rest's.
    const order = Array.from(a.values.keys()).sort((i, j) => (a.values[j] as number) - (a.values[i] as number));
    const topInRegion = order.slice(0, 16).filter(inRegion).length;
    expect(topInRegion).toBeGreaterThanOrEqual(12);
    const mean = (f: (i: number) => boolean) => {
      const idx = Array.from(a.values.keys()).filter(f);
      return idx.reduce((s, i) => s + (a.values[i] as number), 0) / idx.length;
    };
    expect(mean(inRegion)).toBeGreaterThan(mean((i) => !inRegion(i)) + 0.05);
    const again = await rise.run(adapter, img, 0, { numMasks: 1000, gridSize: 6, p: 0.5, batchSize: 128, seed: 3 });
    expect(Array.from(again.values)).toEqual(Array.from(a.values));
    adapter.dispose();
  });

  it('no leaks, target checks, cancellation between chunks', () =>
    expectLeakTargetAbortOnSmallCnn(rise, 1, { config: { numMasks: 20, batchSize: 8 }, midRun: true }));
});
