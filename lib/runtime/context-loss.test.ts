/**
 * The context-loss guard with a fake GL context and a fake backend switch: a job that would hang on a lost
 * context fails with the message, one rebuild switches to the first candidate that starts with a live
 * context and tells the subscribers, jobs started meanwhile wait and run there, a prediction is retried.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import type { BackendChange, BackendName, BackendReport } from './protocol';
import {
  CONTEXT_LOST_MESSAGE,
  ContextLostError,
  createContextLossGuard,
  guardJobs,
  isContextLostError,
} from './context-loss';
import { fakeGLContext } from '@/lib/testing/fake-gl';

/** A guard over a fake world: `backend` is what is active; switching to a name in `broken` throws. */
function world(opts: { broken?: BackendName[]; lostAgain?: boolean } = {}) {
  let gl = fakeGLContext();
  let backend: BackendName = 'webgl';
  const log: string[] = [];
  const changes: BackendChange[] = [];
  const guard = createContextLossGuard({
    current: () => (backend === 'webgl' ? gl.target : null),
    reset: () => log.push('reset'),
    candidates: (losses) => (losses < 2 ? ['webgl', 'wasm', 'cpu'] : ['wasm', 'cpu']),
    async switchBackend(name): Promise<BackendReport> {
      log.push(`switch ${name}`);
      if (opts.broken?.includes(name)) throw new Error(`${name} refused`);
      backend = name;
      if (name === 'webgl') {
        gl = fakeGLContext();
        if (opts.lostAgain) gl.lose();
      }
      return { backend: name, reason: 'switched' };
    },
  });
  guard.subscribe((c) => void changes.push(c));
  guard.watch();
  return { guard, log, changes, gl: () => gl, backend: () => backend };
}

const never = () => new Promise<never>(() => undefined);
const settle = () => new Promise((r) => setTimeout(r, 0));

