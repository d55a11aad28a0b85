import { describe, expect, it } from 'vitest';
import { MISSING, ms, num, pct, pctPoints, slug } from '.';

describe('pct', () => {
  it('writes fractions as "12.3 %" with a space, rounding to the digits asked', () => {
    expect(pct(0.1234)).toBe('12.3 %');
    expect(pct(0.5263)).toBe('52.6 %');
    expect(pct(1)).toBe('100.0 %');
    expect(pct(0.01234, 2)).toBe('1.23 %');
    expect(pct(0.4, 0)).toBe('40 %');
  });
  it('reads missing and non-finite values as an em dash', () => {
    for (const v of [null, undefined, Number.NaN, Number.POSITIVE_INFINITY]) expect(pct(v)).toBe(MISSING);
    expect(MISSING).toBe('—');
  });
});

describe('pctPoints', () => {
  it('is always signed, with a real minus and ± for zero', () => {
    expect(pctPoints(0.015)).toBe('+1.5 pts');
    expect(pctPoints(-0.015)).toBe('−1.5 pts');
    expect(pctPoints(0)).toBe('±0.0 pts');
    expect(pctPoints(-0.00001)).toBe('±0.0 pts'); // rounds to zero: no sign claimed
    expect(pctPoints(null)).toBe('—');
  });
});

describe('num and ms', () => {
  it('num keeps at most `digits` decimals without trailing zeros', () => {
    expect(num(0.12345)).toBe('0.123');
    expect(num(2)).toBe('2');
    expect(num(2.5, 0)).toBe('3');
    expect(num(Number.NaN)).toBe('—');
  });
  it('ms writes whole milliseconds by default', () => {
    expect(ms(12.34)).toBe('12 ms');
    expect(ms(12.34, 1)).toBe('12.3 ms');
    expect(ms(undefined)).toBe('—');
  });
});

describe('slug', () => {
  it('makes a lower-case, file-name-safe piece', () => {
    expect(slug('Trouser #12.png')).toBe('trouser-12.png');
    expect(slug('fashion-finetuned')).toBe('fashion-finetuned');
    expect(slug('  My Model (v2)  ')).toBe('my-model-v2');
    expect(slug('a/b\\c:d')).toBe('a-b-c-d');
  });
  it('caps the length at 60 without a trailing dash, and falls back when nothing is left', () => {
    const long = slug(`${'x'.repeat(59)} yy`);
    expect(long.length).toBeLessThanOrEqual(60);
    expect(long.endsWith('-')).toBe(false);
    expect(slug('###')).toBe('export');
    expect(slug('', 'image')).toBe('image');
  });
});
