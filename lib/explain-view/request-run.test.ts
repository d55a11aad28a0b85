import { describe, expect, it } from 'vitest';
import type { Attribution } from '@/lib/explain/types';
import { deferred, fakeAttribution, fakeRequest, flush, type Deferred } from '@/lib/store/test-helpers';
import { latestWins } from '@/lib/store/latest-wins';
import type { ExplainJob } from './request';
import { cancelRun, startRun, type RunService } from './request-run';
import { createExplainViewStore } from './view-store';
import { lruGet } from './result-cache';

const job = (target: number): ExplainJob => ({
  key: `k${target}`,
  request: fakeRequest(target),
});

/** A service like ExplainService: latest-wins per service key; each call waits for the test. */
function fakeService() {
  const lw = latestWins();
  const answers: Deferred<Attribution>[] = [];
  const progress: ((f: number) => void)[] = [];
  const svc = {
    explain: (key: string, _req: unknown, onProgress?: (f: number) => void) =>
      lw.run(key, () => {
        const d = deferred<Attribution>();
        answers.push(d);
        if (onProgress) progress.push(onProgress);
        return d.promise;
      }),
    cancel: (key: string) => void lw.cancel(key),
  };
  return { service: (() => svc) as unknown as RunService, answers, progress };
}

/**
 * Starts run A (class 1, service key `keyA`) then run B (class 2, `keyB`) on run key "main"; B resolves
 * first, then `settleA` settles A. Returns the view store once both have settled.
 */
async function raceOnMain(keyA: string, keyB: string, settleA: (a: Deferred<Attribution>) => void) {
  const { service, answers } = fakeService();
  const store = createExplainViewStore();
  const a = startRun(service, store, keyA, 'main', job(1));
  const b = startRun(service, store, keyB, 'main', job(2));
  answers[1]?.resolve(fakeAttribution(2));
  await b;
  settleA(answers[0] as Deferred<Attribution>);
  await a;
  return store;
}

describe('startRun / cancelRun', () => {
  it('start A, start B on the same keys, B resolves, A resolves: the run shows B; both results are cached', async () => {
    const store = await raceOnMain('explain:main', 'explain:main', (a) => a.resolve(fakeAttribution(1)));
    expect(store.getState().runs.main).toMatchObject({ key: 'k2', status: 'done', progress: 1 });
    expect(lruGet(store.getState().results, 'k2')?.target).toBe(2);
    expect(lruGet(store.getState().results, 'k1')).toBeUndefined(); // superseded in the service: rejected, not cached
  });

  it('an older run on another service key that finishes late does not overwrite the newer run state', async () => {
    const store = await raceOnMain('explain:batch', 'explain:main', (a) => a.reject(new Error('late failure')));
    expect(store.getState().runs.main).toMatchObject({ key: 'k2', status: 'done' });
  });

  it('cancel by the user stays cancelled; a failure keeps its message; progress only while running', async () => {
    const { service, answers, progress } = fakeService();
    const store = createExplainViewStore();
    const a = startRun(service, store, 'explain:main', 'main', job(1));
    await flush(1);
    progress[0]?.(1);
    expect(store.getState().runs.main?.progress).toBe(1);
    cancelRun(service, store, 'explain:main', 'main');
    await a;
    expect(store.getState().runs.main).toMatchObject({ key: 'k1', status: 'cancelled' });
    progress[0]?.(1);
    expect(store.getState().runs.main?.status).toBe('cancelled');
    const b = startRun(service, store, 'explain:main', 'main', job(3));
    answers[1]?.reject(new Error('Class 3 is out of range'));
    await b;
    expect(store.getState().runs.main).toMatchObject({ key: 'k3', status: 'error', error: 'Class 3 is out of range' });
  });
});
