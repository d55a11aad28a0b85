import { describe, expect, it } from 'vitest';
import { topK } from './topk';

describe('topK', () => {
  it('returns the largest entries first, ties by index', () => {
    expect(topK([0.1, 0.5, 0.2, 0.5], 3)).toEqual([
      { index: 1, value: 0.5 },
      { index: 3, value: 0.5 },
      { index: 2, value: 0.2 },
    ]);
  });
  it('clamps k', () => {
    expect(topK(new Float32Array([1, 2]), 5).map((r) => r.index)).toEqual([1, 0]);
    expect(topK([1, 2], -1)).toEqual([]);
  });
});
