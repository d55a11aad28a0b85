/**
 * Backend choice inside the worker: WebGL where the GPU is real, WASM (SIMD; one thread per core where the
 * page is cross-origin isolated, wasm-threads.ts) where WebGL is a software rasterizer (SwiftShader, llvmpipe)
 * or missing, CPU last. `requested` (from `?backend=`) overrides the choice; if it cannot start, the next one
 * in the order is used and the reason says so.
 */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import type { BackendName, BackendReport } from './protocol';
import type { GLTarget } from './context-loss';
import { installFastConvGradient } from './fast-gradients';
import { installGradients } from './gradients';
import { registerWasm, threadEnvHere, wasmThreadCount, wasmThreads } from './wasm-threads';
import { decideWebGPU, probeWebGPU, registerWebGPU, withWebGPU } from './webgpu';

const SOFTWARE_RENDERER = /swiftshader|llvmpipe|softpipe|software|basic render|mesa offscreen/i;

/** Reads the WebGL renderer string from an OffscreenCanvas (works inside a worker). */
export function probeWebGL(): { available: boolean; renderer?: string; software: boolean } {
  try {
    if (typeof OffscreenCanvas === 'undefined') return { available: false, software: false };
    const canvas = new OffscreenCanvas(1, 1);
    const gl = (canvas.getContext('webgl2') ?? canvas.getContext('webgl')) as WebGLRenderingContext | null;
    if (!gl) return { available: false, software: false };
    const ext = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return { available: true, renderer, software: SOFTWARE_RENDERER.test(renderer) };
  } catch {
    return { available: false, software: false };
  }
}

export function isBackendName(x: unknown): x is BackendName {
  return x === 'webgl' || x === 'wasm' || x === 'cpu' || x === 'webgpu';
}

/** Whether the backend menu offers WebGPU: it measured faster here, or `?backend=webgpu` started it (webgpu.ts). */
let webgpuOffered = false;

/** The report's backend, with WASM's thread count when WASM is active or has started threaded. */
function threadsOf(name: BackendName): Pick<BackendReport, 'backend' | 'threads'> {
  const threads = wasmThreads();
  return name === 'wasm' || threads > 1 ? { backend: name, threads } : { backend: name };
}

/** Puts tfjs's single-threaded WASM loader back (set while the threaded one is registered and not yet tried). */
let singleWasm: (() => void) | null = null;

async function setOnce(name: BackendName): Promise<boolean> {
  try {
    return await tf.setBackend(name);
  } catch {
    return false;
  }
}

/** Starts `name`; a threaded WASM that does not start falls back to the single-threaded build, silently. */
async function trySet(name: BackendName): Promise<boolean> {
  const ok = await setOnce(name);
  if (name !== 'wasm' || !singleWasm) return ok;
  const fallback = singleWasm;
  singleWasm = null; // tried once: the threaded factory stays (ok) or is replaced (not ok)
  if (ok) return true;
  fallback();
  return setOnce(name);
}

/**
 * The backends this browser can start, in preference order: WebGPU first where it is offered (it measured
 * faster), WebGL first on a real GPU, last when it is software-rendered (then it is the slowest), absent
 * without a WebGL context.
 */
export function availableBackends(webgl: { available: boolean; software: boolean } = probeWebGL()): BackendName[] {
  const names: BackendName[] = !webgl.available
    ? ['wasm', 'cpu']
    : webgl.software
      ? ['wasm', 'cpu', 'webgl']
      : ['webgl', 'wasm', 'cpu'];
  const started = names.filter((n) => tf.findBackendFactory(n) != null);
  return withWebGPU(started, webgpuOffered && tf.findBackendFactory('webgpu') != null);
}

/**
 * Switches the active backend at run time (the backend menu; WebGL context loss): starts `name`, re-installs
 * the app's gradients, and reports. Throws, in words, for an unknown name or a backend that cannot start
 * (the previous backend stays active). The caller reloads its models and re-probes them (worker-core).
 */
export async function switchTo(name: string): Promise<BackendReport> {
  if (!isBackendName(name)) throw new Error(`"${name}" is not a backend (webgpu, webgl, wasm or cpu).`);
  const webgl = probeWebGL();
  const available = availableBackends(webgl);
  // Null right after resetWebGL removed the active backend.
  const before = tf.getBackend() as string | null;
  if (before !== name && !(await trySet(name))) {
    throw new Error(
      `The ${name.toUpperCase()} backend could not start in this browser; still on ${(before ?? 'none').toUpperCase()}.`,
    );
  }
  await tf.ready();
  installGradients();
  return { ...threadsOf(name), renderer: webgl.renderer, reason: 'chosen in the backend menu', available };
}

