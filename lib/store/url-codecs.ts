/**
 * The codecs of the URL-state table (url-state.ts): parse with validation and a length cap (undefined =
 * refused, so the key's default applies), and format. Pure; no DOM.
 */
import { isMethodId, type MethodId } from '@/lib/explain/catalog';

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

/** `parse`, refusing (undefined) any text longer than `maxLength`. */
export const capped =
  <T>(maxLength: number, parse: (raw: string) => T | undefined) =>
  (raw: string): T | undefined =>
    raw.length > maxLength ? undefined : parse(raw);

/** The JSON object in `raw`; undefined for text that is not JSON or not a (non-array) object. Never throws. */
export function parseJsonObject(raw: string): Record<string, unknown> | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return undefined;
  }
  return parsed && typeof parsed === 'object' && !Array.isArray(parsed)
    ? (parsed as Record<string, unknown>)
    : undefined;
}

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
    const parsed = parseJsonObject(s);
    if (!parsed) return undefined;
    const clean: Record<string, Primitive> = {};
    for (const [k, v] of Object.entries(parsed)) {
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
export const prefixCodec: Codec<Record<string, string>> = {
  maxLength: MAX_PREFIX_VALUE,
  parse: () => undefined,
  format: () => '',
};

/** A switch: "1" = true, "0" = false (anything else refused). */
export const boolCodec: Codec<boolean> = {
  maxLength: 1,
  parse: (s) => (s === '1' ? true : s === '0' ? false : undefined),
  format: (b) => (b ? '1' : '0'),
};

/**
 * A finite number in [min, max], written with at most `decimals` decimals (no exponent); `scale` multiplies
 * on the way out (e.g. 100: an opacity 0.6 is written "60" and read back as 0.6).
 */
export function numberCodec(opts: { min: number; max: number; decimals?: number; scale?: number }): Codec<number> {
  const { min, max, decimals = 2, scale = 1 } = opts;
  const re = /^-?\d{1,9}(\.\d{1,6})?$/;
  return {
    maxLength: 16,
    parse: capped(16, (s) => {
      if (!re.test(s)) return undefined;
      const v = Number(s) / scale;
      return Number.isFinite(v) && v >= min && v <= max ? v : undefined;
    }),
    format: (v) => String(Number((v * scale).toFixed(decimals))),
  };
}

/** A table row in one line: `urlKey({...})` types the default against the codec. */
export const urlKey = <T>(k: UrlKey<T>): UrlKey<T> => k;
/** Read from and written to the URL by its view; not persisted. */
export const IN_URL = { url: 'rw', persist: false } as const;
