import { resolveObjectURL } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { memoryKv } from '@/lib/models/kv-fallback';
import {
  STRIP_SESSION_KEY,
  STRIP_STALE_MS,
  chooseStrip,
  dropStaleImages,
  parseStripRecord,
  stripRecord,
  type StripRecord,
  type StripStorage,
} from './strip-persist';
import { restoreStripOnce } from './strip-restore';
import { fakeApi, fakeFetch, flush, makeStore, MANIFEST_TEXT } from './test-helpers';
import type { ImageEntry } from './types';

const manifest = JSON.parse(MANIFEST_TEXT) as {
  datasets: { id: string; width: number; height: number; channels: number; count: number }[];
};
const ds = manifest.datasets[0] as (typeof manifest.datasets)[0];
const size = ds.width * ds.height * ds.channels;

function memoryIo(): StripStorage & { session: Map<string, string> & Pick<Storage, 'getItem' | 'setItem'> } {
  const m = new Map<string, string>() as Map<string, string> & Pick<Storage, 'getItem' | 'setItem'>;
  m.getItem = (k) => m.get(k) ?? null;
  m.setItem = (k, v) => void m.set(k, v);
  let n = 0;
  return {
    session: m,
    kv: memoryKv(),
    async fetchBytes(url) {
      const blob = resolveObjectURL(url);
      if (!blob) throw new Error(`no blob behind ${url}`);
      return { bytes: await blob.arrayBuffer(), type: blob.type };
    },
    now: () => 1_000_000,
    randomId: () => `r${++n}`,
  };
}

/** A store over a fake worker whose images get fresh ids (names kept), with the bundled set's files. */
function storeWithSet() {
  let n = 0;
  const f = fakeApi({
    addPixels: (_px: Uint8Array, w: number, h: number, _c: number, name: string) => ({
      id: `s${++n}`,
      name,
      width: w,
      height: h,
      format: 'raw',
    }),
    addImage: (_b: ArrayBuffer, name: string) => ({ id: `u${++n}`, name, width: 2, height: 2, format: 'png' }),
    removeImage: () => undefined,
  });
  const store = makeStore(f.api, {
    fetchImpl: fakeFetch({
      'images.u8': new Uint8Array(size * 12),
      'labels.u8': new Uint8Array(12),
      '/models/manifest.json': MANIFEST_TEXT,
    }),
  });
  store.setState({ manifest: JSON.parse(MANIFEST_TEXT) });
  return store;
}

const names = (images: ImageEntry[]) => images.map((i) => i.name);

describe('strip record', () => {
  it('lists samples and keyed user images in order, leaves out the intro sample and unkeyed images', () => {
    const img = (id: string, extra: Partial<ImageEntry>): ImageEntry =>
      ({ id, name: id, width: 1, height: 1, format: 'png', url: `u:${id}`, origin: 'user', ...extra }) as ImageEntry;
    const images = [
      img('intro', { origin: 'sample', sample: { datasetId: 'd', index: 0 } }),
      img('a', { origin: 'sample', sample: { datasetId: 'd', index: 3 } }),
      img('b', {}),
      img('c', {}),
    ];
    const r = stripRecord(images, 'b', 'intro', (i) => (i.id === 'b' ? 'key-b' : undefined));
    expect(r).toEqual({
      v: 1,
      items: [
        { kind: 'sample', datasetId: 'd', index: 3 },
        { kind: 'user', key: 'key-b', name: 'b' },
      ],
      selected: 1,
    });
    expect(parseStripRecord(JSON.stringify(r))).toEqual(r);
  });
  it('garbage and hostile records: null, or bad items dropped and the selection checked', () => {
    for (const bad of [null, '', '{', '[]', '{"v":2,"items":[]}', '{"v":1,"items":{}}'])
      expect(parseStripRecord(bad)).toBeNull();
    const r = parseStripRecord(
      JSON.stringify({
        v: 1,
        items: [
          { kind: 'sample', datasetId: 'd', index: -1 },
          { kind: 'sample', datasetId: 'd', index: 2 },
          { kind: 'user', key: '', name: 'x' },
          { kind: 'evil', html: '<img onerror=1>' },
        ],
        selected: 7,
      }),
    );
    expect(r).toEqual({ v: 1, items: [{ kind: 'sample', datasetId: 'd', index: 2 }], selected: null });
  });
  it('chooseStrip: the tab record on a reload, the link when it names other samples', () => {
    const session: StripRecord = {
      v: 1,
      items: [
        { kind: 'sample', datasetId: 'd', index: 0 },
        { kind: 'user', key: 'k', name: 'me.png' },
      ],
      selected: 1,
    };
    expect(chooseStrip([], session, null)).toBe(session);
    expect(chooseStrip([{ datasetId: 'd', index: 0 }], session, null)).toBe(session);
    const other = chooseStrip([{ datasetId: 'd', index: 5 }], session, { datasetId: 'd', index: 5 });
    expect(other).toEqual({ v: 1, items: [{ kind: 'sample', datasetId: 'd', index: 5 }], selected: 0 });
    expect(chooseStrip([], null, null)).toBeNull();
  });
});

