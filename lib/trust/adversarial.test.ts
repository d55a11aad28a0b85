import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { adapterFor } from '@/lib/testing/explain';
import { constantImage, linearModel, seededImage, smallCnn } from '@/lib/testing/models';
import { switchBackend, TEST_BACKENDS } from '@/lib/testing/backends';
import { mulberry32 } from '@/lib/random';
import { attack, fgsmFlipEpsilon, pgdFlipEpsilon, project, withNoise } from './adversarial';

const H = 4;
const W = 4;
const N = H * W;
/** Two classes with w1 = −w0: logit margin z0 − z1 = 2·w0·x + (b0 − b1). */
function linearPair(seed = 4) {
  const rand = mulberry32(seed);
  const w0 = Float32Array.from({ length: N }, () => (rand() - 0.5) * 2);
  const weights = new Float32Array(N * 2);
  for (let i = 0; i < N; i++) {
    weights[i * 2] = w0[i] as number;
    weights[i * 2 + 1] = -(w0[i] as number);
  }
  return { w0, model: linearModel(H, W, 1, 2, weights, Float32Array.from([0.3, 0])) };
}

describe('projection and noise', () => {
  it('clips into the ε-ball and into [0, 1]', () => {
    const x = Float32Array.from([0.9, -0.2, 0.5, 1.4]);
    project(x, Float32Array.from([0.5, 0.05, 0.5, 0.98]), 0.1);
    expect([...x].map((v) => +v.toFixed(6))).toEqual([0.6, 0, 0.5, 1]);
  });
  it('noise is seeded, clipped, with about the asked spread', () => {
    const a = withNoise(new Float32Array(4000).fill(0.5), 0.1, 3);
    expect([...withNoise(new Float32Array(4000).fill(0.5), 0.1, 3)]).toEqual([...a]);
    const mean = a.reduce((s, v) => s + v, 0) / a.length;
    const sd = Math.sqrt(a.reduce((s, v) => s + (v - mean) ** 2, 0) / a.length);
    expect(mean).toBeCloseTo(0.5, 2);
    expect(sd).toBeGreaterThan(0.09);
    expect(sd).toBeLessThan(0.11);
  });
});

describe.each(TEST_BACKENDS)('FGSM / PGD (%s)', (backend) => {
  beforeAll(() => switchBackend(backend));

  it('on a linear model FGSM moves along −sign(w) and the flip ε matches the closed form', async () => {
    const { w0, model } = linearPair();
    const adapter = adapterFor(model);
    try {
      const input = constantImage(H, W, 1, 0.5);
      const r = await attack(adapter, input, 0, { epsilon: 3 / 255 });
      for (let i = 0; i < N; i++) expect(r.delta[i]).toBeCloseTo((-3 / 255) * Math.sign(w0[i] as number), 6);
      expect(r.probsAfter[0]).toBeLessThan(r.probsBefore[0] as number);
      // Margin m(ε) = 2·w0·(x − ε·sign w0) + 0.3 = m0 − 2ε·Σ|w0| (no clipping at 0.5 ± ε): flips when m(ε) < 0.
      const sumAbs = w0.reduce((s, v) => s + Math.abs(v), 0);
      const m0 = 2 * w0.reduce((s, v) => s + 0.5 * v, 0) + 0.3;
      expect(m0).toBeGreaterThan(0); // class 0 is predicted before the attack
      const closed = Math.floor((m0 / (2 * sumAbs)) * 255) + 1;
      expect(closed).toBeLessThanOrEqual(32);
      expect(await fgsmFlipEpsilon(adapter, input, 0)).toBeCloseTo(closed / 255, 10);
      // PGD (bisection over ε, 10 steps at each) reaches the same corner of the ε-ball, so the same flip ε.
      expect(await pgdFlipEpsilon(adapter, input, 0)).toBeCloseTo(closed / 255, 10);
      expect(await pgdFlipEpsilon(adapter, input, 0, { steps: 3 })).toBeCloseTo(closed / 255, 10);
      if (closed > 1) expect(await pgdFlipEpsilon(adapter, input, 0, { maxLevels: closed - 1 })).toBeNull();
      // Targeted towards class 1 on a linear pair is the same move.
      const t = await attack(adapter, input, 0, { epsilon: 3 / 255, target: 1 });
      expect([...t.delta]).toEqual([...r.delta]);
    } finally {
      adapter.dispose();
    }
  });

  it('the PGD flip search is consistent on a CNN (PGD flips at its ε, not one level below); no leak; cancel', async () => {
    const adapter = adapterFor(smallCnn(3));
    try {
      const input = seededImage(8, 8, 3);
      const k = adapter.info.numClasses;
      const p0 = await attack(adapter, input, 0, { epsilon: 0 });
      const source = p0.probsBefore.indexOf(Math.max(...p0.probsBefore));
      const flip = await pgdFlipEpsilon(adapter, input, source, { steps: 5 });
      expect(flip).not.toBeNull();
      const m = Math.round((flip as number) * 255);
      const predAt = async (levels: number) => {
        const r = await attack(adapter, input, source, { epsilon: levels / 255, steps: 5 });
        return r.probsAfter.indexOf(Math.max(...r.probsAfter.slice(0, k)));
      };
      expect(await predAt(m)).not.toBe(source);
      if (m > 1) expect(await predAt(m - 1)).toBe(source);
      const before = tf.memory().numTensors;
      await pgdFlipEpsilon(adapter, input, source, { steps: 2, maxLevels: 8 });
      await pgdFlipEpsilon(adapter, input, source, { steps: 2, maxLevels: 8 });
      expect(tf.memory().numTensors).toBe(before);
      const ctl = new AbortController();
      ctl.abort();
      await expect(pgdFlipEpsilon(adapter, input, source, { signal: ctl.signal })).rejects.toMatchObject({
        name: 'AbortError',
      });
      await expect(pgdFlipEpsilon(adapter, input, 9)).rejects.toThrow(/out of range/);
    } finally {
      adapter.dispose();
    }
  });

  it('PGD stays in the ε-ball and lowers the class at least as much as FGSM; no leak; cancel; bad input', async () => {
    const adapter = adapterFor(smallCnn(3));
    try {
      const input = seededImage(8, 8, 3);
      const eps = 4 / 255;
      const f = await attack(adapter, input, 0, { epsilon: eps });
      const p = await attack(adapter, input, 0, { epsilon: eps, steps: 5 });
      for (const v of p.delta) expect(Math.abs(v)).toBeLessThanOrEqual(eps + 1e-6);
      expect(p.probsAfter[0]).toBeLessThanOrEqual((f.probsAfter[0] as number) + 1e-6);
      const before = tf.memory().numTensors;
      await attack(adapter, input, 0, { epsilon: eps, steps: 3 });
      await fgsmFlipEpsilon(adapter, input, 0, 8);
      await attack(adapter, input, 0, { epsilon: eps, steps: 3 });
      await fgsmFlipEpsilon(adapter, input, 0, 8);
      expect(tf.memory().numTensors).toBe(before);
      const ctl = new AbortController();
      ctl.abort();
      await expect(attack(adapter, input, 0, { epsilon: eps, steps: 3, signal: ctl.signal })).rejects.toMatchObject({
        name: 'AbortError',
      });
      await expect(attack(adapter, input, 7, { epsilon: eps })).rejects.toThrow(/out of range/);
      await expect(attack(adapter, input, 0, { epsilon: 2 })).rejects.toThrow(/epsilon/);
    } finally {
      adapter.dispose();
    }
  });
});
