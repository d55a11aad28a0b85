import { describe, expect, it } from 'vitest';
import { capBatchSize, maxBatchFor } from './batch-cap';

describe('batch size cap', () => {
  it('allows 8 images of 224×224×3 and does not cap small models', () => {
    expect(maxBatchFor(224, 224, 3)).toBe(8);
    expect(maxBatchFor(28, 28, 1)).toBeGreaterThan(1000);
    expect(maxBatchFor(4000, 4000, 3)).toBe(1);
  });
  it('caps the requested or default batch size, and leaves methods without one alone', () => {
    const big = { height: 224, width: 224, channels: 3 };
    expect(capBatchSize({ batchSize: 32 }, {}, big)).toEqual({ batchSize: 8 });
    expect(capBatchSize({}, { batchSize: 32 }, big)).toEqual({ batchSize: 8 });
    expect(capBatchSize({ batchSize: 4 }, { batchSize: 32 }, big)).toEqual({ batchSize: 4 });
    expect(capBatchSize({ steps: 64 }, { steps: 64 }, big)).toEqual({ steps: 64 });
    const small = { height: 28, width: 28, channels: 1 };
    const cfg = { batchSize: 32 };
    expect(capBatchSize(cfg, {}, small)).toBe(cfg);
  });
});
