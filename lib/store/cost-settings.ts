/**
 * Persistence of the cost settings (cost matrix, priors, merges) per label set, in localStorage. Plain
 * JSON; anything unreadable is ignored (the defaults apply), never thrown at the user.
 */
import type { CostValues } from '@/lib/metrics';
import type { CostSettings, SavedScenario } from './types';
import { capped, parseJsonObject } from './url-codecs';

/** Where the cost settings persist (localStorage key; see the table in url-state.ts). */
export const COST_SETTINGS_STORAGE_KEY = 'why.costSettings.v1';

/** A stable key for a list of class names. */
export function labelSetKey(labels: readonly string[]): string {
  return JSON.stringify(labels);
}

/**
 * 0/1 costs as a rule (no K×K array: O(1) for any K, 100,000 classes included), no prior shift, no merges.
 * `k` is kept for the call sites; the rule needs no size.
 */
export function defaultCostSettings(k: number): CostSettings {
  void k;
  return { matrix: { overrides: [] }, priors: null, merges: [] };
}

const isFiniteNumber = (x: unknown) => typeof x === 'number' && Number.isFinite(x);

/** A square matrix of finite numbers, or `{ overrides: [[i, j, cost], ...] }` with integer indices. */
function isCostValues(m: unknown): m is CostValues {
  if (Array.isArray(m)) return m.every((r) => Array.isArray(r) && r.length === m.length && r.every(isFiniteNumber));
  if (!m || typeof m !== 'object') return false;
  const o = (m as { overrides?: unknown }).overrides;
  return (
    Array.isArray(o) &&
    o.every(
      (e) =>
        Array.isArray(e) && e.length === 3 && Number.isInteger(e[0]) && Number.isInteger(e[1]) && isFiniteNumber(e[2]),
    )
  );
}

/** Classes the stored costs cover: rows of a dense matrix; sparse overrides must index below `k`. */
function fitsClasses(m: CostValues, k: number): boolean {
  return Array.isArray(m) ? m.length === k : m.overrides.every(([i, j]) => i >= 0 && j >= 0 && i < k && j < k);
}

function isSettings(v: unknown): v is CostSettings {
  if (!v || typeof v !== 'object') return false;
  const s = v as Record<string, unknown>;
  const square = isCostValues(s.matrix);
  const priors =
    s.priors === null ||
    (Array.isArray(s.priors) && s.priors.every((x) => typeof x === 'number' && Number.isFinite(x)));
  const merges =
    Array.isArray(s.merges) && s.merges.every((g) => Array.isArray(g) && g.every((x) => Number.isInteger(x)));
  return square && priors && merges;
}

/** A stored operating point on a class below `k` with a threshold in [0, 1], else null. */
function operatingPointOf(v: unknown, k: number): CostSettings['operatingPoint'] {
  const o = v as { positive?: unknown; threshold?: unknown } | null;
  if (!o || typeof o !== 'object') return null;
  const { positive, threshold } = o;
  return Number.isInteger(positive) &&
    (positive as number) >= 0 &&
    (positive as number) < k &&
    typeof threshold === 'number' &&
    threshold >= 0 &&
    threshold <= 1
    ? { positive: positive as number, threshold }
    : null;
}

/** The stored scenarios that are well-formed for `k` classes (at most 50; others dropped). */
function scenariosOf(v: unknown, k: number): SavedScenario[] {
  if (!Array.isArray(v)) return [];
  return v
    .filter((s): s is SavedScenario => {
      const o = s as Partial<SavedScenario> | null;
      return (
        !!o &&
        typeof o.name === 'string' &&
        o.name.length > 0 &&
        o.name.length <= 80 &&
        Number.isInteger(o.positive) &&
        (o.positive as number) >= 0 &&
        (o.positive as number) < k &&
        isFiniteNumber(o.missCost) &&
        (o.missCost as number) >= 0 &&
        isFiniteNumber(o.prevalence) &&
        (o.prevalence as number) > 0 &&
        (o.prevalence as number) < 1
      );
    })
    .slice(0, 50)
    .map(({ name, positive, missCost, prevalence }) => ({ name, positive, missCost, prevalence }));
}

/** The label list a labelSetKey encodes; undefined when `key` is not a JSON array. */
function parseLabelList(key: string): unknown[] | undefined {
  try {
    const labels: unknown = JSON.parse(key);
    return Array.isArray(labels) ? labels : undefined;
  } catch {
    return undefined;
  }
}

/** Longest stored cost-settings text read back (1 MB); longer is ignored. */
export const MAX_COST_SETTINGS_LENGTH = 1_000_000;

/**
 * Codec of the stored value: JSON `{ [labelSetKey]: CostSettings }`. Parsing keeps each entry whose key is
 * a JSON label list and whose matrix is square with one row per label; it never throws (undefined for
 * text that is not a JSON object, or too long).
 */
export const costSettingsCodec = {
  maxLength: MAX_COST_SETTINGS_LENGTH,
  parse: capped(MAX_COST_SETTINGS_LENGTH, (raw): Record<string, CostSettings> | undefined => {
    const parsed = parseJsonObject(raw);
    if (!parsed) return undefined;
    const out: Record<string, CostSettings> = {};
    for (const [k, v] of Object.entries(parsed)) {
      const labels = parseLabelList(k);
      if (!labels || !isSettings(v) || !fitsClasses(v.matrix, labels.length)) continue;
      const { matrix, priors, merges } = v;
      const raw = v as unknown as Record<string, unknown>;
      const operatingPoint = operatingPointOf(raw.operatingPoint, labels.length);
      const scenarios = scenariosOf(raw.scenarios, labels.length);
      out[k] = {
        matrix,
        priors,
        merges,
        ...(operatingPoint ? { operatingPoint } : {}),
        ...(scenarios.length > 0 ? { scenarios } : {}),
      };
    }
    return out;
  }),
  format(settings: Record<string, CostSettings>): string {
    return JSON.stringify(settings);
  },
};

export function loadCostSettings(
  storage: Pick<Storage, 'getItem'> | undefined = globalThis.localStorage,
): Record<string, CostSettings> {
  try {
    const raw = storage?.getItem(COST_SETTINGS_STORAGE_KEY);
    return (raw && costSettingsCodec.parse(raw)) || {};
  } catch {
    return {};
  }
}

export function saveCostSettings(
  settings: Record<string, CostSettings>,
  storage: Pick<Storage, 'setItem'> | undefined = globalThis.localStorage,
): void {
  try {
    storage?.setItem(COST_SETTINGS_STORAGE_KEY, costSettingsCodec.format(settings));
  } catch {
    // Storage full or disabled: settings stay for this session only.
  }
}
