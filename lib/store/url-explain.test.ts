import { describe, expect, it } from 'vitest';
import { readView, readViewChecked, refusedMessage, writeView } from './url-state';

describe('Explain link: look settings and the strip', () => {
  it('a full view round-trips in short keys', () => {
    const state = {
      ...readView('explain', ''),
      model: 'fashion-finetuned',
      sample: { datasetId: 'fashion-test-2k', index: 3 },
      strip: Array.from({ length: 12 }, (_, index) => ({ datasetId: 'fashion-test-2k', index })),
      method: 'smoothgrad' as const,
      colormap: 'turbo' as const,
      opacity: 0.35,
      clip: 97.5,
      absolute: true,
      mode: 'heatmap' as const,
      sideBySide: true,
      showModelInput: true,
    };
    const q = writeView('explain', state);
    expect(q).toBe(
      'model=fashion-finetuned&sample=fashion-test-2k%3A3&strip=fashion-test-2k%3A0-11&method=smoothgrad' +
        '&cmap=turbo&alpha=35&clip=97.5&abs=1&show=heatmap&side=1&input=1',
    );
    expect(readView('explain', q)).toEqual(state);
  });
  it('defaults are not written', () => {
    expect(writeView('explain', readView('explain', ''))).toBe('');
  });
  it('hostile or malformed values give the defaults and are named in a notice', () => {
    const { state, refused } = readViewChecked(
      'explain',
      '?cmap=<img src=x onerror=alert(1)>&alpha=500&clip=1e9&abs=yes&show=javascript:alert(1)&strip=a:0-999999&side=2&class=-4',
    );
    const defaults = readView('explain', '');
    expect(state).toEqual(defaults);
    expect(refused.map((r) => r.param).sort()).toEqual([
      'abs',
      'alpha',
      'class',
      'clip',
      'cmap',
      'show',
      'side',
      'strip',
    ]);
    const msg = refusedMessage(refused);
    expect(msg).toContain('cmap=');
    expect(msg).toContain('defaults are shown');
    expect(refusedMessage([])).toBe('');
    expect(readViewChecked('explain', '?model=m&view=grid').refused).toEqual([]);
  });
});
