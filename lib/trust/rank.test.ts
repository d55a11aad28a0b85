import { describe, expect, it } from 'vitest';
import { rankByFaithfulness } from './rank';

const scores: Record<string, { deletion: number; insertion: number } | undefined> = {
  a: { deletion: 0.3, insertion: 0.6 },
  b: { deletion: 0.1, insertion: 0.4 },
  c: undefined,
  d: { deletion: NaN, insertion: 0.9 },
  e: { deletion: 0.1, insertion: 0.7 },
};
const items = ['a', 'b', 'c', 'd', 'e'];

describe('rankByFaithfulness', () => {
  it('listed keeps the order (a copy)', () => {
    const out = rankByFaithfulness(items, 'listed', (k) => scores[k]);
    expect(out).toEqual(items);
    expect(out).not.toBe(items);
  });
  it('deletion: lowest first, ties stable, unmeasured and NaN last', () => {
    expect(rankByFaithfulness(items, 'deletion', (k) => scores[k])).toEqual(['b', 'e', 'a', 'c', 'd']);
  });
  it('insertion: highest first, unmeasured last', () => {
    expect(rankByFaithfulness(items, 'insertion', (k) => scores[k])).toEqual(['d', 'e', 'a', 'b', 'c']);
  });
});
