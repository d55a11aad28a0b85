/**
 * The contract every registered method keeps, on every backend we ship tests for (cpu, wasm). Nothing here
 * names a method: a new folder + registry line is covered automatically, with its meta's `quickConfig`.
 *   - no tensor leak (run twice after a warm-up),
 *   - bad targets (−1, K, 1.5) and a wrongly sized input rejected with an ExplainError,
 *   - cancellation: an aborted signal rejects with an AbortError; chunked methods also stop mid-run,
 *   - a finite, non-constant map of the input's size, with the metadata's signedness,
 *   - every parameter outside its spec rejected with an ExplainError (and nothing leaks meanwhile).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { TEST_BACKENDS, switchBackend } from '@/lib/testing/backends';
import { adapterFor, type CountingAdapter } from '@/lib/testing/explain';
import { seededImage, smallCnn } from '@/lib/testing/models';
import { isSigned } from './meta';
import { listMethods } from './registry';
import { ExplainError, type ExplainMethod, type ImageInput, type ParamSpec } from './types';

const METHODS = listMethods();

/** Values that break each kind of spec (none for kinds without a range). */
function outOfSpec(spec: ParamSpec, numClasses: number): unknown[] {
  switch (spec.kind) {
    case 'number': {
      const bad: unknown[] = [
        spec.min - Math.max(spec.step, 1),
        spec.max + Math.max(spec.step, 1),
        Number.NaN,
        Number.POSITIVE_INFINITY,
        '3',
      ];
      if (spec.integer) bad.push(spec.min + 0.5);
      return bad;
    }
    case 'select':
      return ['not-an-option', 0, null];
    case 'boolean':
      return ['yes', 1];
    case 'layer':
      return [3, 'no-such-layer'];
    case 'image':
      return [{ width: 1 }, 'black'];
    case 'classes':
      return [[numClasses], [-1], [0.5], 'all'];
  }
}

describe.each(TEST_BACKENDS)('method contract on %s', (backend) => {
  let adapter: CountingAdapter;
  let img: ImageInput;
  let midRunChecked = 0;
  beforeAll(async () => {
    await switchBackend(backend);
    adapter = adapterFor(smallCnn(1));
    img = seededImage(8, 8, 3);
  });
  afterAll(() => {
    adapter.dispose();
  });

  it('registers at least one method', () => {
    expect(METHODS.length).toBeGreaterThan(0);
  });

  describe.each(METHODS.map((m) => [m.id, m] as const))('%s', (id, method: ExplainMethod) => {
    const config = () => ({ ...method.quickConfig }) as Record<string, unknown>;

    it('gives a finite, non-constant map of the input size with the declared signedness', async () => {
      const a = await method.run(adapter, img, 1, config());
      expect(a.method).toBe(id);
      expect([a.width, a.height]).toEqual([8, 8]);
      expect(a.values).toBeInstanceOf(Float32Array);
      expect(a.values.length).toBe(64);
      expect(Array.from(a.values).filter((v) => !Number.isFinite(v))).toEqual([]);
      expect(Math.max(...a.values)).toBeGreaterThan(Math.min(...a.values));
      expect(a.signed).toBe(isSigned(method, config()));
      expect(a.timings.forwardPasses).toBeGreaterThan(0);
      expect(a.timings.totalMs).toBeGreaterThanOrEqual(0);
    });

    it('leaks no tensor (two runs after a warm-up)', async () => {
      await method.run(adapter, img, 1, config());
      const before = tf.memory().numTensors;
      await method.run(adapter, img, 1, config());
      await method.run(adapter, img, 2, config());
      expect(tf.memory().numTensors).toBe(before);
    });

    it('rejects bad targets and a wrongly sized input with an ExplainError', async () => {
      const k = adapter.info.numClasses;
      for (const bad of [-1, k, 1.5]) {
        await expect(method.run(adapter, img, bad, config()), `target ${bad}`).rejects.toBeInstanceOf(ExplainError);
        await expect(method.run(adapter, img, bad, config()), `target ${bad}`).rejects.toThrow(/out of range/);
      }
      await expect(method.run(adapter, seededImage(8, 7, 3), 1, config())).rejects.toThrow(/expects 8×8×3/);
    });

    it('rejects every parameter outside its spec, without leaking', async () => {
      const before = tf.memory().numTensors;
      let rejected = 0;
      for (const [key, spec] of Object.entries(method.configSpec) as [string, ParamSpec][]) {
        for (const bad of outOfSpec(spec, adapter.info.numClasses)) {
          await expect(
            method.run(adapter, img, 1, { ...config(), [key]: bad }),
            `${key} = ${String(bad)}`,
          ).rejects.toBeInstanceOf(ExplainError);
          rejected += 1;
        }
      }
      expect(rejected).toBeGreaterThan(0);
      expect(tf.memory().numTensors).toBe(before);
    });

    it('honours cancellation (already aborted; mid-run when it reports progress more than once)', async () => {
      const pre = new AbortController();
      pre.abort();
      await expect(method.run(adapter, img, 1, config(), { signal: pre.signal })).rejects.toMatchObject({
        name: 'AbortError',
      });
      const progress: number[] = [];
      await method.run(adapter, img, 1, config(), { onProgress: (f) => progress.push(f) });
      expect(progress.length).toBeGreaterThan(0);
      expect(progress[progress.length - 1]).toBeCloseTo(1, 9);
      for (let i = 1; i < progress.length; i++) expect(progress[i]).toBeGreaterThan(progress[i - 1] as number);
      if (progress.length < 2) return; // one pass: nothing to interrupt
      const before = tf.memory().numTensors;
      const ctl = new AbortController();
      let calls = 0;
      const run = method.run(adapter, img, 1, config(), {
        signal: ctl.signal,
        onProgress: () => {
          calls += 1;
          ctl.abort();
        },
      });
      await expect(run).rejects.toMatchObject({ name: 'AbortError' });
      expect(calls).toBe(1);
      expect(tf.memory().numTensors).toBe(before);
      midRunChecked += 1;
    });
  });

  it('checked mid-run cancellation on at least the chunked methods', () => {
    // smoothgrad, IG, occlusion and RISE have ≥ 2 chunks with their quick configs.
    expect(midRunChecked).toBeGreaterThanOrEqual(4);
  });
});
