/**
 * THE table of view state that lives outside the stores: for every key, which view owns it, its query
 * parameter, its codec (parse with validation and a length cap, format), its default, and whether it goes
 * to the URL and/or to persistent storage. Every view reads and writes its query string through
 * `readView` / `writeView`; nothing else parses `location.search`.
 *
 *   Explain  /?model=<id>&sample=<set>:<index>&method=<id>&class=<k>&view=<tab>&p.<param>=<value>…
 *   Compare  /compare?a=<id>&b=<id>&method=<id>&cfg=<json>&target=<k>&set=<id>&rule=<argmax|costOptimal>
 *   Evaluate /evaluate?model=<id>&dataset=<id>
 *   any      ?backend=<webgl|wasm|cpu>  (read once at start; kept when a view rewrites its keys)
 *   storage  why.costSettings.v1 (cost settings per label set; not in the URL)
 *
 * Parsing never throws: a missing, malformed or overlong value is its key's default, so a hand-edited or
 * truncated link still opens. Writing leaves out values equal to the default (and empty ones) and keeps
 * query keys the view does not own, in their place; the view's own keys follow in table order.
 */
import { isMethodId, type MethodId } from '@/lib/explain/catalog';
import type { DecisionRule } from '@/lib/compare';
import { COST_SETTINGS_STORAGE_KEY, costSettingsCodec } from './cost-settings';
import type { CostSettings } from './types';

/** Parse (validating; undefined = refused) and format one value. */
export interface Codec<T> {
  /** Longest raw text accepted; longer is refused (the default applies). */
  readonly maxLength: number;
  parse(raw: string): T | undefined;
  format(value: T): string;
}

export type ViewId = 'app' | 'explain' | 'compare' | 'evaluate';

export interface UrlKey<T> {
  view: ViewId;
  /** Query parameter name; for a prefix key, the prefix of every parameter it holds (e.g. "p."). */
  param: string;
  /** A prefix key collects every `<param><name>=<value>` into a record of raw strings. */
  prefix?: true;
  codec: Codec<T>;
  default: T;
  /** 'rw': read from and written to the URL by its view; 'read': read only (e.g. `backend`); 'none': not in the URL. */
  url: 'rw' | 'read' | 'none';
  /** Kept in persistent storage (localStorage, under `param`) across visits. */
  persist: boolean;
  doc: string;
}

/** Longest id (model, dataset) in a URL. */
export const MAX_ID_LENGTH = 200;
/** Longest compare configuration JSON. */
export const MAX_CONFIG_LENGTH = 2000;
/** Prefix keys: at most this many entries, names and values at most these lengths. */
export const MAX_PREFIX_ENTRIES = 32;
export const MAX_PREFIX_NAME = 64;
export const MAX_PREFIX_VALUE = 200;

const capped =
  <T>(maxLength: number, parse: (raw: string) => T | undefined) =>
  (raw: string): T | undefined =>
    raw.length > maxLength ? undefined : parse(raw);

// ── codecs ────────────────────────────────────────────────────────────────────────────────────────────

/** A model or dataset id: 1–200 characters, no control characters. */
export const idCodec: Codec<string> = {
  maxLength: MAX_ID_LENGTH,
  parse: capped(MAX_ID_LENGTH, (s) => (s.length > 0 && !/[\u0000-\u001f\u007f]/.test(s) ? s : undefined)),
  format: (s) => s,
};

/** A class index 0…99999 (decimal digits only). */
export const classCodec: Codec<number> = {
  maxLength: 5,
  parse: capped(5, (s) => (/^\d{1,5}$/.test(s) ? Number(s) : undefined)),
  format: (k) => String(k),
};

/** A registered explanation method. */
export const methodCodec: Codec<MethodId> = {
  maxLength: 64,
  parse: capped(64, (s) => (isMethodId(s) ? s : undefined)),
  format: (m) => m,
};

