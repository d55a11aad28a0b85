import { describe, expect, it } from 'vitest';
import { fitStrip, MAX_STRIP_ITEMS, MAX_STRIP_LENGTH, stripable, stripCodec, stripLeftOut } from './url-strip';
import type { SampleRef } from './url-codecs';

const ds = (datasetId: string, ...idx: number[]): SampleRef[] => idx.map((index) => ({ datasetId, index }));
const range = (n: number, from = 0) => Array.from({ length: n }, (_, i) => from + i);

describe('strip codec', () => {
  it('twelve samples of one set are one short run; order and sets survive a round trip', () => {
    const twelve = ds('fashion-test-2k', ...range(12));
    expect(stripCodec.format(twelve)).toBe('fashion-test-2k:0-11');
    expect(stripCodec.parse('fashion-test-2k:0-11')).toEqual(twelve);
    const mixed = [...ds('a', 3, 7, 40, 41, 42), ...ds('mnist-test', 5), ...ds('a', 1)];
    expect(stripCodec.format(mixed)).toBe('a:3,7,40-42~mnist-test:5~a:1');
    expect(stripCodec.parse(stripCodec.format(mixed))).toEqual(mixed);
  });
  it('malformed, reversed, hostile and overlong values are refused', () => {
    for (const bad of [
      '',
      'nocolon',
      ':3',
      'a:',
      'a:1-',
      'a:5-2',
      'a:1.5',
      'a:-1',
      'a b:1',
      '<script>:1',
      'a:1~',
      'a:0-99999',
      `a:${range(MAX_STRIP_ITEMS + 1).join(',')}`,
      `${'d'.repeat(101)}:1`,
      'x'.repeat(MAX_STRIP_LENGTH + 1),
    ])
      expect(stripCodec.parse(bad), bad).toBeUndefined();
  });
  it('fitStrip keeps the longest prefix under the caps and says how many', () => {
    const all = ds('s', ...range(MAX_STRIP_ITEMS + 10).map((i) => i * 2));
    const fit = fitStrip(all);
    expect(fit.kept).toBeLessThan(all.length);
    expect(fit.kept).toBeGreaterThan(0);
    expect(fit.text.length).toBeLessThanOrEqual(MAX_STRIP_LENGTH);
    expect(stripCodec.parse(fit.text)).toEqual(all.slice(0, fit.kept));
    expect(fitStrip(ds('s', 0, 1)).kept).toBe(2);
  });
  it('stripable: only ids the codec can write', () => {
    expect(stripable({ datasetId: 'fashion-test-2k', index: 0 })).toBe(true);
    expect(stripable({ datasetId: 'user:abc', index: 0 })).toBe(false);
    expect(stripable({ datasetId: 'a', index: -1 })).toBe(false);
  });
  it('stripLeftOut names trimmed samples and own images, and nothing when all fit', () => {
    expect(stripLeftOut(12, 12, 0)).toBe('');
    expect(stripLeftOut(80, 64, 0)).toBe(
      "Sharing: the link holds the first 64 of the strip's 80 bundled samples (links stay short).",
    );
    expect(stripLeftOut(3, 3, 2)).toBe('Sharing: your own images (2) stay in this tab: links never carry pixels.');
    expect(stripLeftOut(80, 64, 1)).toContain('; your own images (1)');
  });
});
