import { describe, expect, it } from 'vitest';
import { forEachTimedBatch, nextBatchSize } from './timed-batches';

describe('timed batches', () => {
  it('sizes the next batch to the target time, growing at most 4× and never past the cap', () => {
    expect(nextBatchSize(8, 4, 100, 256)).toBe(32); // 0.5 ms/image → 200 wanted, 4× growth limit
    expect(nextBatchSize(32, 16, 100, 256)).toBe(128); // 0.5 ms/image → 200, limited to 4× = 128
    expect(nextBatchSize(128, 64, 100, 256)).toBe(200);
    expect(nextBatchSize(8, 800, 100, 256)).toBe(1); // 100 ms/image on a slow backend
    expect(nextBatchSize(8, 0, 100, 256)).toBe(16); // an unmeasurably fast batch doubles
    expect(nextBatchSize(200, 1, 100, 64)).toBe(64);
  });

  it('covers [0, n) exactly once, in order, with the sizes it reports', async () => {
    let t = 0;
    const seen: [number, number][] = [];
    const sizes = await forEachTimedBatch(1000, { maxBatch: 256, now: () => t }, async (start, m) => {
      seen.push([start, m]);
      t += m * 0.5; // 0.5 ms per image
    });
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(1000);
    let next = 0;
    for (const [start, m] of seen) {
      expect(start).toBe(next);
      next += m;
    }
    expect(sizes.slice(0, 4)).toEqual([8, 32, 128, 200]);
  });

  it('lets a message posted during the job run before the job ends (CPU: data() resolves in a microtask)', async () => {
    const order: string[] = [];
    const channel = new MessageChannel();
    channel.port1.onmessage = () => order.push('message');
    let posted = false;
    await forEachTimedBatch(64, { maxBatch: 8, firstBatch: 8 }, async (start) => {
      if (!posted) {
        channel.port2.postMessage('predict');
        posted = true;
      }
      // A microtask-only "batch", as tfjs's CPU backend resolves data().
      await Promise.resolve();
      order.push(`batch ${start}`);
    });
    order.push('done');
    channel.port1.close();
    expect(order.indexOf('message')).toBeGreaterThan(-1);
    expect(order.indexOf('message')).toBeLessThan(order.indexOf('done'));
    expect(order.indexOf('message')).toBeLessThan(order.indexOf('batch 56'));
  });

  it('stops with an AbortError before the next batch once the signal aborts', async () => {
    const c = new AbortController();
    const starts: number[] = [];
    await expect(
      forEachTimedBatch(100, { maxBatch: 10, firstBatch: 10, signal: c.signal }, async (start) => {
        starts.push(start);
        if (start === 20) c.abort();
      }),
    ).rejects.toMatchObject({ name: 'AbortError' });
    expect(starts).toEqual([0, 10, 20]);
  });
});
