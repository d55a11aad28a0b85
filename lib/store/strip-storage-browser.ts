/**
 * The browser's storages for strip-persist.ts: sessionStorage for the list, IndexedDB (database
 * "why-strip", resilient: memory when the browser refuses it) for the user's image bytes. Call in the
 * browser only (effects, event handlers).
 */
import { createStore, type UseStore } from 'idb-keyval';
import { idbKv, resilientKv } from '@/lib/models/kv-fallback';
import type { StripStorage } from './strip-persist';

/** sessionStorage, or a Map when the browser refuses it (private modes, disabled storage). */
function sessionOrMemory(): Pick<Storage, 'getItem' | 'setItem'> {
  try {
    const s = window.sessionStorage;
    s.getItem('why.probe');
    return s;
  } catch {
    const m = new Map<string, string>();
    return { getItem: (k) => m.get(k) ?? null, setItem: (k, v) => void m.set(k, v) };
  }
}

export function browserStripStorage(): StripStorage {
  let db: UseStore | undefined;
  return {
    session: sessionOrMemory(),
    kv: resilientKv(idbKv(() => (db ??= createStore('why-strip', 'images')))),
    async fetchBytes(url) {
      const blob = await (await fetch(url)).blob();
      return { bytes: await blob.arrayBuffer(), type: blob.type };
    },
    now: () => Date.now(),
    randomId: () => crypto.randomUUID(),
  };
}