describe('context-loss guard', () => {
  it('fails a hanging job with the message, rebuilds once on a new WebGL context and tells the page', async () => {
    const w = world();
    const hanging = w.guard.run(never);
    const second = w.guard.run(never);
    w.gl().lose();
    await expect(hanging).rejects.toThrow(CONTEXT_LOST_MESSAGE);
    await expect(second).rejects.toBeInstanceOf(ContextLostError);
    await settle();
    expect(w.log).toEqual(['reset', 'switch webgl']);
    expect(w.changes).toEqual([
      { report: { backend: 'webgl', reason: 'the WebGL context was lost; the models were reloaded on WEBGL' } },
    ]);
    expect(w.guard.losses).toBe(1);
    // It listens to the new context: a second loss is handled too, and then stays off WebGL.
    expect(w.gl().listeners.size).toBe(1);
    w.gl().lose();
    await settle();
    expect(w.log).toEqual(['reset', 'switch webgl', 'reset', 'switch wasm']);
    expect(w.changes.at(-1)).toEqual({
      report: { backend: 'wasm', reason: 'the WebGL context was lost again; the models were reloaded on WASM' },
    });
    expect(await w.guard.run(async () => 7)).toBe(7);
  });

  it('falls back past a backend that does not start or whose new context is lost too, saying so', async () => {
    const w = world({ lostAgain: true, broken: ['wasm'] });
    const job = w.guard.run(never);
    w.gl().lose();
    await expect(job).rejects.toThrow(CONTEXT_LOST_MESSAGE);
    await settle();
    expect(w.log).toEqual(['reset', 'switch webgl', 'switch wasm', 'switch cpu']);
    const change = w.changes[0];
    expect(change && 'report' in change && change.report.backend).toBe('cpu');
    expect(change && 'report' in change && change.report.reason).toBe(
      'the WebGL context was lost; WEBGL did not start (its new context was lost too); WASM did not start (wasm refused); the models were reloaded on CPU',
    );
  });

  it('when nothing starts, the page is told why', async () => {
    const w = world({ broken: ['webgl', 'wasm', 'cpu'] });
    await w.guard.lost();
    expect(w.changes).toEqual([
      {
        error:
          'The WebGL context was lost and no backend could start again: WEBGL did not start (webgl refused); WASM did not start (wasm refused); CPU did not start (cpu refused).',
      },
    ]);
  });

  it('a job started during the rebuild waits for it and runs on the new backend', async () => {
    const w = world();
    const rebuilt = w.guard.lost();
    let ranOn: BackendName | null = null;
    const later = w.guard.run(async () => (ranOn = w.backend()));
    await rebuilt;
    await later;
    expect(ranOn).toBe('webgl');
    expect(w.log).toEqual(['reset', 'switch webgl']);
  });

  it('a result read from a lost context (zeros) is refused; a "context lost" error starts the rebuild', async () => {
    const w = world();
    const zeros = w.guard.run(async () => {
      w.gl().lose();
      return new Float32Array(3);
    });
    await expect(zeros).rejects.toBeInstanceOf(ContextLostError);
    await settle();
    expect(w.guard.losses).toBe(1);

    const v = world();
    await expect(
      v.guard.run(() => Promise.reject(new Error('WebGL: CONTEXT_LOST_WEBGL: loseContext: context lost'))),
    ).rejects.toThrow(CONTEXT_LOST_MESSAGE);
    await settle();
    expect(v.log).toEqual(['reset', 'switch webgl']);
  });

  it('other errors pass through unchanged and start nothing', async () => {
    const w = world();
    await expect(w.guard.run(() => Promise.reject(new Error('bad target')))).rejects.toThrow('bad target');
    expect(w.log).toEqual([]);
    expect(w.guard.losses).toBe(0);
  });

  it('guardJobs: a retried job (a prediction) runs again on the rebuilt backend; others fail; excepted ones are left alone', async () => {
    const w = world();
    let calls = 0;
    const api = {
      predict: (x: number) => (++calls === 1 ? never() : Promise.resolve(x * 2)),
      explain: () => never(),
      memory: () => never(),
    };
    guardJobs(api, w.guard, { except: ['memory'], retried: ['predict'] });
    const p = api.predict(21);
    const e = api.explain();
    const m = api.memory();
    let settled = false;
    void m.then(() => (settled = true));
    w.gl().lose();
    await expect(e).rejects.toThrow(CONTEXT_LOST_MESSAGE);
    expect(await p).toBe(42);
    expect(calls).toBe(2);
    // An excepted call is not raced: still pending after the loss (a guarded one would have rejected).
    await settle();
    expect(settled).toBe(false);
  });

  it('keeps no finished job’s result alive (no reaction left on a long-lived promise)', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const w = world();
    const refs: WeakRef<Float32Array>[] = [];
    for (let i = 0; i < 20; i++) {
      const result = await w.guard.run(async () => new Float32Array(1024));
      refs.push(new WeakRef(result));
    }
    await new Promise((r) => setTimeout(r, 0));
    gc();
    // The last one may still sit in the awaiting frame; racing one long-lived promise kept all 20.
    expect(refs.filter((r) => r.deref() !== undefined).length).toBeLessThanOrEqual(1);
  });

  it('a retried job hit by a loss on its rerun too runs a third time, on the backend after the second loss', async () => {
    const w = world();
    let calls = 0;
    const p = w.guard.run(
      () => {
        calls++;
        if (calls <= 2) setTimeout(() => w.gl().lose(), 0);
        return calls <= 2 ? never() : Promise.resolve('ok');
      },
      { retry: true },
    );
    expect(await p).toBe('ok');
    expect(calls).toBe(3);
    expect(w.backend()).toBe('wasm'); // the second loss ended WebGL
  });

  it('isContextLostError reads tfjs and browser wordings', () => {
    expect(isContextLostError(new ContextLostError())).toBe(true);
    expect(isContextLostError(new Error('WebGL context lost'))).toBe(true);
    expect(isContextLostError(new Error('The context was lost'))).toBe(true);
    expect(isContextLostError('CONTEXT_LOST_WEBGL')).toBe(true);
    expect(isContextLostError(new Error('Failed to compile fragment shader'))).toBe(false);
    expect(isContextLostError(new Error('lost in the forest'))).toBe(false);
  });
});
