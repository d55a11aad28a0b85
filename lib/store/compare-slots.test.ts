import { describe, expect, it } from 'vitest';
import type { Attribution, ImageInput } from '@/lib/explain/types';
import { createCompareStore } from './compare-store';
import { runSlotExplanation, type SlotService } from './compare-slots';
import { latestWins } from './latest-wins';
import { deferred, fakeAttribution, fakeRequest, type Deferred } from './test-helpers';

const input: ImageInput = { width: 1, height: 1, channels: 1, data: new Float32Array(1) };
const job = (target: number) => ({
  key: `k${target}`,
  req: fakeRequest(target),
});

/** Like ExplainService: latest-wins per view key unless `plain` (a service that lets every answer through). */
function fakeService(plain = false) {
  const lw = latestWins();
  const answers: Deferred<Attribution>[] = [];
  const svc = {
    api: { modelInput: async () => input },
    explain: (key: string) => {
      const d = deferred<Attribution>();
      answers.push(d);
      return plain ? d.promise : lw.run(key, () => d.promise);
    },
  };
  return { service: (() => svc) as unknown as SlotService, answers };
}

describe('runSlotExplanation', () => {
  it('start A, start B, B resolves, A resolves: the slot shows B (even if the service let A through)', async () => {
    const { service, answers } = fakeService(true);
    const store = createCompareStore();
    const a = runSlotExplanation(service, store, 'a', job(1));
    const b = runSlotExplanation(service, store, 'a', job(2));
    answers[1]?.resolve(fakeAttribution(2));
    await b;
    answers[0]?.resolve(fakeAttribution(1));
    await a;
    expect(store.getState().slots.a.explanation).toMatchObject({
      key: 'k2',
      status: 'ready',
      progress: 1,
      attribution: { target: 2 },
    });
  });

  it('the same request started twice (a retry): the older answer, arriving last, does not replace the newer', async () => {
    const { service, answers } = fakeService(true);
    const store = createCompareStore();
    const a = runSlotExplanation(service, store, 'a', job(1));
    const b = runSlotExplanation(service, store, 'a', job(1));
    const newer = fakeAttribution(1);
    answers[1]?.resolve(newer);
    await b;
    answers[0]?.resolve(fakeAttribution(1));
    await a;
    expect(store.getState().slots.a.explanation.attribution).toBe(newer);
  });

  it('an older failure after a newer request is ignored; slots are independent', async () => {
    const { service, answers } = fakeService(true);
    const store = createCompareStore();
    const a = runSlotExplanation(service, store, 'a', job(1));
    const other = runSlotExplanation(service, store, 'b', job(5));
    const b = runSlotExplanation(service, store, 'a', job(2));
    answers[2]?.resolve(fakeAttribution(2));
    answers[1]?.resolve(fakeAttribution(5));
    await Promise.all([b, other]);
    answers[0]?.reject(new Error('stale'));
    await a;
    expect(store.getState().slots.a.explanation).toMatchObject({ key: 'k2', status: 'ready' });
    expect(store.getState().slots.b.explanation).toMatchObject({ key: 'k5', status: 'ready' });
  });

  it('the latest failure shows its message; a ready result is not asked again', async () => {
    const { service, answers } = fakeService();
    const store = createCompareStore();
    const a = runSlotExplanation(service, store, 'a', job(1));
    answers[0]?.reject(new Error('Class 1 is out of range'));
    await a;
    expect(store.getState().slots.a.explanation).toMatchObject({ status: 'error', error: 'Class 1 is out of range' });
    const b = runSlotExplanation(service, store, 'a', job(1));
    answers[1]?.resolve(fakeAttribution(1));
    await b;
    await runSlotExplanation(service, store, 'a', job(1));
    expect(answers).toHaveLength(2);
  });
});
