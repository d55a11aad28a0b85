/**
 * lib/bench's entry for the /bench page: the connection to the benchmark worker, its typed protocol and
 * the result shapes, and the tfjs-free timing helpers. The worker side (worker.ts, worker-bench.ts, the
 * baselines and the MobileNet builder) imports tfjs and is loaded only inside the benchmark worker.
 */
export * from './client';
export type * from './protocol';
export type * from './types';
export * from './timing';
