/**
 * lib/runtime's entry for the page: the ExplainService (the page's handle on the tfjs worker), the typed
 * worker protocol and the batch-size cap. tfjs-free. The worker side (worker.ts, worker-core.ts,
 * backend.ts, gradients/, fast-gradients.ts, worker-*.ts) imports tfjs and is deliberately not exported:
 * it is loaded only as a Worker (`new Worker(new URL('./worker.ts', import.meta.url))`) or by other worker
 * entries (lib/bench/worker.ts).
 */
export * from './explain-service';
export type * from './protocol';
export * from './batch-cap';
export { BACKEND_LABELS, backendLabel } from './probe-types';
