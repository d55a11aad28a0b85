import { beforeAll, describe, expect, it } from 'vitest';
import { TEST_BACKENDS, switchBackend } from '@/lib/testing/backends';
import { adapterFor, expectLeakTargetAbortOnSmallCnn } from '@/lib/testing/explain';
import { linearModel, seededImage } from '@/lib/testing/models';
import { gradientXInput } from './run';

describe.each(TEST_BACKENDS)('gradient × input on %s', (backend) => {
  beforeAll(async () => switchBackend(backend));

  it('linear model: map = weights × input, and Σ map = logit(x) − logit(0)', async () => {
    const [H, W, K] = [4, 4, 2];
    const Wt = new Float32Array(H * W * K).map((_, i) => Math.cos(i * 0.9));
    const bias = new Float32Array([0.3, -0.7]);
    const adapter = adapterFor(linearModel(H, W, 1, K, Wt, bias));
    const img = seededImage(H, W, 1, 5);
    const a = await gradientXInput.run(adapter, img, 1, {});
    expect(a.signed).toBe(true);
    let sum = 0;
    for (let p = 0; p < H * W; p++) {
      const expected = (Wt[p * K + 1] as number) * (img.data[p] as number);
      expect(a.values[p]).toBeCloseTo(expected, 5);
      sum += a.values[p] as number;
    }
    const logit = img.data.reduce((s, x, i) => s + x * (Wt[i * K + 1] as number), 0);
    expect(sum).toBeCloseTo(logit, 4);
    adapter.dispose();
  });

  it('no leaks, target checks, cancellation', () =>
    expectLeakTargetAbortOnSmallCnn(gradientXInput, 0, { modelSeed: 2 }));
});
