/**
 * The image strip survives a reload in the same tab: its list (bundled samples by set and index, the
 * user's images by a storage key, the selection) goes to sessionStorage after every change, the user's
 * image bytes to a key-value store (IndexedDB through lib/models/kv-fallback, memory when the browser
 * refuses it). A reload rebuilds the strip through the images slice's own actions, in order. Pixels never
 * go to the URL; sessionStorage holds only the small list.
 *
 * The storages are injected (tests use memory ones); nothing here reads `window`.
 */
import type { StoreApi } from 'zustand/vanilla';
import type { Kv } from '@/lib/models/kv-fallback';
import type { DashboardStore } from './dashboard-store';
import type { ImageEntry } from './types';
import type { SampleRef } from './url-codecs';
import { errorText } from './slice';

export type StripItem =
  { kind: 'sample'; datasetId: string; index: number } | { kind: 'user'; key: string; name: string };

/** What sessionStorage holds (`STRIP_SESSION_KEY`). */
export interface StripRecord {
  v: 1;
  items: StripItem[];
  /** Index into `items` of the selected image, or null. */
  selected: number | null;
}

/** A user's image as kept in the key-value store (under its item's key). */
export interface StoredImage {
  bytes: ArrayBuffer;
  name: string;
  type: string;
}

export const STRIP_SESSION_KEY = 'why.strip.v1';
export const STRIP_TAB_KEY = 'why.strip.tab';
/** Most items a record holds (a longer strip keeps its first ones). */
export const MAX_STRIP_RECORD = 200;
/** Records of other tabs older than this are deleted at start (their tab is long gone). */
export const STRIP_STALE_MS = 2 * 24 * 3600 * 1000;

export interface StripStorage {
  session: Pick<Storage, 'getItem' | 'setItem'>;
  kv: Kv;
  /** The bytes (and MIME type, "" when unknown) behind an image's display URL (a blob: URL for the user's files). */
  fetchBytes(url: string): Promise<{ bytes: ArrayBuffer; type: string }>;
  now(): number;
  /** A fresh random id. */
  randomId(): string;
}

/** The record of a strip: the first-visit sample is left out; user images need a key (`keyOf`). */
export function stripRecord(
  images: readonly ImageEntry[],
  selectedId: string | null,
  introId: string | null,
  keyOf: (img: ImageEntry) => string | undefined,
): StripRecord {
  const items: StripItem[] = [];
  let selected: number | null = null;
  for (const img of images) {
    if (img.id === introId || items.length >= MAX_STRIP_RECORD) continue;
    let item: StripItem | null = null;
    if (img.sample) item = { kind: 'sample', ...img.sample };
    else {
      const key = keyOf(img);
      if (key) item = { kind: 'user', key, name: img.name };
    }
    if (!item) continue;
    if (img.id === selectedId) selected = items.length;
    items.push(item);
  }
  return { v: 1, items, selected };
}

const isIndex = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < 1e7;
const isText = (v: unknown, max: number): v is string => typeof v === 'string' && v.length > 0 && v.length <= max;

/** The record in sessionStorage's text; null when absent, not JSON or not a record (bad items are dropped). */
export function parseStripRecord(raw: string | null): StripRecord | null {
  if (!raw) return null;
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    return null;
  }
  const r = v as Partial<StripRecord> | null;
  if (!r || r.v !== 1 || !Array.isArray(r.items)) return null;
  const items: StripItem[] = [];
  for (const it of r.items.slice(0, MAX_STRIP_RECORD) as Partial<Record<string, unknown>>[]) {
    if (it?.kind === 'sample' && isText(it.datasetId, 200) && isIndex(it.index))
      items.push({ kind: 'sample', datasetId: it.datasetId, index: it.index });
    else if (it?.kind === 'user' && isText(it.key, 200) && isText(it.name, 500))
      items.push({ kind: 'user', key: it.key, name: it.name });
  }
  const selected = isIndex(r.selected) && r.selected < items.length ? r.selected : null;
  return { v: 1, items, selected };
}

const samplesOf = (r: StripRecord) => r.items.filter((i) => i.kind === 'sample');
const sameSamples = (a: readonly SampleRef[], b: readonly SampleRef[]) =>
  a.length === b.length && a.every((s, i) => s.datasetId === b[i]?.datasetId && s.index === b[i]?.index);

/**
 * Which strip to rebuild: the tab's own record when the link names no strip or the same samples (a
 * reload), else the link's samples (a link opened in this tab). `selected` (the link's `sample`) picks
 * the selection when it is in the strip.
 */
export function chooseStrip(
  urlStrip: readonly SampleRef[],
  session: StripRecord | null,
  urlSample: SampleRef | null,
): StripRecord | null {
  let r: StripRecord | null =
    session && (urlStrip.length === 0 || sameSamples(samplesOf(session), urlStrip))
      ? session
      : urlStrip.length
        ? { v: 1, items: urlStrip.map((s) => ({ kind: 'sample', ...s })), selected: null }
        : null;
  if (r && urlSample) {
    const i = r.items.findIndex(
      (it) => it.kind === 'sample' && it.datasetId === urlSample.datasetId && it.index === urlSample.index,
    );
    if (i >= 0) r = { ...r, selected: i };
  }
  return r && r.items.length ? r : null;
}

