/**
 * WebGL context loss in the worker (issue #19 item 2). When the GPU resets, the browser takes the WebGL
 * context away: tfjs's pending reads (`await t.data()`) then wait on a fence that never passes, so a run
 * hangs at 0 % and Cancel (checked between calls) never gets its turn; `dataSync()` silently returns zeros.
 *
 * The guard wraps every GPU job: a job races against the loss (the canvas's `webglcontextlost` event, a
 * job error that says "context lost", or `isContextLost()` after it ends), so a running job fails with
 * {@link CONTEXT_LOST_MESSAGE} instead of hanging or answering zeros. Then, once, it drops the lost
 * backend, switches to the first candidate that starts with a live context (a new WebGL context; WASM
 * after a second loss or when WebGL will not come back; CPU last) — the switch reloads every model — and
 * tells the page (`subscribe`). Jobs that start while it rebuilds wait for it; a job marked `retry` (a
 * prediction) runs again on the new backend.
 *
 * No tfjs here (tests drive it with a fake context): the WebGL side is `webglTarget` / `resetWebGL` in
 * backend.ts, the switch is worker-core's `switchBackend`.
 */
import type { BackendChange, BackendName, BackendReport } from './protocol';

/** What a job that was running when the context was lost rejects with. */
export const CONTEXT_LOST_MESSAGE =
  'The graphics card’s WebGL context was lost during this run, so the run was stopped. The models are being ' +
  'reloaded on a working backend: run it again.';

/** The rejection of a job cut short by a WebGL context loss (name 'ContextLostError'). */
export class ContextLostError extends Error {
  constructor() {
    super(CONTEXT_LOST_MESSAGE);
    this.name = 'ContextLostError';
  }
}

const LOST_TEXT = /context (?:was |is )?lost|CONTEXT_LOST_WEBGL|webglcontextlost/i;

/** Whether an error from tfjs or the browser says the WebGL context is gone. */
export function isContextLostError(e: unknown): boolean {
  if (e instanceof ContextLostError) return true;
  const text = e instanceof Error ? `${e.name} ${e.message}` : String(e);
  return LOST_TEXT.test(text);
}

/** The active backend's GL context, as much of it as the guard needs. */
export interface GLTarget {
  isLost(): boolean;
  /** Calls `cb` when the context is lost; returns the function that stops listening. */
  onLost(cb: () => void): () => void;
}

export interface ContextLossDeps {
  /** The active backend's GL context; null when the active backend is not WebGL. */
  current(): GLTarget | null;
  /** Drops the lost WebGL backend so that the next switch to WebGL makes a new context. */
  reset(): void;
  /** The backends to try, in order, after loss number `losses` (1 on the first). */
  candidates(losses: number): BackendName[];
  /** Switches to `name` and reloads the models there (throws in words when it cannot start). */
  switchBackend(name: BackendName): Promise<BackendReport>;
}

export interface ContextLossGuard {
  /** Starts listening to the active backend's context (after init and after every backend switch). */
  watch(): void;
  /**
   * Runs a job that may touch the GPU. It waits while a rebuild runs; rejects with ContextLostError if the
   * context is lost before it settles; with `retry`, runs once more on the rebuilt backend instead.
   */
  run<T>(job: () => Promise<T>, opts?: { retry?: boolean }): Promise<T>;
  /** Handles a loss now (the event's handler; also for tests). Resolves when the rebuild has ended. */
  lost(): Promise<void>;
  /** Calls `cb` after every rebuild with the backend it ended on (or why none could start). */
  subscribe(cb: (change: BackendChange) => void): void;
  /** How many losses were handled. */
  readonly losses: number;
}

/** How often a retried job (a prediction) runs in all when losses keep hitting it. */
const MAX_ATTEMPTS = 3;

