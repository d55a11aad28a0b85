import { describe, expect, it, vi } from 'vitest';
import { fakeApi, fakeFetch, makeStore, MANIFEST_TEXT } from './test-helpers';

const file = (name: string, bytes = [1, 2, 3]) => new File([new Uint8Array(bytes)], name, { type: 'image/png' });
const meta = (id: string, name = id) => ({ id, name, width: 28, height: 28, format: 'png' });

describe('images slice', () => {
  it('adds each readable file, names the unreadable one, selects the last added', async () => {
    let n = 0;
    const f = fakeApi({
      addImage: (_b: ArrayBuffer, name: string) =>
        name === 'bad.png' ? Promise.reject(new Error('not an image')) : meta(`img-${++n}`, name),
    });
    const store = makeStore(f.api);
    const p = store.getState().addImageFiles([file('a.png'), file('bad.png'), file('c.png')]);
    expect(store.getState().busy.images).toBe(true);
    await p;
    const s = store.getState();
    expect(s.images.map((i) => i.name)).toEqual(['a.png', 'c.png']);
    expect(s.images.every((i) => i.url.startsWith('blob:') && i.origin === 'user')).toBe(true);
    expect(s.images).toHaveLength(2);
    expect(s.selectedImageId).toBe('img-2');
    expect(s.busy.images).toBe(false);
    expect(s.notices.map((x) => x.text)).toEqual(['“bad.png”: not an image']);
  });

  it('removing the selected image selects its neighbour and drops its predictions', async () => {
    const f = fakeApi({ removeImage: () => undefined });
    const store = makeStore(f.api);
    const img = (id: string) => ({ ...meta(id), url: `data:${id}`, origin: 'user' as const });
    store.setState({
      images: [img('i1'), img('i2'), img('i3')],
      selectedImageId: 'i3',
      predictions: { 'm|i3|default': { status: 'ready' }, 'm|i1|default': { status: 'ready' } },
    });
    await store.getState().removeImage('i3');
    expect(store.getState().selectedImageId).toBe('i2');
    expect(Object.keys(store.getState().predictions)).toEqual(['m|i1|default']);
    await store.getState().removeImage('i1');
    expect(store.getState().selectedImageId).toBe('i2');
    await store.getState().removeImage('i2');
    expect(store.getState()).toMatchObject({ images: [], selectedImageId: null });
    await store.getState().removeImage('gone'); // unknown: nothing asked of the worker
    expect(f.count('removeImage')).toBe(3);
    store.getState().selectImage('gone');
    expect(store.getState().selectedImageId).toBeNull();
  });

  it('samples of a bundled set: pixels per image, label in the name, first one selected', async () => {
    const manifest = JSON.parse(MANIFEST_TEXT) as {
      datasets: { id: string; width: number; height: number; channels: number; labels: string[] }[];
    };
    const ds = manifest.datasets[0] as (typeof manifest.datasets)[0];
    const size = ds.width * ds.height * ds.channels;
    const pixels = new Uint8Array(size * 3).map((_, i) => Math.floor(i / size)); // image k is all k
    const labels = new Uint8Array([2, 0, 1]);
    const seen: number[] = [];
    let n = 0;
    const f = fakeApi({
      addPixels: (px: Uint8Array, w: number, h: number, c: number, name: string) => (
        seen.push(px[0] as number, px.length),
        meta(`s-${++n}`, name)
      ),
    });
    const store = makeStore(f.api, {
      fetchImpl: fakeFetch({ 'images.u8': pixels, 'labels.u8': labels }),
    });
    store.setState({ manifest: JSON.parse(MANIFEST_TEXT) });
    await store.getState().addSamples(ds.id, 2);
    const s = store.getState();
    expect(s.images.map((i) => i.name)).toEqual([`${ds.id} #0 (${ds.labels[2]})`, `${ds.id} #1 (${ds.labels[0]})`]);
    expect(seen).toEqual([0, size, 1, size]);
    expect(s.images.map((i) => i.trueLabel)).toEqual([ds.labels[2], ds.labels[0]]);
    expect(s.images[1]).toMatchObject({
      origin: 'sample',
      sample: { datasetId: ds.id, index: 1 },
      url: `px:${ds.width}x${ds.height}x${ds.channels}`,
    });
    expect(s.selectedImageId).toBe('s-1');
    const broken = makeStore(f.api, { fetchImpl: fakeFetch({}) });
    broken.setState({ manifest: JSON.parse(MANIFEST_TEXT) });
    await broken.getState().addSamples(ds.id, 2);
    expect(broken.getState().notices.at(-1)?.text).toBe(
      'Samples could not be added: the evaluation set could not be fetched',
    );
  });

  it('opens an image of an evaluation set once asked, and says why when it cannot', async () => {
    const f = fakeApi({
      addDatasetImage: (ds: string, i: number) => meta(`${ds}-${i}`),
      datasetImage: () => ({ data: new Uint8ClampedArray(4 * 4), width: 2, height: 2, name: 'x' }),
    });
    const store = makeStore(f.api);
    expect(await store.getState().openDatasetImage('ds', 7)).toBe('ds-7');
    expect(store.getState().images[0]).toMatchObject({ url: 'rgba:2x2', sample: { datasetId: 'ds', index: 7 } });
    expect(store.getState().selectedImageId).toBe('ds-7');
    expect(store.getState().images[0]?.trueLabel).toBeUndefined(); // the set's labels are not loaded
    store.setState({
      datasets: {
        ds: {
          meta: {
            id: 'ds',
            name: 'D',
            count: 9,
            labels: ['cat', 'dog'],
            height: 2,
            width: 2,
            channels: 1,
            source: 'bundled',
          },
          labels: new Int32Array([0, 0, 0, 0, 0, 0, 0, 1, 0]),
        },
      },
    });
    await store.getState().openDatasetImage('ds', 7);
    expect(store.getState().images[1]?.trueLabel).toBe('dog');
    const bad = makeStore(
      fakeApi({ addDatasetImage: () => Promise.reject(new Error('This evaluation set is not loaded.')) }).api,
    );
    expect(await bad.getState().openDatasetImage('ds', 1)).toBeNull();
    expect(bad.getState().notices.at(-1)?.text).toBe(
      'The image could not be opened: This evaluation set is not loaded.',
    );
  });

  it('first visit: image 0 of the set fills an empty strip, and makes room once the user adds images', async () => {
    const manifest = JSON.parse(MANIFEST_TEXT) as {
      datasets: { id: string; width: number; height: number; channels: number; labels: string[] }[];
    };
    const ds = manifest.datasets[0] as (typeof manifest.datasets)[0];
    const size = ds.width * ds.height * ds.channels;
    let n = 0;
    const f = fakeApi({
      addPixels: (_px: Uint8Array, _w: number, _h: number, _c: number, name: string) => meta(`s-${++n}`, name),
      addImage: (_b: ArrayBuffer, name: string) => meta(`u-${++n}`, name),
      removeImage: () => undefined,
    });
    const fetchImpl = fakeFetch({ 'images.u8': new Uint8Array(size * 3), 'labels.u8': new Uint8Array([3, 1, 2]) });
    const store = makeStore(f.api, { fetchImpl });
    store.setState({ manifest: JSON.parse(MANIFEST_TEXT) });
    await store.getState().addIntroSample(ds.id);
    expect(store.getState()).toMatchObject({ selectedImageId: 's-1', introImageId: 's-1' });
    expect(store.getState().images.map((i) => [i.sample?.index, i.trueLabel])).toEqual([[0, ds.labels[3]]]);
    await store.getState().addIntroSample(ds.id); // not empty: nothing more
    expect(store.getState().images).toHaveLength(1);
    await store.getState().addImageFiles([file('mine.png')]);
    expect(store.getState().images.map((i) => i.name)).toEqual(['mine.png']);
    expect(store.getState()).toMatchObject({ introImageId: null, selectedImageId: 'u-2' });
    expect(f.count('removeImage')).toBe(1);

    // A strip that filled while the sample was on its way keeps only what the user chose.
    const slow = makeStore(f.api, { fetchImpl });
    slow.setState({ manifest: JSON.parse(MANIFEST_TEXT) });
    const p = slow.getState().addIntroSample(ds.id);
    slow.setState({ images: [{ ...meta('x'), url: 'data:x', origin: 'user' }], selectedImageId: 'x' });
    await p;
    expect(slow.getState().images.map((i) => i.id)).toEqual(['x']);
    expect(slow.getState().introImageId).toBeNull();
    expect(f.count('removeImage')).toBe(2); // the late sample is freed in the worker

    // The user asks for samples while the first-visit one is on its way: only theirs are shown.
    const race = makeStore(f.api, { fetchImpl });
    race.setState({ manifest: JSON.parse(MANIFEST_TEXT) });
    const intro = race.getState().addIntroSample(ds.id);
    const mine = race.getState().addSamples(ds.id, 3);
    await Promise.all([intro, mine]);
    expect(race.getState().images.map((i) => i.sample?.index)).toEqual([0, 1, 2]);
    expect(race.getState().introImageId).toBeNull();

    // A reload restores the user's image (still being read) while the strip shows nothing yet: the
    // first-visit sample, asked for in that moment, stays out — the strip is the user's one image.
    let decoded: () => void = () => undefined;
    const slowDecode = fakeApi({
      addPixels: (_px: Uint8Array, _w: number, _h: number, _c: number, name: string) => meta(`s-${++n}`, name),
      addImage: (_b: ArrayBuffer, name: string) =>
        new Promise((resolve) => (decoded = () => resolve(meta(`u-${++n}`, name)))),
      removeImage: () => undefined,
    });
    const reload = makeStore(slowDecode.api, { fetchImpl });
    reload.setState({ manifest: JSON.parse(MANIFEST_TEXT) });
    const restoring = reload.getState().addImageFiles([file('mine.png')]);
    await reload.getState().addIntroSample(ds.id); // the sample is read while mine.png is still decoding
    await vi.waitFor(() => expect(slowDecode.count('addImage')).toBe(1));
    decoded();
    await restoring;
    expect(reload.getState().images.map((i) => i.name)).toEqual(['mine.png']);
    expect(reload.getState().introImageId).toBeNull();
  });
});
