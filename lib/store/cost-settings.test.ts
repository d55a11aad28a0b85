import { describe, expect, it } from 'vitest';
import {
  costSettingsCodec,
  defaultCostSettings,
  labelSetKey,
  loadCostSettings,
  saveCostSettings,
} from './cost-settings';

function memoryStorage() {
  const m = new Map<string, string>();
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), m };
}

describe('cost settings persistence', () => {
  it('defaults to the 0/1 rule (no K×K array, even for 100,000 classes), no priors, no merges', () => {
    expect(defaultCostSettings(3)).toEqual({ matrix: { overrides: [] }, priors: null, merges: [] });
    expect(defaultCostSettings(100_000)).toEqual({ matrix: { overrides: [] }, priors: null, merges: [] });
  });
  it('keeps sparse overrides that fit the label set and drops those that do not', () => {
    const st = memoryStorage();
    const ok = labelSetKey(['a', 'b', 'c']);
    const bad = labelSetKey(['x', 'y']);
    const s = {
      [ok]: { matrix: { overrides: [[0, 2, 10] as const] }, priors: null, merges: [] },
      [bad]: { matrix: { overrides: [[0, 5, 1] as const] }, priors: null, merges: [] },
    };
    saveCostSettings(s, st);
    expect(loadCostSettings(st)).toEqual({ [ok]: s[ok] });
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

describe('cost settings: operating point and scenarios', () => {
  it('keeps a valid operating point and scenarios, drops hostile or out-of-range ones', () => {
    const key = labelSetKey(['a', 'b', 'c']);
    const raw = JSON.stringify({
      [key]: {
        matrix: { overrides: [] },
        priors: null,
        merges: [],
        operatingPoint: { positive: 2, threshold: 0.3 },
        scenarios: [
          { name: 'ok', positive: 1, missCost: 20, prevalence: 0.02 },
          { name: 'bad class', positive: 7, missCost: 1, prevalence: 0.5 },
          { name: 'bad share', positive: 0, missCost: 1, prevalence: 2 },
          { name: 'x'.repeat(200), positive: 0, missCost: 1, prevalence: 0.5 },
          '<img onerror=alert(1)>',
        ],
      },
      [labelSetKey(['a', 'b'])]: {
        matrix: { overrides: [] },
        priors: null,
        merges: [],
        operatingPoint: { positive: 5, threshold: 2 },
      },
    });
    const parsed = costSettingsCodec.parse(raw)!;
    expect(parsed[key]?.operatingPoint).toEqual({ positive: 2, threshold: 0.3 });
    expect(parsed[key]?.scenarios).toEqual([{ name: 'ok', positive: 1, missCost: 20, prevalence: 0.02 }]);
    expect(parsed[labelSetKey(['a', 'b'])]?.operatingPoint).toBeUndefined();
  });
});