/** Ids of images in `after` that are not in `before`. */
const added = (before: readonly ImageEntry[], after: readonly ImageEntry[]) => {
  const had = new Set(before.map((i) => i.id));
  return after.filter((i) => !had.has(i.id)).map((i) => i.id);
};

/**
 * Rebuilds `record` at the end of the strip through the slice's actions, in order: runs of a set's first
 * images with addSamples, other samples with openDatasetImage, user images from the key-value store
 * (one that is gone is named in a notice). Returns the map from new image id to user-image key.
 */
export async function rebuildStrip(
  store: StoreApi<DashboardStore>,
  record: StripRecord,
  kv: Kv,
): Promise<Map<string, string>> {
  const keys = new Map<string, string>();
  const ids: (string | null)[] = [];
  const missing: string[] = [];
  const items = record.items;
  for (let i = 0; i < items.length;) {
    const it = items[i] as StripItem;
    const before = store.getState().images;
    let n = 1;
    if (it.kind === 'sample') {
      while (items[i + n]?.kind === 'sample') {
        const next = items[i + n] as Extract<StripItem, { kind: 'sample' }>;
        if (next.datasetId !== it.datasetId || next.index !== it.index + n) break;
        n++;
      }
      const s = store.getState();
      if (it.index === 0) await s.addSamples(it.datasetId, n);
      else if (await s.ensureDataset(it.datasetId))
        for (let k = 0; k < n; k++) await store.getState().openDatasetImage(it.datasetId, it.index + k);
    } else {
      const stored = await kv.get<StoredImage>(it.key).catch(() => undefined);
      if (stored?.bytes) {
        await store.getState().addImageFiles([new File([stored.bytes], it.name, { type: stored.type })]);
        const id = added(before, store.getState().images)[0];
        if (id) keys.set(id, it.key);
      } else missing.push(it.name);
    }
    const got = added(before, store.getState().images);
    for (let k = 0; k < n; k++) ids.push(got[k] ?? null);
    i += n;
  }
  const sel = record.selected === null ? null : ids[record.selected];
  if (sel) store.getState().selectImage(sel);
  if (missing.length)
    store
      .getState()
      .notify(
        'info',
        `${missing.map((m) => `“${m}”`).join(', ')} could not be restored after the reload (not stored).`,
      );
  return keys;
}

/**
 * Saves the strip after every change: the list to sessionStorage, new user images' bytes to the key-value
 * store (key `strip:<tab>:<time>:<id>`), and deletes the bytes of user images that left the strip.
 * `keys` maps image ids to their stored keys (from rebuildStrip). Returns the unsubscribe function.
 */
export function persistStrip(
  store: StoreApi<DashboardStore>,
  io: StripStorage,
  tabId: string,
  keys: Map<string, string>,
): () => void {
  const pending = new Set<string>();
  const save = (s: DashboardStore) => {
    const record = stripRecord(s.images, s.selectedImageId, s.introImageId, (img) => keys.get(img.id));
    try {
      io.session.setItem(STRIP_SESSION_KEY, JSON.stringify(record));
    } catch {
      // sessionStorage full or disabled: the strip is not kept across a reload; nothing else is affected.
    }
  };
  const onChange = (s: DashboardStore, prev: DashboardStore) => {
    if (s.images === prev.images && s.selectedImageId === prev.selectedImageId && s.introImageId === prev.introImageId)
      return;
    const live = new Set(s.images.map((i) => i.id));
    const gone = [...keys].filter(([id]) => !live.has(id));
    for (const [id] of gone) keys.delete(id);
    if (gone.length) void io.kv.delMany(gone.map(([, k]) => k)).catch(() => undefined);
    for (const img of s.images) {
      if (img.origin !== 'user' || keys.has(img.id) || pending.has(img.id)) continue;
      pending.add(img.id);
      void storeUserImage(io, tabId, img)
        .then((key) => {
          if (key && store.getState().images.some((i) => i.id === img.id)) keys.set(img.id, key);
          else if (key) void io.kv.delMany([key]).catch(() => undefined);
          save(store.getState());
        })
        .catch((e) => store.getState().notify('info', `“${img.name}” will not survive a reload: ${errorText(e)}`))
        .finally(() => pending.delete(img.id));
    }
    save(s);
  };
  return store.subscribe(onChange);
}

async function storeUserImage(io: StripStorage, tabId: string, img: ImageEntry): Promise<string | null> {
  const { bytes, type } = await io.fetchBytes(img.url);
  const key = `strip:${tabId}:${io.now()}:${io.randomId()}`;
  await io.kv.setMany([[key, { bytes, name: img.name, type } satisfies StoredImage]]);
  return key;
}

/** Deletes stored images of other tabs older than STRIP_STALE_MS (keys carry their time). */
export async function dropStaleImages(kv: Kv, tabId: string, now: number): Promise<void> {
  const stale = (await kv.keys())
    .filter((k): k is string => typeof k === 'string' && k.startsWith('strip:'))
    .filter((k) => {
      const [, tab, time] = k.split(':');
      return tab !== tabId && now - Number(time) > STRIP_STALE_MS;
    });
  if (stale.length) await kv.delMany(stale);
}