/** One of a fixed list of strings. */
export function enumCodec<T extends string>(options: readonly T[]): Codec<T> {
  const maxLength = Math.max(...options.map((o) => o.length));
  return {
    maxLength,
    parse: capped(maxLength, (s) => ((options as readonly string[]).includes(s) ? (s as T) : undefined)),
    format: (v) => v,
  };
}

export interface SampleRef {
  datasetId: string;
  /** 0-based index in the evaluation set. */
  index: number;
}

/** `<datasetId>:<index>` (the id may contain colons; the index is the part after the last one). */
export const sampleCodec: Codec<SampleRef> = {
  maxLength: MAX_ID_LENGTH + 8,
  parse: capped(MAX_ID_LENGTH + 8, (s) => {
    const i = s.lastIndexOf(':');
    if (i <= 0) return undefined;
    const datasetId = idCodec.parse(s.slice(0, i));
    const idx = s.slice(i + 1);
    if (datasetId === undefined || !/^\d{1,7}$/.test(idx)) return undefined;
    return { datasetId, index: Number(idx) };
  }),
  format: (r) => `${r.datasetId}:${r.index}`,
};

export type Primitive = number | string | boolean;

/** A JSON object of primitives (finite numbers, strings, booleans); other entries are dropped. */
export const configCodec: Codec<Record<string, Primitive>> = {
  maxLength: MAX_CONFIG_LENGTH,
  parse: capped(MAX_CONFIG_LENGTH, (s) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(s);
    } catch {
      return undefined;
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
    const clean: Record<string, Primitive> = {};
    for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) {
      if ((typeof v === 'number' && Number.isFinite(v)) || typeof v === 'string' || typeof v === 'boolean')
        clean[k] = v;
    }
    return clean;
  }),
  format: (c) => (Object.keys(c).length ? JSON.stringify(c) : ''),
};

/** The raw value of one entry of a prefix key (e.g. `p.stride=2`): 0–200 characters. */
export const prefixValueCodec: Codec<string> = {
  maxLength: MAX_PREFIX_VALUE,
  parse: capped(MAX_PREFIX_VALUE, (s) => s),
  format: (s) => s,
};

/** Marker codec of a prefix key (its entries are read with prefixValueCodec). */
const prefixCodec: Codec<Record<string, string>> = {
  maxLength: MAX_PREFIX_VALUE,
  parse: () => undefined,
  format: () => '',
};

// ── the table ─────────────────────────────────────────────────────────────────────────────────────────

export type ExplainTab = 'single' | 'grid' | 'batch';
export const EXPLAIN_TABS: readonly ExplainTab[] = ['single', 'grid', 'batch'];
export const BACKENDS = ['webgl', 'wasm', 'cpu'] as const;
export const DECISION_RULES: readonly DecisionRule[] = ['argmax', 'costOptimal'];

const key = <T>(k: UrlKey<T>): UrlKey<T> => k;
const inUrl = { url: 'rw', persist: false } as const;

