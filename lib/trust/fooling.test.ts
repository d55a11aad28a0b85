import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { adapterFor } from '@/lib/testing/explain';
import { linearModel, smallCnn } from '@/lib/testing/models';
import { switchBackend, TEST_BACKENDS } from '@/lib/testing/backends';
import { mulberry32 } from '@/lib/random';
import { foolingImage, roll } from './fooling';

describe('roll', () => {
  it('shifts with wrap-around and back', () => {
    const d = Float32Array.from([1, 2, 3, 4, 5, 6]); // 2×3×1
    const shape = { height: 2, width: 3, channels: 1 };
    expect([...roll(d, shape, 0, 1)]).toEqual([3, 1, 2, 6, 4, 5]);
    expect([...roll(roll(d, shape, 1, -2), shape, -1, 2)]).toEqual([...d]);
  });
});

describe.each(TEST_BACKENDS)('fooling images (%s)', (backend) => {
  beforeAll(() => switchBackend(backend));

  it('raises the class probability monotonically on a small (linear) model, without regularisers', async () => {
    const rand = mulberry32(2);
    const adapter = adapterFor(
      linearModel(
        6,
        6,
        1,
        3,
        Float32Array.from({ length: 108 }, () => rand() - 0.5),
      ),
    );
    try {
      const r = await foolingImage(adapter, { height: 6, width: 6, channels: 1 }, 2, { steps: 20, regularise: false });
      for (let i = 1; i < r.trajectory.length; i++)
        expect(r.trajectory[i]).toBeGreaterThanOrEqual((r.trajectory[i - 1] as number) - 1e-6);
      expect(r.trajectory[20]).toBeGreaterThan((r.trajectory[0] as number) + 0.3);
      for (const v of r.data) expect(v >= 0 && v <= 1).toBe(true);
    } finally {
      adapter.dispose();
    }
  });

  it('with jitter and blur on a CNN it still climbs; no tensor left behind; cancel; bad target', async () => {
    const adapter = adapterFor(smallCnn(1));
    try {
      const shape = { height: 8, width: 8, channels: 3 };
      const r = await foolingImage(adapter, shape, 1, { steps: 12, start: 'noise' });
      expect(r.trajectory[12]).toBeGreaterThan(r.trajectory[0] as number);
      const before = tf.memory().numTensors;
      await foolingImage(adapter, shape, 1, { steps: 4 });
      await foolingImage(adapter, shape, 1, { steps: 4 });
      expect(tf.memory().numTensors).toBe(before);
      const ctl = new AbortController();
      await expect(
        foolingImage(adapter, shape, 1, { steps: 8, signal: ctl.signal, onProgress: () => ctl.abort() }),
      ).rejects.toMatchObject({ name: 'AbortError' });
      expect(tf.memory().numTensors).toBe(before);
      await expect(foolingImage(adapter, shape, 3)).rejects.toThrow(/out of range/);
    } finally {
      adapter.dispose();
    }
  });
});
