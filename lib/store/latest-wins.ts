/**
 * "Latest request wins", once for the whole app. Every async action that can be started again before the
 * previous start has finished (an explanation per view key, an evaluation per (model, set), a Compare
 * slot's map) takes a ticket for its key; a newer ticket for the same key aborts the older one, and only
 * the holder of the latest ticket may commit its result.
 *
 *   const runs = latestWins({ prefix: 'eval:', onAbort: (t) => api.cancel(t.id) });
 *   const t = runs.start(key);            // aborts the previous ticket for `key`
 *   const r = await work(t.id, t.signal);
 *   if (t.isLatest()) commit(r);          // or: await runs.run(key, work), which throws SupersededError
 *   t.finish();
 *
 * Plain JavaScript (no React, no tfjs): usable in stores, hooks and the service alike.
 */

/** Thrown (or rejected with) when a newer request for the same key, or a cancel, replaced this one. */
export class SupersededError extends Error {
  constructor(message = 'Cancelled') {
    super(message);
    this.name = 'AbortError';
  }
}

/** True for SupersededError and for any other abort (DOMException AbortError, the worker's AbortError). */
export function isAbortError(e: unknown): boolean {
  return e instanceof Error && e.name === 'AbortError';
}

export interface Ticket {
  /** The key the ticket was taken for. */
  readonly key: string;
  /** Sequence number, unique per latestWins instance, increasing (≥ 1). */
  readonly seq: number;
  /** `${prefix}${key}#${seq}`: unique request id (what the worker is told, and cancelled by). */
  readonly id: string;
  /** Aborted when a newer ticket for the key is taken, or the key is cancelled. */
  readonly signal: AbortSignal;
  /** Whether this is still the latest ticket for its key (false once superseded, cancelled or finished). */
  isLatest(): boolean;
  /** Releases the key if this ticket still holds it (call when the work has settled). */
  finish(): void;
}

export interface LatestWins {
  /** Takes a new ticket for `key`, aborting the previous one (if any). */
  start(key: string): Ticket;
  /** The latest unfinished ticket for `key`, if any. */
  current(key: string): Ticket | undefined;
  /** Aborts and releases the latest ticket for `key`; returns it (undefined when none was running). */
  cancel(key: string): Ticket | undefined;
  /** Aborts every running ticket. */
  cancelAll(): void;
  /**
   * Runs `task` under a new ticket for `key`. Resolves with its result only if the ticket is still the
   * latest when it settles; rejects with SupersededError as soon as it is superseded or cancelled (without
   * waiting for the task, whose late result or error is dropped), and with the task's own error otherwise
   * (an abort error from the task counts as superseded).
   */
  run<T>(key: string, task: (ticket: Ticket) => Promise<T>): Promise<T>;
}

export interface LatestWinsOptions {
  /** Prefix of ticket ids (e.g. "eval:"). Default "". */
  prefix?: string;
  /** Called once for each ticket that is aborted (superseded or cancelled), after its signal fired. */
  onAbort?: (ticket: Ticket) => void;
}

/** A promise that rejects with SupersededError when `signal` aborts (never resolves). */
function aborted(signal: AbortSignal): Promise<never> {
  return new Promise<never>((_, reject) => {
    if (signal.aborted) reject(new SupersededError());
    else signal.addEventListener('abort', () => reject(new SupersededError()), { once: true });
  });
}

export function latestWins(opts: LatestWinsOptions = {}): LatestWins {
  const prefix = opts.prefix ?? '';
  const latest = new Map<string, { ticket: Ticket; controller: AbortController }>();
  let seq = 0;

  const abort = (entry: { ticket: Ticket; controller: AbortController }) => {
    entry.controller.abort(new SupersededError());
    opts.onAbort?.(entry.ticket);
  };

  const api: LatestWins = {
    start(key) {
      const controller = new AbortController();
      const n = ++seq;
      const ticket: Ticket = {
        key,
        seq: n,
        id: `${prefix}${key}#${n}`,
        signal: controller.signal,
        isLatest: () => latest.get(key)?.ticket === ticket,
        finish: () => {
          if (latest.get(key)?.ticket === ticket) latest.delete(key);
        },
      };
      const previous = latest.get(key);
      latest.set(key, { ticket, controller });
      if (previous) abort(previous);
      return ticket;
    },
    current(key) {
      return latest.get(key)?.ticket;
    },
    cancel(key) {
      const entry = latest.get(key);
      if (!entry) return undefined;
      latest.delete(key);
      abort(entry);
      return entry.ticket;
    },
    cancelAll() {
      for (const key of [...latest.keys()]) api.cancel(key);
    },
    async run(key, task) {
      const ticket = api.start(key);
      try {
        const result = await Promise.race([task(ticket), aborted(ticket.signal)]);
        if (!ticket.isLatest()) throw new SupersededError();
        return result;
      } catch (e) {
        if (!ticket.isLatest() || isAbortError(e)) throw e instanceof SupersededError ? e : new SupersededError();
        throw e;
      } finally {
        ticket.finish();
      }
    },
  };
  return api;
}

/**
 * One `latestWins(opts)` per owner (e.g. one per store), created on first use and dropped with the owner
 * (a WeakMap): tickets of different stores never supersede each other.
 */
export function latestWinsPer<Owner extends object>(opts: LatestWinsOptions = {}): (owner: Owner) => LatestWins {
  const perOwner = new WeakMap<Owner, LatestWins>();
  return (owner) => {
    let t = perOwner.get(owner);
    if (!t) perOwner.set(owner, (t = latestWins(opts)));
    return t;
  };
}
