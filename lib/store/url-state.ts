/**
 * THE table of view state that lives outside the stores: for every key, which view owns it, its query
 * parameter, its codec (parse with validation and a length cap, format), its default, and whether it goes
 * to the URL and/or to persistent storage. Every view reads and writes its query string through
 * `readView` / `writeView`; nothing else parses `location.search`.
 *
 *   Explain  url-explain.ts   /?model=…&sample=…&strip=…&method=…&class=…&view=…&p.*=…&cmap=…&alpha=…
 *   Compare  url-compare.ts   /compare?a=<id>&b=<id>&method=<id>&cfg=<json>&target=<k>&set=<id>&rule=…
 *   Evaluate url-evaluate.ts  /evaluate?model=<id>&dataset=<id>  (add keys there)
 *   any      ?backend=<webgl|wasm|cpu>  (read once at start; kept when a view rewrites its keys)
 *   storage  why.costSettings.v1 (cost settings per label set; not in the URL)
 *
 * Parsing never throws: a missing, malformed or overlong value is its key's default, so a hand-edited or
 * truncated link still opens. Writing leaves out values equal to the default (and empty ones) and keeps
 * query keys the view does not own, in their place; the view's own keys follow in table order.
 */
import { COST_SETTINGS_STORAGE_KEY, costSettingsCodec } from './cost-settings';
import type { CostSettings } from './types';
import {
  MAX_PREFIX_ENTRIES,
  MAX_PREFIX_NAME,
  enumCodec,
  numberCodec,
  prefixValueCodec,
  urlKey,
  type ViewId,
  type UrlKey,
} from './url-codecs';
import { EXPLAIN_URL } from './url-explain';
import { COMPARE_URL } from './url-compare';
import { EVALUATE_URL } from './url-evaluate';

export * from './url-codecs';
export * from './url-codecs-list';
export * from './url-strip';
export { EXPLAIN_TABS, VIEW_MODES, COLORMAP_NAMES, type ExplainTab } from './url-explain';
export { DECISION_RULES } from './url-compare';

// ── the table ─────────────────────────────────────────────────────────────────────────────────────────

export const BACKENDS = ['webgl', 'wasm', 'cpu', 'webgpu'] as const;

export const URL_STATE = {
  app: {
    backend: urlKey<(typeof BACKENDS)[number] | null>({
      view: 'app',
      param: 'backend',
      codec: enumCodec(BACKENDS),
      default: null,
      url: 'read',
      persist: false,
      doc: 'TF.js backend to use instead of the automatic choice',
    }),
    threads: urlKey<number | null>({
      view: 'app',
      param: 'threads',
      codec: numberCodec({ min: 1, max: 16, decimals: 0 }),
      default: null,
      url: 'read',
      persist: false,
      doc: 'WASM threads instead of one per core (1: single-threaded)',
    }),
    costSettings: urlKey<Record<string, CostSettings>>({
      view: 'app',
      param: COST_SETTINGS_STORAGE_KEY,
      codec: costSettingsCodec,
      default: {},
      url: 'none',
      persist: true,
      doc: 'cost matrix, priors and merges per label set (settings slice)',
    }),
  },
  explain: EXPLAIN_URL,
  compare: COMPARE_URL,
  evaluate: EVALUATE_URL,
} as const;

type Table = typeof URL_STATE;
/** The values a view keeps in the URL, by field name. */
export type ViewState<V extends ViewId> = {
  -readonly [K in keyof Table[V]]: Table[V][K] extends UrlKey<infer T> ? T : never;
};

function entries(view: ViewId): [string, UrlKey<unknown>][] {
  return Object.entries(URL_STATE[view]) as [string, UrlKey<unknown>][];
}

const toParams = (search: string | URLSearchParams) =>
  typeof search === 'string' ? new URLSearchParams(search) : search;

function readPrefix(q: URLSearchParams, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  let n = 0;
  for (const [k, v] of q) {
    if (!k.startsWith(prefix) || k.length <= prefix.length) continue;
    const name = k.slice(prefix.length);
    const value = prefixValueCodec.parse(v);
    if (name.length > MAX_PREFIX_NAME || value === undefined || n >= MAX_PREFIX_ENTRIES) continue;
    out[name] = value;
    n++;
  }
  return out;
}

