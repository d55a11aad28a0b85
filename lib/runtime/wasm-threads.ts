/**
 * Multi-threaded WASM (tfjs-backend-wasm 4.22's threaded SIMD build, XNNPACK's thread pool on pthreads).
 *
 * Why not tfjs's own loader: it starts each pthread worker from `factory.toString()` of the Emscripten glue it
 * was bundled with. After our bundler has rewritten that function (minified names, a `process` polyfill
 * outside it) the text no longer stands alone: every pthread worker throws "r is not defined" and `tf.ready()`
 * never resolves. Here the same glue (the bundled copy) starts the module in our worker, but the pthread
 * workers `importScripts()` the *unbundled* glue that `scripts/sync-assets.mjs` copies to `public/tfjs-wasm/`
 * (`mainScriptUrlOrBlob`), and their entry script is a same-origin file there too (no blob). tfjs's
 * `BackendWasm` then wraps the module as usual, so every registered WASM kernel works unchanged.
 *
 * Threads need `SharedArrayBuffer`, i.e. a cross-origin isolated page (COOP same-origin + COEP require-corp,
 * next.config.ts). Without it, or when the threaded module does not start in time, WASM stays single-threaded.
 */
import * as tf from '@tensorflow/tfjs';
import { BackendWasm, setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import * as threadedGlue from '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js';

/** The files of the threaded build under the WASM base URL (copied there by scripts/sync-assets.mjs). */
export const THREADED_FILES = {
  glue: 'tfjs-backend-wasm-threaded-simd.js',
  worker: 'tfjs-backend-wasm-threaded-simd.worker.js',
  wasm: 'tfjs-backend-wasm-threaded-simd.wasm',
} as const;

/** What the thread decision reads from the environment (plain data: unit-tested without a browser). */
export interface ThreadEnv {
  /** `self.crossOriginIsolated` (undefined outside a browser). */
  isolated: boolean | undefined;
  /** `typeof SharedArrayBuffer !== 'undefined'`. */
  sharedMemory: boolean;
  /** `navigator.hardwareConcurrency` (logical cores; undefined where unknown). */
  cores: number | undefined;
  /** A thread count asked for (`?threads=`); undefined: one per two cores. */
  requested?: number;
}

/** At most this many threads (tfjs's thread pool is sized once; more than the cores only adds switching). */
export const MAX_WASM_THREADS = 16;

/**
 * How many WASM threads to start: one per two logical cores (`navigator.hardwareConcurrency` ÷ 2, tfjs's own
 * rule: its binary assumes two hyper-threads per core), or `requested` (clamped to 1…MAX_WASM_THREADS).
 * On 2 cores that is 1: measured on the 2-core machine, 2 threads were slower than 1 on every step but one
 * (1 ÷ 2 = 0.37–1.10× at load 2.4; the page's renderer and the worker share the cores). 1 — the
 * single-threaded build, silently — when the page is not cross-origin isolated or has no SharedArrayBuffer.
 */
export function wasmThreadCount(env: ThreadEnv): number {
  if (env.isolated !== true || !env.sharedMemory) return 1;
  const want = env.requested ?? Math.floor((env.cores ?? 1) / 2);
  if (!Number.isFinite(want)) return 1;
  return Math.max(1, Math.min(MAX_WASM_THREADS, Math.floor(want)));
}

/** The thread decision's inputs in this worker (or Node, where there is no isolation: 1 thread). */
export function threadEnvHere(requested?: number): ThreadEnv {
  const g = globalThis as { crossOriginIsolated?: boolean; navigator?: { hardwareConcurrency?: number } };
  return {
    isolated: g.crossOriginIsolated,
    sharedMemory: typeof SharedArrayBuffer !== 'undefined',
    cores: g.navigator?.hardwareConcurrency,
    requested,
  };
}

/** The Emscripten module as far as this file and tfjs's BackendWasm use it. */
interface ThreadedModule {
  cwrap(name: string, ret: string | null, args: string[]): (...a: number[]) => number | void;
  PThread?: { terminateAllThreads(): void };
  tfjs?: unknown;
}
type Factory = (config: Record<string, unknown>) => Promise<ThreadedModule>;

const factory: Factory = ((threadedGlue as unknown as { default?: Factory }).default ??
  threadedGlue) as unknown as Factory;

/** Emscripten's `instantiateWasm` hook: the import object it built, and its callback for the instance. */
type WasmImports = Record<string, Record<string, unknown>>;
type ReceiveInstance = (instance: WebAssembly.Instance, module: WebAssembly.Module) => void;

/**
 * Starts the threaded module with its pthread workers for `threads` threads; rejects (and stops the workers)
 * after `timeoutMs`.
 *
 * The binary sizes XNNPACK's pool as min(asked, 8, cores / 2), where cores is what its import
 * `emscripten_num_logical_cores` says (`navigator.hardwareConcurrency`): it assumes two hyper-threads per
 * core, which caps a 2-core machine at 1 thread. The module is instantiated here (as tfjs's own loader does
 * with a custom fetch) with that import answering 2 × threads, so that the pool gets the threads asked for.
 */
async function startThreadedModule(base: string, threads: number, timeoutMs: number): Promise<ThreadedModule> {
  const wasmUrl = base + THREADED_FILES.wasm;
  const config: Record<string, unknown> = {
    // The pthread workers import the unbundled glue (see the file comment) and run the same-origin entry.
    mainScriptUrlOrBlob: base + THREADED_FILES.glue,
    locateFile: (path: string, prefix: string) =>
      path.endsWith('.worker.js')
        ? base + THREADED_FILES.worker
        : path.endsWith('.wasm')
          ? base + THREADED_FILES.wasm
          : prefix + path,
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await new Promise<ThreadedModule>((resolve, reject) => {
      const abort = (msg: unknown) => reject(new Error(`the threaded WASM module aborted: ${String(msg)}`));
      config.onAbort = abort;
      config.instantiateWasm = (imports: WasmImports, receive: ReceiveInstance) => {
        if (imports.env) imports.env.emscripten_num_logical_cores = () => 2 * threads;
        fetch(wasmUrl, { credentials: 'same-origin' })
          .then((res) => {
            if (!res.ok) throw new Error(`${wasmUrl}: the server answered ${res.status}`);
            return res.arrayBuffer();
          })
          .then((bytes) => WebAssembly.instantiate(bytes, imports as WebAssembly.Imports))
          .then((out) => receive(out.instance, out.module), abort);
        return {}; // the exports arrive through `receive`
      };
      timer = setTimeout(
        () => reject(new Error(`the threaded WASM module did not start in ${timeoutMs} ms`)),
        timeoutMs,
      );
      factory(config).then(resolve, reject);
    });
  } catch (e) {
    (config as { PThread?: { terminateAllThreads(): void } }).PThread?.terminateAllThreads();
    throw e;
  } finally {
    clearTimeout(timer);
  }
}

/** tfjs's own bridge (backend_wasm.js `init`), on the module started here. */
function withTfjsBridge(module: ThreadedModule): ThreadedModule {
  module.tfjs = {
    init: module.cwrap('init', null, []),
    initWithThreadsCount: module.cwrap('init_with_threads_count', null, ['number']),
    getThreadsCount: module.cwrap('get_threads_count', 'number', []),
    registerTensor: module.cwrap('register_tensor', null, ['number', 'number', 'number']),
    disposeData: module.cwrap('dispose_data', null, ['number']),
    dispose: module.cwrap('dispose', null, []),
  };
  return module;
}

let threadsStarted = 1;
/** tfjs-backend-wasm's own factory (its single-threaded loader here), kept from the first registration. */
let tfjsFactory: ReturnType<typeof tf.findBackendFactory> | undefined;

/** The number of threads of the WASM backend as started (1: the single-threaded build). */
export function wasmThreads(): number {
  return threadsStarted;
}

function registerFactory(f: NonNullable<ReturnType<typeof tf.findBackendFactory>>): void {
  tf.removeBackend('wasm');
  tf.registerBackend('wasm', f, 2); // tfjs-backend-wasm's own priority
}

/**
 * Registers the WASM backend for `threads` (> 1) threads: the threaded build via `base`, the absolute URL of
 * the folder with THREADED_FILES. Call before the first `tf.setBackend('wasm')`. Returns a function that puts
 * tfjs's own (single-threaded) factory back: the fallback when the threaded one does not start.
 */
export function registerWasm(threads: number, base: string, timeoutMs = 30_000): () => void {
  tfjsFactory ??= tf.findBackendFactory('wasm');
  const original = tfjsFactory;
  threadsStarted = 1;
  if (!original) return () => undefined;
  registerFactory(async () => {
    const wasm = withTfjsBridge(await startThreadedModule(base, threads, timeoutMs));
    setThreadsCount(threads);
    const backend = new BackendWasm(wasm as unknown as ConstructorParameters<typeof BackendWasm>[0]);
    threadsStarted = (wasm.tfjs as { getThreadsCount(): number }).getThreadsCount();
    return backend;
  });
  return () => {
    threadsStarted = 1;
    registerFactory(original);
  };
}
