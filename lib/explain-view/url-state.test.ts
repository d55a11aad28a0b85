import { describe, expect, it } from 'vitest';
import { formatExplainUrl, parseExplainUrl, parseSample } from './url-state';

describe('Explain URL state', () => {
  it('parses the link the Evaluate view makes', () => {
    const s = parseExplainUrl('?model=fashion-scratch&sample=fashion-test-2k:17&class=3');
    expect(s).toEqual({
      ...parseExplainUrl(''),
      model: 'fashion-scratch',
      sample: { datasetId: 'fashion-test-2k', index: 17 },
      method: null,
      target: 3,
      tab: 'single',
      params: {},
    });
  });
  it('round-trips a full state and keeps keys it does not own', () => {
    const state = {
      model: 'm',
      sample: { datasetId: 'ds:with:colons', index: 4 },
      method: 'rise' as const,
      target: 0,
      tab: 'grid' as const,
      params: { numMasks: '2000', gridSize: '5' },
    };
    const q = formatExplainUrl(state, '?backend=wasm&p.old=1&class=9');
    expect(q).toContain('backend=wasm');
    expect(q).not.toContain('p.old');
    expect(parseExplainUrl(q)).toEqual({ ...parseExplainUrl(''), ...state });
  });
  it('bad values become null instead of throwing', () => {
    const s = parseExplainUrl('?method=bogus&class=-1&sample=nocolon&view=nope');
    expect([s.method, s.target, s.sample, s.tab]).toEqual([null, null, null, 'single']);
    expect(parseSample('ds:1.5')).toBeNull();
    expect(parseSample(':3')).toBeNull();
  });
  it('an empty state is an empty query string', () => {
    expect(formatExplainUrl({ model: null, sample: null, method: null, target: null, tab: 'single', params: {} })).toBe(
      '',
    );
  });
});
