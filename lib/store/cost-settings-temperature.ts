/**
 * Persistence of the per-model temperatures (temperature scaling fitted in Evaluate, applied wherever
 * probabilities are shown): JSON `{ [modelId]: T }` in localStorage. Anything unreadable or out of range is
 * dropped, never thrown at the user.
 */
import { MAX_TEMPERATURE, MIN_TEMPERATURE } from '@/lib/metrics';
import { capped, parseJsonObject } from './url-codecs';

export const TEMPERATURES_STORAGE_KEY = 'why.temperatures.v1';
const MAX_LENGTH = 100_000;

/** Parses the stored map, keeping ids up to 200 characters and T in [MIN_TEMPERATURE, MAX_TEMPERATURE]. */
export const parseTemperatures = capped(MAX_LENGTH, (raw): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const [id, t] of Object.entries(parseJsonObject(raw) ?? {})) {
    if (id.length <= 200 && typeof t === 'number' && t >= MIN_TEMPERATURE && t <= MAX_TEMPERATURE) out[id] = t;
  }
  return out;
});

export function loadTemperatures(storage: Pick<Storage, 'getItem'> | undefined): Record<string, number> {
  try {
    const raw = storage?.getItem(TEMPERATURES_STORAGE_KEY);
    return (raw && parseTemperatures(raw)) || {};
  } catch {
    return {};
  }
}

export function saveTemperatures(t: Record<string, number>, storage: Pick<Storage, 'setItem'> | undefined): void {
  try {
    storage?.setItem(TEMPERATURES_STORAGE_KEY, JSON.stringify(t));
  } catch {
    // Storage full or disabled: kept for this session only.
  }
}