describe('the strip survives a reload', () => {
  it('samples and a user image come back in order, with the selection; removed images lose their bytes', async () => {
    const io = memoryIo();
    const first = storeWithSet();
    await restoreStripOnce(first, { strip: [], sample: null }, io); // nothing to restore; starts saving
    await first.getState().addSamples(ds.id, 3);
    await first.getState().addImageFiles([new File([new Uint8Array([9, 8, 7])], 'mine.png', { type: 'image/png' })]);
    await first.getState().addImageFiles([new File([new Uint8Array([1])], 'gone.png', { type: 'image/png' })]);
    await flush();
    const gone = first.getState().images.find((i) => i.name === 'gone.png') as ImageEntry;
    await first.getState().removeImage(gone.id);
    first.getState().selectImage(first.getState().images[3]?.id as string);
    await flush();
    const before = names(first.getState().images);
    expect(before).toHaveLength(4);
    expect((await io.kv.keys()).length).toBe(1); // gone.png's bytes deleted

    const second = storeWithSet(); // the reloaded page: a fresh store and worker, same tab storage
    await restoreStripOnce(second, { strip: [], sample: null }, io);
    const s = second.getState();
    expect(names(s.images)).toEqual(before);
    expect(s.images.find((i) => i.id === s.selectedImageId)?.name).toBe('mine.png');
    expect(s.notices).toEqual([]);
    const saved = parseStripRecord(io.session.get(STRIP_SESSION_KEY) ?? null);
    expect(saved?.items.map((i) => i.kind)).toEqual(['sample', 'sample', 'sample', 'user']);
  });
  it('a user image whose bytes are gone is named in a notice; the rest comes back', async () => {
    const io = memoryIo();
    io.session.setItem(
      STRIP_SESSION_KEY,
      JSON.stringify({
        v: 1,
        items: [
          { kind: 'user', key: 'strip:t:1:missing', name: 'lost.png' },
          { kind: 'sample', datasetId: ds.id, index: 0 },
        ],
        selected: 0,
      }),
    );
    const store = storeWithSet();
    await restoreStripOnce(store, { strip: [], sample: null }, io);
    expect(names(store.getState().images)).toHaveLength(1);
    expect(store.getState().notices.map((n) => n.text)).toEqual([
      '“lost.png” could not be restored after the reload (not stored).',
    ]);
  });
  it("stale images of other tabs are deleted; this tab's and recent ones stay", async () => {
    const kv = memoryKv();
    const now = 10 * STRIP_STALE_MS;
    await kv.setMany([
      [`strip:other:${now - STRIP_STALE_MS - 1}:a`, 1],
      [`strip:other:${now - 1000}:b`, 1],
      [`strip:me:0:c`, 1],
      ['model:x', 1],
    ]);
    await dropStaleImages(kv, 'me', now);
    expect((await kv.keys()).sort()).toEqual([`strip:me:0:c`, `strip:other:${now - 1000}:b`, 'model:x'].sort());
  });
});
