/**
 * Cost settings per label set (cost matrix, priors, merges), shared by Evaluate, Explain and Compare and
 * persisted in the injected storage (localStorage in the browser).
 */
import type { CostSettings } from './types';
import type { Slice } from './slice';
import { defaultCostSettings, labelSetKey, loadCostSettings, saveCostSettings } from './cost-settings';

export interface SettingsSlice {
  /** key = labelSetKey(labels) */
  costSettings: Record<string, CostSettings>;
  /** Cost settings for a label set (defaults: 0/1 costs, no prior shift, no merges). */
  costSettingsFor(labels: readonly string[]): CostSettings;
  setCostSettings(labels: readonly string[], patch: Partial<CostSettings>): void;
}

export const createSettingsSlice: Slice<SettingsSlice> = (set, get, deps) => ({
  costSettings: deps.storage ? loadCostSettings(deps.storage) : {},
  costSettingsFor(labels) {
    return get().costSettings[labelSetKey(labels)] ?? defaultCostSettings(labels.length);
  },
  setCostSettings(labels, patch) {
    const key = labelSetKey(labels);
    set((s) => {
      const next = { ...(s.costSettings[key] ?? defaultCostSettings(labels.length)), ...patch };
      const costSettings = { ...s.costSettings, [key]: next };
      if (deps.storage) saveCostSettings(costSettings, deps.storage);
      return { costSettings };
    });
  },
});
