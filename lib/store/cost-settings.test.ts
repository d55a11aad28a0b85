import { describe, expect, it } from 'vitest';
import { defaultCostSettings, labelSetKey, loadCostSettings, saveCostSettings } from './cost-settings';

function memoryStorage() {
  const m = new Map<string, string>();
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), m };
}

describe('cost settings persistence', () => {
  it('defaults to 0/1 costs, no priors, no merges', () => {
    expect(defaultCostSettings(3)).toEqual({
      matrix: [
        [0, 1, 1],
        [1, 0, 1],
        [1, 1, 0],
      ],
      priors: null,
      merges: [],
    });
  });
  it('round-trips through storage', () => {
    const st = memoryStorage();
    const key = labelSetKey(['a', 'b']);
    const s = {
      [key]: {
        matrix: [
          [0, 5],
          [1, 0],
        ],
        priors: [0.9, 0.1],
        merges: [],
      },
    };
    saveCostSettings(s, st);
    expect(loadCostSettings(st)).toEqual(s);
  });
  it('drops unreadable or inconsistent entries instead of throwing', () => {
    const st = memoryStorage();
    st.setItem('why.costSettings.v1', '{not json');
    expect(loadCostSettings(st)).toEqual({});
    st.setItem(
      'why.costSettings.v1',
      JSON.stringify({
        [labelSetKey(['a', 'b'])]: { matrix: [[0, 1, 1]], priors: null, merges: [] },
        [labelSetKey(['a'])]: { matrix: [[0]], priors: null, merges: [] },
        notjson: { matrix: [[0]], priors: null, merges: [] },
      }),
    );
    expect(Object.keys(loadCostSettings(st))).toEqual([labelSetKey(['a'])]);
  });
});
