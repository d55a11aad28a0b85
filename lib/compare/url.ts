/**
 * The Compare view's shareable state in the URL query: `?a=<model>&b=<model>&method=<id>&cfg=<json>&
 * target=<class>&set=<dataset>&rule=<argmax|costOptimal>`. The keys, codecs and length caps are rows of
 * the one URL-state table (lib/store/url-state.ts). Parsing never throws: anything malformed is dropped
 * (and the view falls back to its defaults), so a hand-edited or truncated link still opens.
 */
import { readView, writeView, type ViewState } from '@/lib/store/url-state';

/** Fields absent = not in the URL (the view's defaults apply). */
export type CompareUrlState = Partial<ViewState<'compare'>>;

export function parseCompareQuery(search: string | URLSearchParams): CompareUrlState {
  const all = readView('compare', search);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(all)) if (v !== undefined) out[k] = v;
  return out as CompareUrlState;
}

/** The query string (without "?") for a state; undefined fields are left out, keys in a fixed order. */
export function compareQuery(s: CompareUrlState): string {
  return writeView('compare', s);
}

/** The Compare store's actions a link sets (structural, so lib/compare needs no store import). */
export interface CompareUrlTarget {
  setModel(slot: 'a' | 'b', id: string): void;
  setMethod(id: NonNullable<CompareUrlState['method']>, config?: Record<string, unknown>): void;
  setTarget(cls: number | null): void;
  setDataset(id: string | null): void;
  setRule(rule: NonNullable<CompareUrlState['rule']>): void;
}

/**
 * Applies a link's state (back / forward): the models, method with its settings and evaluation set when
 * the link names them (else they stay); the class and the rule always (absent: A's top class, argmax).
 */
export function applyCompareUrl(store: CompareUrlTarget, u: CompareUrlState): void {
  if (u.a) store.setModel('a', u.a);
  if (u.b) store.setModel('b', u.b);
  if (u.method) store.setMethod(u.method, u.config ?? {});
  if (u.set) store.setDataset(u.set);
  store.setTarget(u.target ?? null);
  store.setRule(u.rule ?? 'argmax');
}
