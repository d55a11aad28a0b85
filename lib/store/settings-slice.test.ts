import { describe, expect, it } from 'vitest';
import { fakeApi, makeStore } from './test-helpers';
import { defaultCostSettings, labelSetKey } from './cost-settings';

function memory(initial: Record<string, string> = {}) {
  const m = new Map(Object.entries(initial));
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), m };
}

describe('settings slice (cost settings)', () => {
  it('defaults to 0/1 costs for an unknown label set', () => {
    const store = makeStore(fakeApi().api);
    expect(store.getState().costSettingsFor(['a', 'b'])).toEqual(defaultCostSettings(2));
    expect(store.getState().costSettingsFor(['a', 'b']).matrix).toEqual({ overrides: [] }); // the 0/1 rule, no K×K
  });
  it('a patch changes only its fields, per label set, and is persisted', () => {
    const storage = memory();
    const store = makeStore(fakeApi().api, { storage });
    store.getState().setCostSettings(['a', 'b'], { priors: [0.9, 0.1] });
    store.getState().setCostSettings(['a', 'b'], { merges: [[0, 1]] });
    expect(store.getState().costSettingsFor(['a', 'b'])).toEqual({
      ...defaultCostSettings(2),
      priors: [0.9, 0.1],
      merges: [[0, 1]],
    });
    expect(store.getState().costSettingsFor(['x', 'y'])).toEqual(defaultCostSettings(2));
    const saved = JSON.parse(storage.m.get('why.costSettings.v1') ?? '{}') as Record<string, unknown>;
    expect(Object.keys(saved)).toEqual([labelSetKey(['a', 'b'])]);
    // a new store (a reload) reads them back
    const again = makeStore(fakeApi().api, { storage });
    expect(again.getState().costSettingsFor(['a', 'b']).priors).toEqual([0.9, 0.1]);
  });
  it('unreadable storage means defaults; no storage means the session only', () => {
    const store = makeStore(fakeApi().api, { storage: memory({ 'why.costSettings.v1': '{not json' }) });
    expect(store.getState().costSettings).toEqual({});
    const none = makeStore(fakeApi().api, { storage: undefined });
    none.getState().setCostSettings(['a'], { priors: [1] });
    expect(none.getState().costSettingsFor(['a']).priors).toEqual([1]);
  });
});
