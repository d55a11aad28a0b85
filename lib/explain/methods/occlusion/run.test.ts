import { beforeAll, describe, expect, it } from 'vitest';
import { TEST_BACKENDS, switchBackend } from '@/lib/testing/backends';
import { adapterFor, expectLeakTargetAbort } from '@/lib/testing/explain';
import { constantImage, oneRegionModel, seededImage, smallCnn } from '@/lib/testing/models';
import { occlusion, occlusionPasses, windowStarts } from './run';

const REGION = { r0: 4, r1: 8, c0: 8, c1: 12 }; // rows 4–7, cols 8–11 of a 12×16 image

describe('windowStarts', () => {
  it('regular steps plus a final window flush with the edge', () => {
    expect(windowStarts(12, 4, 4)).toEqual([0, 4, 8]);
    expect(windowStarts(10, 4, 4)).toEqual([0, 4, 6]);
    expect(windowStarts(5, 8, 2)).toEqual([0]);
    expect(windowStarts(16, 4, 2)).toEqual([0, 2, 4, 6, 8, 10, 12]);
  });
});

describe.each(TEST_BACKENDS)('occlusion on %s', (backend) => {
  beforeAll(async () => switchBackend(backend));

  it('lights only windows covering the region the model reads; passes = ceil(windows / batchSize) + 1', async () => {
    const adapter = adapterFor(oneRegionModel(12, 16, REGION));
    const img = constantImage(12, 16, 1, 0.8);
    const config = { windowSize: 4, stride: 2, batchSize: 7, fill: 'zero' as const };
    adapter.resetCounters();
    const a = await occlusion.run(adapter, img, 0, config);
    const windows = windowStarts(12, 4, 2).length * windowStarts(16, 4, 2).length; // 5 × 7 = 35
    expect(windows).toBe(35);
    expect(a.timings.forwardPasses).toBe(Math.ceil(35 / 7) + 1);
    expect(a.timings.forwardPasses).toBe(occlusionPasses(12, 16, config));
    expect(adapter.counters.calls).toBe(a.timings.forwardPasses);
    expect(adapter.counters.images).toBe(35 + 1);
    expect(a.scoreKind).toBe('probability');
    for (let y = 0; y < 12; y++) {
      for (let x = 0; x < 16; x++) {
        const v = a.values[y * 16 + x] as number;
        // A pixel gets a non-zero value iff some window covering it overlaps the region.
        const ys = windowStarts(12, 4, 2).filter((s) => s <= y && y < s + 4);
        const xs = windowStarts(16, 4, 2).filter((s) => s <= x && x < s + 4);
        const touches =
          ys.some((s) => s < REGION.r1 && s + 4 > REGION.r0) && xs.some((s) => s < REGION.c1 && s + 4 > REGION.c0);
        if (touches) expect(v).toBeGreaterThan(1e-4);
        else expect(Math.abs(v)).toBeLessThan(1e-6);
      }
    }
    // The region's centre gets the largest drop; the drop there equals the exact probability drop when every
    // window covering it hides the whole region… here windows are smaller, so check the ordering instead.
    const inside = a.values[6 * 16 + 10] as number;
    const edge = a.values[2 * 16 + 6] as number;
    expect(inside).toBeGreaterThan(edge);
    adapter.dispose();
  });

  it('exact drop for a window that hides the whole region; per-class maps from the same passes', async () => {
    const adapter = adapterFor(oneRegionModel(12, 16, REGION));
    const img = constantImage(12, 16, 1, 0.5);
    // One 4×4 window exactly on the region (stride 4 aligns with rows 4 and cols 8).
    const a = await occlusion.run(adapter, img, 0, { windowSize: 4, stride: 4, batchSize: 64, classes: [1] });
    const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
    const pRef = sigmoid(0.5 * 16 * 0.5 - 2);
    const pOcc = sigmoid(-2);
    expect(a.values[5 * 16 + 9]).toBeCloseTo(pRef - pOcc, 5);
    expect(a.values[0]).toBeCloseTo(0, 6);
    const per = a.extras.perClass;
    expect(per.classes).toEqual([0, 1]);
    // Two classes: P(1) = 1 − P(0), so the class-1 map is the negative of the class-0 map.
    per.maps[1]!.forEach((v, i) => expect(v).toBeCloseTo(-(a.values[i] as number), 6));
    adapter.dispose();
  });

  it('fills: grey and mean replace by 0.5 / the image mean (a constant image gives no drop with mean fill)', async () => {
    const adapter = adapterFor(oneRegionModel(12, 16, REGION));
    const mean = await occlusion.run(adapter, constantImage(12, 16, 1, 0.3), 0, {
      windowSize: 4,
      stride: 4,
      fill: 'mean',
    });
    expect(mean.values.length).toBe(12 * 16);
    expect(Math.max(...Array.from(mean.values, Math.abs))).toBeLessThan(1e-6);
    const grey = await occlusion.run(adapter, constantImage(12, 16, 1, 0.3), 0, {
      windowSize: 4,
      stride: 4,
      fill: 'grey',
    });
    expect(grey.values[5 * 16 + 9]).toBeLessThan(0); // grey is brighter than 0.3: hiding raises P(0)
    const blur = await occlusion.run(adapter, seededImage(12, 16, 1), 0, { windowSize: 4, stride: 4, fill: 'blur' });
    expect(blur.values.length).toBe(12 * 16);
    expect(Array.from(blur.values).filter((v) => !Number.isFinite(v))).toEqual([]);
    // The blurred fill of a non-constant image differs from the image, so the region's windows move P(0).
    expect(Math.abs(blur.values[5 * 16 + 9] as number)).toBeGreaterThan(1e-6);
    adapter.dispose();
  });

  it('no leaks, target checks, cancellation between chunks', async () => {
    const adapter = adapterFor(smallCnn(1));
    const img = seededImage(8, 8, 3);
    await expectLeakTargetAbort(occlusion, adapter, img, 1, {
      config: { windowSize: 4, stride: 2, batchSize: 4 },
      midRun: true,
    });
    await expect(occlusion.run(adapter, img, 1, { classes: [7] })).rejects.toThrow(/out of range/);
    adapter.dispose();
  });
});
