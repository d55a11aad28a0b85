/**
 * The Explain view's state in the query string, so a view can be shared and reloaded:
 *
 *   /?model=<modelId>&sample=<datasetId>:<index>&method=<methodId>&class=<k>&view=<tab>&p.<param>=<value>…
 *
 * `class` is the explained class (absent = the model's top prediction). `p.*` holds only the parameters
 * that differ from the method's defaults (see params.ts). Keys this module does not own (e.g. `backend`)
 * are kept as they are when the URL is rewritten.
 */
import type { MethodId } from '@/lib/explain/types';
import { METHOD_METAS } from '@/lib/explain/catalog';

export type ExplainTab = 'single' | 'grid' | 'batch';
const TABS: readonly ExplainTab[] = ['single', 'grid', 'batch'];

export interface SampleRef {
  datasetId: string;
  /** 0-based index in the evaluation set. */
  index: number;
}

export interface ExplainUrlState {
  model: string | null;
  sample: SampleRef | null;
  method: MethodId | null;
  /** Class index ≥ 0, or null = follow the top prediction. */
  target: number | null;
  tab: ExplainTab;
  /** Raw parameter strings (validated against the method's spec by params.ts). */
  params: Record<string, string>;
}

const OWNED = new Set(['model', 'sample', 'method', 'class', 'view']);

/** Parses `<datasetId>:<index>`; null when malformed (the index must be a non-negative integer). */
export function parseSample(s: string | null): SampleRef | null {
  if (!s) return null;
  const i = s.lastIndexOf(':');
  if (i <= 0) return null;
  const idx = s.slice(i + 1);
  if (!/^\d+$/.test(idx)) return null;
  return { datasetId: s.slice(0, i), index: Number(idx) };
}

export function formatSample(s: SampleRef): string {
  return `${s.datasetId}:${s.index}`;
}

/** Reads the view state from a query string (with or without the leading "?"). Bad values become null. */
export function parseExplainUrl(search: string): ExplainUrlState {
  const q = new URLSearchParams(search);
  const method = q.get('method');
  const cls = q.get('class');
  const tab = q.get('view');
  const params: Record<string, string> = {};
  for (const [k, v] of q) if (k.startsWith('p.') && k.length > 2) params[k.slice(2)] = v;
  return {
    model: q.get('model') || null,
    sample: parseSample(q.get('sample')),
    method: method && METHOD_METAS.some((m) => m.id === method) ? (method as MethodId) : null,
    target: cls !== null && /^\d+$/.test(cls) ? Number(cls) : null,
    tab: tab && (TABS as readonly string[]).includes(tab) ? (tab as ExplainTab) : 'single',
    params,
  };
}

/**
 * Writes the view state into `base` (a query string whose other keys are kept) and returns the new query
 * string with a leading "?" (or "" when empty). Null fields are removed; 'single' is the default tab.
 */
export function formatExplainUrl(state: ExplainUrlState, base = ''): string {
  const q = new URLSearchParams(base);
  for (const k of [...q.keys()]) if (OWNED.has(k) || k.startsWith('p.')) q.delete(k);
  if (state.model) q.set('model', state.model);
  if (state.sample) q.set('sample', formatSample(state.sample));
  if (state.method) q.set('method', state.method);
  if (state.target !== null) q.set('class', String(state.target));
  if (state.tab !== 'single') q.set('view', state.tab);
  for (const [k, v] of Object.entries(state.params)) q.set(`p.${k}`, v);
  const s = q.toString();
  return s ? `?${s}` : '';
}
