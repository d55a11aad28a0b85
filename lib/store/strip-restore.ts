/**
 * Once per dashboard store: rebuilds the strip (the tab's sessionStorage record, or the link's samples)
 * and then keeps it saved (strip-persist.ts). Every view that shows the strip awaits the same promise, so
 * the first view to ask decides and later ones only wait.
 */
import type { StoreApi } from 'zustand/vanilla';
import type { DashboardStore } from './dashboard-store';
import type { SampleRef } from './url-codecs';
import {
  STRIP_SESSION_KEY,
  STRIP_TAB_KEY,
  chooseStrip,
  dropStaleImages,
  parseStripRecord,
  persistStrip,
  rebuildStrip,
  type StripStorage,
} from './strip-persist';
import { errorText } from './slice';

const started = new WeakMap<StoreApi<DashboardStore>, Promise<void>>();

/** This tab's id (kept in sessionStorage, so it survives reloads and differs between tabs). */
function tabIdOf(io: StripStorage): string {
  let id: string | null = null;
  try {
    id = io.session.getItem(STRIP_TAB_KEY);
    if (!id) io.session.setItem(STRIP_TAB_KEY, (id = io.randomId()));
  } catch {
    id ??= io.randomId();
  }
  return id;
}

/**
 * Restores the strip once for `store` (waits for the manifest first), then starts saving it. Resolves
 * when the strip is rebuilt; never rejects (a failure is a notice).
 */
export function restoreStripOnce(
  store: StoreApi<DashboardStore>,
  link: { strip: readonly SampleRef[]; sample: SampleRef | null },
  io: StripStorage,
): Promise<void> {
  const have = started.get(store);
  if (have) return have;
  const run = (async () => {
    const tabId = tabIdOf(io);
    let keys = new Map<string, string>();
    try {
      void dropStaleImages(io.kv, tabId, io.now()).catch(() => undefined);
      let raw: string | null = null;
      try {
        raw = io.session.getItem(STRIP_SESSION_KEY);
      } catch {
        raw = null;
      }
      const record = chooseStrip(link.strip, parseStripRecord(raw), link.sample);
      if (record) {
        await waitForManifest(store);
        keys = await rebuildStrip(store, record, io.kv);
      }
    } catch (e) {
      store.getState().notify('info', `The image strip could not be restored: ${errorText(e)}`);
    }
    persistStrip(store, io, tabId, keys);
  })();
  started.set(store, run);
  return run;
}

function waitForManifest(store: StoreApi<DashboardStore>): Promise<void> {
  return new Promise((resolve) => {
    const ok = (s: DashboardStore) => s.manifest !== null || s.backendError !== null;
    if (ok(store.getState())) return resolve();
    const unsub = store.subscribe((s) => {
      if (ok(s)) {
        unsub();
        resolve();
      }
    });
  });
}
