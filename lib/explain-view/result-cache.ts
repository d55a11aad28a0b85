/**
 * Cache keys and a small LRU for attributions, so switching back to a (model, image, method, parameters,
 * class, resize) combination shows the earlier result at once. Plain data only: the LRU is an immutable
 * value ({ keys, items }) that a store can hold; every operation returns a new value.
 */

/** JSON with object keys sorted (so {a, b} and {b, a} give the same text); typed arrays as arrays. */
export function stableStringify(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : 'null';
  if (typeof v === 'string' || typeof v === 'boolean') return JSON.stringify(v);
  if (ArrayBuffer.isView(v) && !(v instanceof DataView))
    return stableStringify(Array.from(v as unknown as ArrayLike<number>));
  if (Array.isArray(v)) return `[${v.map(stableStringify).join(',')}]`;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableStringify(o[k])}`)
      .join(',')}}`;
  }
  return 'null';
}

export interface ResultKeyParts {
  modelId: string;
  imageId: string;
  method: string;
  /** The configuration as sent to the worker. */
  config: Record<string, unknown>;
  target: number;
  /** Resize policy, or null for the model's default. */
  resize: string | null;
}

/** One string per distinct explanation request. */
export function resultKey(p: ResultKeyParts): string {
  return [p.modelId, p.imageId, p.method, p.target, p.resize ?? 'default', stableStringify(p.config)].join('|');
}

export interface Lru<T> {
  /** Least recently used first. */
  readonly keys: readonly string[];
  readonly items: Readonly<Record<string, T>>;
  readonly max: number;
}

export function emptyLru<T>(max: number): Lru<T> {
  if (!Number.isInteger(max) || max < 1) throw new Error('an LRU needs room for at least one item');
  return { keys: [], items: {}, max };
}

/** The value and whether it was there (peek: does not change the order). */
export function lruGet<T>(lru: Lru<T>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(lru.items, key) ? lru.items[key] : undefined;
}

/** Marks `key` as most recently used (no-op when absent). */
export function lruTouch<T>(lru: Lru<T>, key: string): Lru<T> {
  if (!Object.prototype.hasOwnProperty.call(lru.items, key) || lru.keys[lru.keys.length - 1] === key) return lru;
  return { ...lru, keys: [...lru.keys.filter((k) => k !== key), key] };
}

/** Inserts or replaces `key` as most recently used, evicting the least recently used beyond `max`. */
export function lruPut<T>(lru: Lru<T>, key: string, value: T): Lru<T> {
  const keys = [...lru.keys.filter((k) => k !== key), key];
  const items: Record<string, T> = { ...lru.items, [key]: value };
  while (keys.length > lru.max) {
    const old = keys.shift() as string;
    delete items[old];
  }
  return { keys, items, max: lru.max };
}

/** Drops every entry whose key satisfies `pred` (e.g. an image that was removed). */
export function lruDrop<T>(lru: Lru<T>, pred: (key: string) => boolean): Lru<T> {
  const keys = lru.keys.filter((k) => !pred(k));
  if (keys.length === lru.keys.length) return lru;
  const items: Record<string, T> = {};
  for (const k of keys) items[k] = lru.items[k] as T;
  return { keys, items, max: lru.max };
}
