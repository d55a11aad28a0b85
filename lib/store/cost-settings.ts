/**
 * Persistence of the cost settings (cost matrix, priors, merges) per label set, in localStorage. Plain
 * JSON; anything unreadable is ignored (the defaults apply), never thrown at the user.
 */
import type { CostSettings } from './types';

const STORAGE_KEY = 'why.costSettings.v1';

/** A stable key for a list of class names. */
export function labelSetKey(labels: readonly string[]): string {
  return JSON.stringify(labels);
}

/** 0/1 costs, no prior shift, no merges. */
export function defaultCostSettings(k: number): CostSettings {
  return {
    matrix: Array.from({ length: k }, (_, i) => Array.from({ length: k }, (_, j) => (i === j ? 0 : 1))),
    priors: null,
    merges: [],
  };
}

function isSettings(v: unknown): v is CostSettings {
  if (!v || typeof v !== 'object') return false;
  const s = v as Record<string, unknown>;
  const square = Array.isArray(s.matrix) && s.matrix.every((r) => Array.isArray(r) && r.length === (s.matrix as unknown[]).length && r.every((x) => typeof x === 'number' && Number.isFinite(x)));
  const priors = s.priors === null || (Array.isArray(s.priors) && s.priors.every((x) => typeof x === 'number' && Number.isFinite(x)));
  const merges = Array.isArray(s.merges) && s.merges.every((g) => Array.isArray(g) && g.every((x) => Number.isInteger(x)));
  return square && priors && merges;
}

export function loadCostSettings(storage: Pick<Storage, 'getItem'> | undefined = globalThis.localStorage): Record<string, CostSettings> {
  try {
    const raw = storage?.getItem(STORAGE_KEY);
    if (!raw) return {};
    const parsed: unknown = JSON.parse(raw);
    if (!parsed || typeof parsed !== 'object') return {};
    const out: Record<string, CostSettings> = {};
    for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) {
      let labels: unknown;
      try {
        labels = JSON.parse(k);
      } catch {
        continue;
      }
      if (Array.isArray(labels) && isSettings(v) && v.matrix.length === labels.length) out[k] = v;
    }
    return out;
  } catch {
    return {};
  }
}

export function saveCostSettings(
  settings: Record<string, CostSettings>,
  storage: Pick<Storage, 'setItem'> | undefined = globalThis.localStorage,
): void {
  try {
    storage?.setItem(STORAGE_KEY, JSON.stringify(settings));
  } catch {
    // Storage full or disabled: settings stay for this session only.
  }
}