export async function chooseBackend(
  requested: string | undefined,
  wasmBase: string,
  opts: { threads?: number } = {},
): Promise<BackendReport> {
  // One WASM thread per core where the page is cross-origin isolated (the threaded build, started so that its
  // pthread workers load the unbundled glue: wasm-threads.ts); tfjs's own single-threaded loader otherwise.
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false); // tfjs's own loader: single-threaded only (see above)
  const threads = wasmThreadCount(threadEnvHere(opts.threads));
  singleWasm = threads > 1 ? registerWasm(threads, wasmBase) : null;
  setWasmPaths(wasmBase);
  // WASM's Conv2DBackpropInput and MaxPoolGrad are slow (and MaxPoolGrad is wrong for windows of negative
  // values in tfjs 4.22): route those input gradients through fast forward kernels (fast-gradients.ts).
  installFastConvGradient(['wasm']);
  // Input-only gradients for fused ops, depthwise convs and StridedSlice on every backend (gradients/).
  installGradients();
  const probe = probeWebGL();
  const gpuApi = (globalThis.navigator as { gpu?: unknown } | undefined)?.gpu != null;
  if (requested === 'webgpu' && gpuApi) await registerWebGPU();
  let order: BackendName[];
  let reason: string;
  if (isBackendName(requested)) {
    order = [requested, ...(['wasm', 'cpu'] as const).filter((b) => b !== requested)];
    reason = `requested with ?backend=${requested}`;
  } else if (probe.available && !probe.software) {
    order = ['webgl', 'wasm', 'cpu'];
    reason = `WebGL runs on a GPU (${probe.renderer ?? 'unknown renderer'})`;
  } else {
    order = ['wasm', 'cpu'];
    reason = probe.available
      ? `WebGL is software-rendered here (${probe.renderer}), WASM is much faster`
      : 'WebGL is not available in this browser';
  }
  for (const [i, name] of order.entries()) {
    if (await trySet(name)) {
      await tf.ready();
      let why = i === 0 ? reason : `${reason}; ${order.slice(0, i).join(', ')} could not start`;
      if (name === 'webgpu') webgpuOffered = true;
      else if (gpuApi) {
        // Where the browser has WebGPU: offer it in the menu only if it measures faster than `name`.
        const gpu = decideWebGPU(await probeWebGPU(name));
        webgpuOffered = gpu.offer;
        if (gpu.offer) why = `${why}; ${gpu.reason} (in the backend menu)`;
      }
      return { ...threadsOf(name), renderer: probe.renderer, reason: why, available: availableBackends(probe) };
    }
  }
  throw new Error('No TensorFlow.js backend could start in this browser.');
}

/** The part of tfjs's WebGL backend the context-loss guard reads (not in tfjs's public types). */
interface WebGLBackendInsides {
  gpgpu?: { gl?: WebGLRenderingContext; itemsToPoll?: unknown[] };
}

/**
 * The active backend's GL context for the context-loss guard: its `isContextLost()` and its canvas's
 * `webglcontextlost` event (an OffscreenCanvas in the worker). Null when the active backend is not WebGL.
 */
export function webglTarget(): GLTarget | null {
  if (tf.getBackend() !== 'webgl') return null;
  const gl = (tf.backend() as unknown as WebGLBackendInsides).gpgpu?.gl;
  const canvas = gl?.canvas as EventTarget | undefined;
  if (!gl || !canvas) return null;
  return {
    isLost: () => gl.isContextLost(),
    onLost(cb) {
      const handler = (ev: Event) => {
        ev.preventDefault(); // lets the browser restore it
        cb();
      };
      canvas.addEventListener('webglcontextlost', handler);
      return () => canvas.removeEventListener('webglcontextlost', handler);
    },
  };
}

/**
 * After a context loss: drops tfjs's WebGL backend (its lost context, compiled programs and the reads
 * polling a fence that will never pass, ~200 polls a second forever) and registers its factory again, so
 * that the next `setBackend('webgl')` makes a new context. Leaves tfjs with no active backend when WebGL
 * was active: switch to one next. Tensors of the old backend can still be disposed. No-op without WebGL.
 */
export function resetWebGL(): void {
  const factory = tf.findBackendFactory('webgl');
  if (!factory) return;
  const old = tf.findBackend('webgl') as unknown as WebGLBackendInsides | null;
  if (old?.gpgpu) old.gpgpu.itemsToPoll = [];
  tf.removeBackend('webgl');
  tf.registerBackend('webgl', factory, 2); // tfjs-backend-webgl's own priority
}

/** Test-only (the e2e hook): loses the active WebGL context the way a GPU reset does. False off WebGL. */
export function loseWebGLContext(): boolean {
  if (tf.getBackend() !== 'webgl') return false;
  const gl = (tf.backend() as unknown as WebGLBackendInsides).gpgpu?.gl;
  const ext = gl?.getExtension('WEBGL_lose_context');
  if (!ext) return false;
  ext.loseContext();
  return true;
}
