import { describe, expect, it } from 'vitest';
import { isAbortError, latestWins, latestWinsPer, SupersededError, type Ticket } from './latest-wins';
import { deferred } from './test-helpers';

describe('latestWins', () => {
  it('start A, start B, B resolves, A resolves: only B commits', async () => {
    const lw = latestWins();
    const committed: string[] = [];
    const a = deferred<string>();
    const b = deferred<string>();
    const work = async (d: ReturnType<typeof deferred<string>>) => {
      const t = lw.start('view');
      const v = await d.promise;
      if (t.isLatest()) committed.push(v);
      t.finish();
    };
    const pa = work(a);
    const pb = work(b);
    b.resolve('B');
    await pb;
    a.resolve('A');
    await pa;
    expect(committed).toEqual(['B']);
    expect(lw.current('view')).toBeUndefined();
  });

  it('aborts the older ticket (signal and onAbort) and keeps keys apart', () => {
    const aborted: string[] = [];
    const lw = latestWins({ prefix: 'eval:', onAbort: (t) => aborted.push(t.id) });
    const a = lw.start('k');
    const other = lw.start('other');
    const b = lw.start('k');
    expect(a.signal.aborted).toBe(true);
    expect(isAbortError(a.signal.reason)).toBe(true);
    expect(b.signal.aborted).toBe(false);
    expect(other.signal.aborted).toBe(false);
    expect(aborted).toEqual([a.id]);
    expect(a.id).toBe(`eval:k#${a.seq}`);
    expect(b.seq).toBeGreaterThan(a.seq);
    expect([a.isLatest(), b.isLatest(), other.isLatest()]).toEqual([false, true, true]);
  });

  it('a finished older ticket does not release the newer one', () => {
    const lw = latestWins();
    const a = lw.start('k');
    const b = lw.start('k');
    a.finish();
    expect(lw.current('k')).toBe(b);
    b.finish();
    expect(lw.current('k')).toBeUndefined();
  });

  it('cancel aborts and releases; cancelling nothing returns undefined', () => {
    const seen: Ticket[] = [];
    const lw = latestWins({ onAbort: (t) => seen.push(t) });
    expect(lw.cancel('k')).toBeUndefined();
    const a = lw.start('k');
    expect(lw.cancel('k')).toBe(a);
    expect(a.signal.aborted).toBe(true);
    expect(a.isLatest()).toBe(false);
    expect(seen).toEqual([a]);
    lw.start('x');
    lw.start('y');
    lw.cancelAll();
    expect(seen.map((t) => t.key)).toEqual(['k', 'x', 'y']);
  });

  it('run: B wins, A rejects with SupersededError even though it resolved', async () => {
    const lw = latestWins();
    const a = deferred<number>();
    const b = deferred<number>();
    const ra = lw.run('k', () => a.promise);
    const rb = lw.run('k', () => b.promise);
    b.resolve(2);
    await expect(rb).resolves.toBe(2);
    a.resolve(1);
    await expect(ra).rejects.toBeInstanceOf(SupersededError);
  });

  it('run: the latest task’s own error comes through; an abort error counts as superseded', async () => {
    const lw = latestWins();
    await expect(lw.run('k', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    const abort = Object.assign(new Error('stopped'), { name: 'AbortError' });
    await expect(lw.run('k', async () => Promise.reject(abort))).rejects.toBeInstanceOf(SupersededError);
    expect(lw.current('k')).toBeUndefined();
  });

  it('run: a cancelled task rejects even when its work fails later with another error', async () => {
    const lw = latestWins();
    const d = deferred<number>();
    const r = lw.run('k', () => d.promise);
    lw.cancel('k');
    d.reject(new Error('late failure'));
    await expect(r).rejects.toBeInstanceOf(SupersededError);
  });
});

describe('latestWins.run without an answer', () => {
  it('rejects at once when superseded, even if the older task never settles', async () => {
    const lw = latestWins();
    const never = new Promise<number>(() => undefined);
    const a = lw.run('k', () => never);
    const b = lw.run('k', async () => 2);
    await expect(a).rejects.toBeInstanceOf(SupersededError);
    await expect(b).resolves.toBe(2);
  });
});

describe('latestWinsPer', () => {
  it('one instance per owner: the same owner supersedes, another owner does not', () => {
    const ticketsFor = latestWinsPer<object>({ prefix: 'run:' });
    const storeA = {};
    const storeB = {};
    expect(ticketsFor(storeA)).toBe(ticketsFor(storeA));
    expect(ticketsFor(storeA)).not.toBe(ticketsFor(storeB));
    const a1 = ticketsFor(storeA).start('k');
    const b1 = ticketsFor(storeB).start('k');
    expect(a1.id).toMatch(/^run:k#/);
    const a2 = ticketsFor(storeA).start('k');
    expect(a1.isLatest()).toBe(false);
    expect(a2.isLatest()).toBe(true);
    expect(b1.isLatest()).toBe(true);
  });
});
