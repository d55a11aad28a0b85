/**
 * The Explain view's state in the query string, so a view can be shared and reloaded:
 *
 *   /?model=<modelId>&sample=<datasetId>:<index>&method=<methodId>&class=<k>&view=<tab>&p.<param>=<value>…
 *
 * The keys, codecs and defaults are rows of the one URL-state table (lib/store/url-state.ts); this module
 * is the Explain view's typed door to it. `class` is the explained class (absent = the model's top
 * prediction); `p.*` holds only the parameters that differ from the method's defaults (see params.ts). Keys
 * this view does not own (e.g. `backend`) are kept as they are when the URL is rewritten.
 */
import {
  readView,
  sampleCodec,
  writeView,
  type ExplainTab,
  type SampleRef,
  type ViewState,
} from '@/lib/store/url-state';

export type { ExplainTab, SampleRef };

export type ExplainUrlState = ViewState<'explain'>;

/** Parses `<datasetId>:<index>`; null when malformed (the index must be a non-negative integer). */
export function parseSample(s: string | null): SampleRef | null {
  return (s && sampleCodec.parse(s)) || null;
}

export function formatSample(s: SampleRef): string {
  return sampleCodec.format(s);
}

/** Reads the view state from a query string (with or without the leading "?"). Bad values become null. */
export function parseExplainUrl(search: string): ExplainUrlState {
  return readView('explain', search);
}

/**
 * Writes the view state into `base` (a query string whose other keys are kept) and returns the new query
 * string with a leading "?" (or "" when empty). Null and absent fields are removed, defaults left out.
 */
export function formatExplainUrl(state: Partial<ExplainUrlState>, base = ''): string {
  const q = writeView('explain', state, base);
  return q ? `?${q}` : '';
}