export const URL_STATE = {
  app: {
    backend: key<(typeof BACKENDS)[number] | null>({
      view: 'app',
      param: 'backend',
      codec: enumCodec(BACKENDS),
      default: null,
      url: 'read',
      persist: false,
      doc: 'TF.js backend to use instead of the automatic choice',
    }),
    costSettings: key<Record<string, CostSettings>>({
      view: 'app',
      param: COST_SETTINGS_STORAGE_KEY,
      codec: costSettingsCodec,
      default: {},
      url: 'none',
      persist: true,
      doc: 'cost matrix, priors and merges per label set (settings slice)',
    }),
  },
  explain: {
    model: key<string | null>({
      view: 'explain',
      param: 'model',
      codec: idCodec,
      default: null,
      ...inUrl,
      doc: 'selected model',
    }),
    sample: key<SampleRef | null>({
      view: 'explain',
      param: 'sample',
      codec: sampleCodec,
      default: null,
      ...inUrl,
      doc: 'image of a bundled evaluation set',
    }),
    method: key<MethodId | null>({
      view: 'explain',
      param: 'method',
      codec: methodCodec,
      default: null,
      ...inUrl,
      doc: 'explanation method',
    }),
    target: key<number | null>({
      view: 'explain',
      param: 'class',
      codec: classCodec,
      default: null,
      ...inUrl,
      doc: 'explained class (absent: the top prediction)',
    }),
    tab: key<ExplainTab>({
      view: 'explain',
      param: 'view',
      codec: enumCodec(EXPLAIN_TABS),
      default: 'single',
      ...inUrl,
      doc: 'single, grid (all methods) or batch',
    }),
    params: key<Record<string, string>>({
      view: 'explain',
      param: 'p.',
      prefix: true,
      codec: prefixCodec,
      default: {},
      ...inUrl,
      doc: "method parameters that differ from the method's defaults (raw; checked against the spec by params.ts)",
    }),
  },
  compare: {
    a: key<string | undefined>({
      view: 'compare',
      param: 'a',
      codec: idCodec,
      default: undefined,
      ...inUrl,
      doc: 'model in slot A (reference)',
    }),
    b: key<string | undefined>({
      view: 'compare',
      param: 'b',
      codec: idCodec,
      default: undefined,
      ...inUrl,
      doc: 'model in slot B (candidate)',
    }),
    method: key<MethodId | undefined>({
      view: 'compare',
      param: 'method',
      codec: methodCodec,
      default: undefined,
      ...inUrl,
      doc: 'explanation method for both',
    }),
    config: key<Record<string, Primitive> | undefined>({
      view: 'compare',
      param: 'cfg',
      codec: configCodec,
      default: undefined,
      ...inUrl,
      doc: 'shared method parameters (JSON of primitives)',
    }),
    target: key<number | undefined>({
      view: 'compare',
      param: 'target',
      codec: classCodec,
      default: undefined,
      ...inUrl,
      doc: "class of model A (absent: A's top class)",
    }),
    set: key<string | undefined>({
      view: 'compare',
      param: 'set',
      codec: idCodec,
      default: undefined,
      ...inUrl,
      doc: 'evaluation set',
    }),
    rule: key<DecisionRule | undefined>({
      view: 'compare',
      param: 'rule',
      codec: enumCodec(DECISION_RULES),
      default: undefined,
      ...inUrl,
      doc: 'decision rule (absent: argmax)',
    }),
  },
  evaluate: {
    model: key<string | null>({
      view: 'evaluate',
      param: 'model',
      codec: idCodec,
      default: null,
      ...inUrl,
      doc: 'evaluated model',
    }),
    dataset: key<string | null>({
      view: 'evaluate',
      param: 'dataset',
      codec: idCodec,
      default: null,
      ...inUrl,
      doc: 'evaluation set',
    }),
  },
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

/** Reads a view's state from a query string (with or without "?"). Every field is present (default when absent or refused). */
export function readView<V extends ViewId>(view: V, search: string | URLSearchParams): ViewState<V> {
  const q = toParams(search);
  const out: Record<string, unknown> = {};
  for (const [field, k] of entries(view)) {
    if (k.prefix) {
      out[field] = readPrefix(q, k.param);
      continue;
    }
    const raw = k.url === 'none' ? null : q.get(k.param);
    const parsed = raw === null ? undefined : k.codec.parse(raw);
    out[field] = parsed === undefined ? k.default : parsed;
  }
  return out as ViewState<V>;
}

/** Whether the query parameter `name` belongs to `view`. */
export function ownsParam(view: ViewId, name: string): boolean {
  return entries(view).some(([, k]) => k.url !== 'none' && (k.prefix ? name.startsWith(k.param) : name === k.param));
}

/**
 * Writes a view's state over `base` (a query string whose keys the view does not own are kept) and
 * returns the query string without "?" ("" when empty). Fields left out, null/undefined, equal to the
 * default, or formatting to "" are not written; only 'rw' keys are written.
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
  return q.toString();
}
