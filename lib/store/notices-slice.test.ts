import { describe, expect, it } from 'vitest';
import { fakeApi, makeStore } from './test-helpers';
import { MAX_NOTICES } from './notices-slice';

describe('notices slice', () => {
  it('keeps the last five notices with increasing ids; dismiss removes one', () => {
    const store = makeStore(fakeApi().api);
    for (let i = 1; i <= 7; i++) store.getState().notify(i % 2 ? 'info' : 'error', `n${i}`);
    const notices = store.getState().notices;
    expect(notices.map((n) => n.text)).toEqual(['n3', 'n4', 'n5', 'n6', 'n7']);
    expect(notices).toHaveLength(MAX_NOTICES);
    expect(notices.map((n) => n.id)).toEqual([3, 4, 5, 6, 7]);
    expect(notices[1]?.kind).toBe('error');
    store.getState().dismissNotice(5);
    expect(store.getState().notices.map((n) => n.text)).toEqual(['n3', 'n4', 'n6', 'n7']);
    store.getState().dismissNotice(99);
    expect(store.getState().notices).toHaveLength(4);
  });
  it('busy flags are set and cleared one by one', () => {
    const store = makeStore(fakeApi().api);
    store.getState().setBusy('images', true);
    store.getState().setBusy('loadModel', true);
    store.getState().setBusy('images', false);
    expect(store.getState().busy).toEqual({ images: false, loadModel: true });
  });
  it('two stores do not share notices (no module-level state)', () => {
    const a = makeStore(fakeApi().api);
    const b = makeStore(fakeApi().api);
    a.getState().notify('info', 'only a');
    expect(b.getState().notices).toEqual([]);
    b.getState().notify('info', 'b');
    expect(b.getState().notices[0]?.id).toBe(1);
  });
});