export function createContextLossGuard(deps: ContextLossDeps): ContextLossGuard {
  let losses = 0;
  /** Counts contexts: a job that started in an older one ran on a lost context. */
  let generation = 0;
  /**
   * The reject functions of the jobs running now. One small promise per job, dropped when it settles:
   * racing every job against one long-lived promise would keep each job's result alive (every race leaves
   * a reaction on it) — the soak caught that, one Attribution per run.
   */
  const racing = new Set<(e: Error) => void>();
  let recovering: Promise<void> | null = null;
  let unwatch: (() => void) | null = null;
  const watchers = new Set<(change: BackendChange) => void>();

  function tell(change: BackendChange) {
    for (const cb of watchers) void Promise.resolve(cb(change)).catch(() => watchers.delete(cb));
  }

  async function rebuild(): Promise<BackendReport> {
    deps.reset();
    const tried: string[] = [];
    for (const name of deps.candidates(losses)) {
      try {
        const report = await deps.switchBackend(name);
        if (deps.current()?.isLost()) throw new Error('its new context was lost too');
        const before = tried.length ? `; ${tried.join('; ')}` : '';
        report.reason = `the WebGL context was lost${losses > 1 ? ' again' : ''}${before}; the models were reloaded on ${name.toUpperCase()}`;
        return report;
      } catch (e) {
        tried.push(`${name.toUpperCase()} did not start (${e instanceof Error ? e.message : String(e)})`);
      }
    }
    throw new Error(`The WebGL context was lost and no backend could start again: ${tried.join('; ')}.`);
  }

  function watch() {
    unwatch?.();
    unwatch = deps.current()?.onLost(() => void lost()) ?? null;
  }

  function lost(): Promise<void> {
    if (recovering) return recovering;
    losses++;
    unwatch?.();
    unwatch = null;
    generation++;
    for (const reject of racing) reject(new ContextLostError());
    racing.clear();
    recovering = (async () => {
      try {
        tell({ report: await rebuild() });
      } catch (e) {
        tell({ error: e instanceof Error ? e.message : String(e) });
      } finally {
        recovering = null;
        watch();
      }
    })();
    return recovering;
  }

  async function run<T>(job: () => Promise<T>, opts: { retry?: boolean } = {}, attempt = 1): Promise<T> {
    while (recovering) await recovering;
    const mine = generation;
    let reject: (e: Error) => void = () => undefined;
    const lostHere = new Promise<never>((_, r) => (reject = r));
    racing.add(reject);
    try {
      const result = await Promise.race([job(), lostHere]);
      // Read from a context that was lost meanwhile: its numbers may be zeros.
      if (mine !== generation || deps.current()?.isLost()) throw new ContextLostError();
      return result;
    } catch (e) {
      const gone = mine !== generation || isContextLostError(e) || deps.current()?.isLost() === true;
      if (!gone) throw e;
      // Only a loss of the context this job ran on starts a rebuild (not a stale error after one).
      if (mine === generation) void lost();
      // A retried job runs again after each rebuild, up to MAX_ATTEMPTS (a loss can hit its rerun too).
      if (!opts.retry || attempt >= MAX_ATTEMPTS) throw new ContextLostError();
      while (recovering) await recovering;
      return run(job, opts, attempt + 1);
    } finally {
      racing.delete(reject);
    }
  }

  return {
    watch,
    run,
    lost,
    subscribe: (cb) => void watchers.add(cb),
    get losses() {
      return losses;
    },
  };
}

/**
 * Wraps every job of `api` in `guard.run` (in place) except `except` (calls that must answer during a
 * rebuild: cancel, memory, the switch itself): they fail on a loss; `retried` ones run again on the rebuilt
 * backend. Jobs added to the API later are guarded without a change here.
 */
export function guardJobs<A extends object>(
  api: A,
  guard: ContextLossGuard,
  opts: { except: readonly (keyof A)[]; retried: readonly (keyof A)[] },
): void {
  for (const name of Object.keys(api) as (keyof A)[]) {
    const job = api[name];
    if (opts.except.includes(name) || typeof job !== 'function') continue;
    const retry = opts.retried.includes(name);
    const call = job as unknown as (...args: unknown[]) => Promise<unknown>;
    (api as Record<keyof A, unknown>)[name] = (...args: unknown[]) => guard.run(() => call(...args), { retry });
  }
}

/** Whether this build has the test-only hooks (NEXT_PUBLIC_TEST_HOOKS=1, the e2e build). */
export function testHooksOn(): boolean {
  try {
    return process.env.NEXT_PUBLIC_TEST_HOOKS === '1';
  } catch {
    return false;
  }
}
