import { describe, expect, it } from 'vitest';
import type { DatasetMeta } from '@/lib/runtime/protocol';
import { deferred, fakeApi, fakeInfo, makeStore, MANIFEST_TEXT } from './test-helpers';
import { labelledSetName } from './datasets-slice';

const dsMeta = (id: string): DatasetMeta => ({
  id,
  name: id,
  count: 2,
  labels: ['a', 'b'],
  height: 28,
  width: 28,
  channels: 1,
  source: 'bundled',
});

describe('datasets slice', () => {
  it('concurrent ensureDataset calls share one fetch; unknown sets are false', async () => {
    const answer = deferred<{ meta: DatasetMeta; labels: Int32Array }>();
    const f = fakeApi({ loadBundledDataset: () => answer.promise });
    const store = makeStore(f.api);
    store.setState({ manifest: JSON.parse(MANIFEST_TEXT) });
    const a = store.getState().ensureDataset('fashion-test-2k');
    const b = store.getState().ensureDataset('fashion-test-2k');
    answer.resolve({ meta: dsMeta('fashion-test-2k'), labels: new Int32Array([0, 1]) });
    expect(await Promise.all([a, b])).toEqual([true, true]);
    expect(f.count('loadBundledDataset')).toBe(1);
    expect(f.calls[0]?.args[1]).toBe('https://app.test/models/manifest.json');
    expect(Array.from(store.getState().datasets['fashion-test-2k']?.labels ?? [])).toEqual([0, 1]);
    expect(await store.getState().ensureDataset('fashion-test-2k')).toBe(true);
    expect(await store.getState().ensureDataset('no-such-set')).toBe(false);
    expect(f.count('loadBundledDataset')).toBe(1);
  });

  it('a failed fetch is a notice and false; the next ask tries again', async () => {
    let fail = true;
    const f = fakeApi({
      loadBundledDataset: () =>
        fail ? Promise.reject(new Error('damaged')) : { meta: dsMeta('mnist-test-2k'), labels: new Int32Array(2) },
    });
    const store = makeStore(f.api);
    store.setState({ manifest: JSON.parse(MANIFEST_TEXT) });
    expect(await store.getState().ensureDataset('mnist-test-2k')).toBe(false);
    expect(store.getState().notices.at(-1)?.text).toBe('damaged');
    fail = false;
    expect(await store.getState().ensureDataset('mnist-test-2k')).toBe(true);
  });

  it('a labelled set needs the model’s labels, is named after its folder, and is stored with its report', async () => {
    const report = { found: 2 };
    const f = fakeApi({
      addLabelledSet: (name: string, files: { path: string }[], labels: string[]) => ({
        meta: { ...dsMeta(`user-${name}`), source: 'user' },
        labels: new Int32Array(files.length),
        report: { ...report, labels },
      }),
    });
    const store = makeStore(f.api);
    expect(await store.getState().addLabelledSet([], 'm')).toBeNull();
    expect(store.getState().notices.at(-1)?.text).toMatch(/^Load the model first/);
    store.setState({
      models: { m: { id: 'm', name: 'm', source: 'user', status: 'ready', info: fakeInfo('m', ['cat', 'dog']) } },
    });
    const files = [new File(['x'], 'a.png'), new File(['y'], 'b.png')];
    const id = await store.getState().addLabelledSet(files, 'm', ['pets/cat/a.png', 'pets/dog/b.png']);
    expect(id).toBe('user-pets');
    expect(f.calls.at(-1)?.args.slice(0, 1)).toEqual(['pets']);
    expect(store.getState().datasets['user-pets']?.report).toEqual({ found: 2, labels: ['cat', 'dog'] });
    expect(store.getState().busy.labelledSet).toBe(false);
    expect(labelledSetName(['a/x.png', 'b/y.png'])).toBe('2 files');
    expect(labelledSetName(['top/x.png'])).toBe('top');
  });
});
