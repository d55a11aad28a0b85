import { describe, expect, it } from 'vitest';
import { matrixCodec, numberListCodec, pairsCodec } from './url-codecs-list';
import { boolCodec, numberCodec } from './url-codecs';

describe('number codecs', () => {
  it('bool: 1/0 only', () => {
    expect([boolCodec.parse('1'), boolCodec.parse('0')]).toEqual([true, false]);
    for (const bad of ['true', 'yes', '', '2', '11']) expect(boolCodec.parse(bad)).toBeUndefined();
  });
  it('number: scaled, ranged, no exponent or junk', () => {
    const pct = numberCodec({ min: 0, max: 1, decimals: 0, scale: 100 });
    expect(pct.format(0.6)).toBe('60');
    expect(pct.parse('60')).toBe(0.6);
    expect(pct.parse(pct.format(0.05))).toBe(0.05);
    for (const bad of ['101', '-1', '1e2', 'NaN', 'Infinity', '0x10', ' 5', '5%', ''])
      expect(pct.parse(bad), bad).toBeUndefined();
  });
  it('list: round trip; count and range checked', () => {
    const c = numberListCodec({ min: 0, max: 1, minItems: 2, maxItems: 10 });
    expect(c.format([0.1, 0.2, 0.7])).toBe('0.1,0.2,0.7');
    expect(c.parse('0.1,0.2,0.7')).toEqual([0.1, 0.2, 0.7]);
    for (const bad of ['0.5', '0.1,,0.2', '0.1,2', 'a,b', Array(11).fill('0').join(',')])
      expect(c.parse(bad), bad).toBeUndefined();
  });
  it('matrix: rows of equal length, square when asked', () => {
    const c = matrixCodec({ min: 0, max: 100, maxItems: 10, maxRows: 10, square: true });
    const m = [
      [0, 1, 5],
      [1, 0, 1],
      [2, 1.5, 0],
    ];
    expect(c.format(m)).toBe('0,1,5;1,0,1;2,1.5,0');
    expect(c.parse(c.format(m))).toEqual(m);
    for (const bad of ['0,1;1', '0,1;1,0;2,2', '0,1;1,-1', '0,1;1,0;']) expect(c.parse(bad), bad).toBeUndefined();
  });
  it('pairs: a.b indices in range', () => {
    const c = pairsCodec({ maxIndex: 9, maxItems: 4 });
    expect(
      c.parse(
        c.format([
          [3, 5],
          [7, 2],
        ]),
      ),
    ).toEqual([
      [3, 5],
      [7, 2],
    ]);
    expect(c.parse('')).toEqual([]);
    for (const bad of ['3.10', '3', '3.5,', '1.2,3.4,5.6,7.8,9.0', 'a.b']) expect(c.parse(bad), bad).toBeUndefined();
  });
});
