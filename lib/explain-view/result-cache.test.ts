import { describe, expect, it } from 'vitest';
import { emptyLru, lruDrop, lruGet, lruPut, lruTouch, resultKey, stableStringify } from './result-cache';

describe('result keys', () => {
  const base = { modelId: 'm', imageId: 'i', method: 'rise', target: 1, resize: null, config: { a: 1, b: [1, 2] } };
  it('do not depend on key order', () => {
    expect(resultKey(base)).toBe(resultKey({ ...base, config: { b: [1, 2], a: 1 } }));
    expect(stableStringify({ z: 1, a: { y: 2, b: 3 } })).toBe('{"a":{"b":3,"y":2},"z":1}');
  });
  it('differ for every part of the request', () => {
    const keys = new Set([
      resultKey(base),
      resultKey({ ...base, modelId: 'n' }),
      resultKey({ ...base, imageId: 'j' }),
      resultKey({ ...base, method: 'occlusion' }),
      resultKey({ ...base, target: 2 }),
      resultKey({ ...base, resize: 'pad' }),
      resultKey({ ...base, config: { a: 2, b: [1, 2] } }),
    ]);
    expect(keys.size).toBe(7);
  });
});

describe('LRU', () => {
  it('evicts the least recently used beyond max', () => {
    let l = emptyLru<number>(2);
    l = lruPut(l, 'a', 1);
    l = lruPut(l, 'b', 2);
    l = lruTouch(l, 'a');
    l = lruPut(l, 'c', 3);
    expect(lruGet(l, 'b')).toBeUndefined();
    expect([lruGet(l, 'a'), lruGet(l, 'c')]).toEqual([1, 3]);
    expect(l.keys).toEqual(['a', 'c']);
  });
  it('replacing a key does not grow it; the value is immutable data', () => {
    const l0 = lruPut(emptyLru<number>(3), 'a', 1);
    const l1 = lruPut(l0, 'a', 5);
    expect(l1.keys).toEqual(['a']);
    expect(lruGet(l0, 'a')).toBe(1);
    expect(lruGet(l1, 'a')).toBe(5);
  });
  it('drops by predicate', () => {
    let l = emptyLru<number>(5);
    for (const k of ['m|img-1|x', 'm|img-2|x', 'm|img-1|y']) l = lruPut(l, k, 0);
    l = lruDrop(l, (k) => k.split('|')[1] === 'img-1');
    expect(l.keys).toEqual(['m|img-2|x']);
    expect(() => emptyLru(0)).toThrow();
  });
});
