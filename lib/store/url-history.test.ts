import { describe, expect, it } from 'vitest';
import { CASCADE_MS, changedParams, historyStep, userJustActed } from './url-history';

describe('history steps', () => {
  it('a deliberate change pushes; an equal query does nothing', () => {
    expect(historyStep('?method=saliency', '?method=occlusion', Infinity)).toBe('push');
    expect(historyStep('?model=a&cmap=turbo', 'model=a&cmap=viridis', Infinity)).toBe('push');
    expect(historyStep('?a=1&b=2', '?b=2&a=1', 0)).toBe('none');
  });
  it('drags and the strip replace', () => {
    expect(historyStep('?alpha=40', '?alpha=45', Infinity)).toBe('replace');
    expect(historyStep('?clip=99', '', Infinity)).toBe('replace');
    expect(historyStep('?strip=s:0', '?strip=s:0-11&alpha=5', Infinity)).toBe('replace');
    expect(historyStep('?strip=s:0', '?strip=s:0-11&method=rise', Infinity)).toBe('push');
  });
  it('a change right after a push is part of the same action', () => {
    expect(historyStep('?method=rise', '?method=rise&class=3', CASCADE_MS - 1)).toBe('replace');
    expect(historyStep('?method=rise', '?method=rise&class=3', CASCADE_MS)).toBe('push');
  });
  it('a change the page made by itself (no recent user gesture) replaces', () => {
    expect(historyStep('?model=a', '?model=a&sample=s%3A0', Infinity, false)).toBe('replace');
    expect(userJustActed({ userActivation: { isActive: false } })).toBe(false);
    expect(userJustActed({ userActivation: { isActive: true } })).toBe(true);
    expect(userJustActed({})).toBe(true);
  });
  it('changedParams names added, removed and changed keys', () => {
    expect(changedParams('?a=1&b=2&c=3', '?a=1&b=9&d=4').sort()).toEqual(['b', 'c', 'd']);
  });
});
