/**
 * The key-value operations the saved-model store uses, over IndexedDB (idb-keyval) or over memory, and a
 * resilient pair: IndexedDB until an operation fails (storage disabled, private mode, a closing or
 * corrupted database, quota exceeded), then memory for the rest of the session, with the reason kept so
 * the UI can say what happened. Values are kept as given (structured-clone semantics are not emulated).
 */
import { delMany, get, getMany, keys, setMany, update, type UseStore } from 'idb-keyval';

export interface Kv {
  get<T>(key: string): Promise<T | undefined>;
  getMany<T>(keys: string[]): Promise<(T | undefined)[]>;
  /** All entries in one transaction (all or nothing). */
  setMany(entries: [string, unknown][]): Promise<void>;
  keys(): Promise<IDBValidKey[]>;
  update<T>(key: string, fn: (old: T | undefined) => T): Promise<void>;
  delMany(keys: string[]): Promise<void>;
}

/** idb-keyval over the store `store()` returns (created lazily by the caller). */
export function idbKv(store: () => UseStore): Kv {
  return {
    get: (k) => get(k, store()),
    getMany: (ks) => getMany(ks, store()),
    setMany: (e) => setMany(e, store()),
    keys: () => keys(store()),
    update: (k, fn) => update(k, fn, store()),
    delMany: (ks) => delMany(ks, store()),
  };
}

/** A Map behind the same operations (one tab, one session). */
export function memoryKv(): Kv {
  const m = new Map<string, unknown>();
  return {
    get: async <T>(k: string) => m.get(k) as T | undefined,
    getMany: async <T>(ks: string[]) => ks.map((k) => m.get(k) as T | undefined),
    setMany: async (e) => e.forEach(([k, v]) => m.set(k, v)),
    keys: async () => [...m.keys()],
    update: async <T>(k: string, fn: (old: T | undefined) => T) => void m.set(k, fn(m.get(k) as T | undefined)),
    delMany: async (ks) => ks.forEach((k) => m.delete(k)),
  };
}

export interface ResilientKv extends Kv {
  /** Why the store fell back to memory (the browser's words), or null while IndexedDB works. */
  problem(): string | null;
}

/** `primary` until one of its operations throws; from then on (and for that operation) memory. */
export function resilientKv(primary: Kv, fallback: Kv = memoryKv()): ResilientKv {
  let problem: string | null = null;
  const run = async <R>(op: (kv: Kv) => Promise<R>): Promise<R> => {
    if (problem === null) {
      try {
        return await op(primary);
      } catch (e) {
        problem = e instanceof Error ? e.message || e.name : String(e);
      }
    }
    return op(fallback);
  };
  return {
    get: (k) => run((kv) => kv.get(k)),
    getMany: (ks) => run((kv) => kv.getMany(ks)),
    setMany: (e) => run((kv) => kv.setMany(e)),
    keys: () => run((kv) => kv.keys()),
    update: (k, fn) => run((kv) => kv.update(k, fn)),
    delMany: (ks) => run((kv) => kv.delMany(ks)),
    problem: () => problem,
  };
}

/** The notice for a store that fell back to memory. */
export function storageProblemMessage(problem: string): string {
  return `This browser's storage (IndexedDB) cannot be used (${problem}); models you load are kept for this session only and are gone after a reload.`;
}