/** A query parameter of a view whose value was refused (malformed, out of range or too long): its default applies. */
export interface RefusedParam {
  param: string;
  /** The refused text, cut to 40 characters (for a message). */
  raw: string;
}

/**
 * Reads a view's state from a query string (with or without "?") and names the parameters whose values
 * were refused, so the view can say what it left out. Every field is present (default when absent or refused).
 */
export function readViewChecked<V extends ViewId>(
  view: V,
  search: string | URLSearchParams,
): { state: ViewState<V>; refused: RefusedParam[] } {
  const q = toParams(search);
  const out: Record<string, unknown> = {};
  const refused: RefusedParam[] = [];
  for (const [field, k] of entries(view)) {
    if (k.prefix) {
      out[field] = readPrefix(q, k.param);
      continue;
    }
    const raw = k.url === 'none' ? null : q.get(k.param);
    const parsed = raw === null ? undefined : k.codec.parse(raw);
    if (raw !== null && raw !== '' && parsed === undefined) refused.push({ param: k.param, raw: raw.slice(0, 40) });
    out[field] = parsed === undefined ? k.default : parsed;
  }
  return { state: out as ViewState<V>, refused };
}

/** Reads a view's state from a query string (with or without "?"). Every field is present (default when absent or refused). */
export function readView<V extends ViewId>(view: V, search: string | URLSearchParams): ViewState<V> {
  return readViewChecked(view, search).state;
}

/** The notice for refused parameters ("" when none): which ones, and that their defaults apply. */
export function refusedMessage(refused: readonly RefusedParam[]): string {
  if (!refused.length) return '';
  const list = refused.map((r) => `${r.param}=“${r.raw}”`).join(', ');
  return `The link had values this app cannot use (${list}); the defaults are shown instead.`;
}

/** Whether the query parameter `name` belongs to `view`. */
export function ownsParam(view: ViewId, name: string): boolean {
  return entries(view).some(([, k]) => k.url !== 'none' && (k.prefix ? name.startsWith(k.param) : name === k.param));
}

/**
 * Longest query string the app writes (4,000 characters). Servers refuse long request lines (HTTP 431/414,
 * often at 8–16 KB); the view's own keys stay far below this (each codec has its maxLength), so only
 * foreign parameters kept from `base` can push past it, and those are dropped, longest first.
 */
export const MAX_QUERY_LENGTH = 4000;

/** Drops parameters no view owns, longest first, until `q` fits MAX_QUERY_LENGTH. */
function fitQuery(q: URLSearchParams): void {
  if (q.toString().length <= MAX_QUERY_LENGTH) return;
  const views = Object.keys(URL_STATE) as ViewId[];
  const foreign = [...q.entries()]
    .filter(([name]) => !views.some((v) => ownsParam(v, name)))
    .sort((a, b) => b[0].length + b[1].length - (a[0].length + a[1].length));
  for (const [name] of foreign) {
    if (q.toString().length <= MAX_QUERY_LENGTH) return;
    q.delete(name);
  }
}

/**
 * Writes a view's state over `base` (a query string whose keys the view does not own are kept, unless
 * the result would pass MAX_QUERY_LENGTH) and returns the query string without "?" ("" when empty).
 * Fields left out, null/undefined, equal to the default, or formatting to "" are not written; only 'rw'
 * keys are written.
 */
export function writeView<V extends ViewId>(
  view: V,
  state: Partial<ViewState<V>>,
  base: string | URLSearchParams = '',
): string {
  const q = new URLSearchParams(toParams(base));
  for (const name of [...new Set(q.keys())]) if (ownsParam(view, name)) q.delete(name);
  const values = state as Record<string, unknown>;
  for (const [field, k] of entries(view)) {
    const v = values[field];
    if (k.url !== 'rw' || v === undefined || v === null) continue;
    if (k.prefix) {
      for (const [name, raw] of Object.entries(v as Record<string, string>)) q.set(`${k.param}${name}`, raw);
      continue;
    }
    const text = k.codec.format(v);
    if (text === '' || (k.default !== null && k.default !== undefined && text === k.codec.format(k.default))) continue;
    q.set(k.param, text);
  }
  fitQuery(q);
  return q.toString();
}
