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
