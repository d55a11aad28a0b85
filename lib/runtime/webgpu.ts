/**
 * WebGPU (tfjs-backend-webgpu 4.22), offered in the backend menu only where it pays: the browser has
 * `navigator.gpu`, gives an adapter, and a short probe (a conv + matMul workload, median of a few runs after a
 * warm-up) measures it faster than the backend the worker chose. The backend's code is imported only then
 * (its own chunk), so a browser without WebGPU — headless Chromium here — never loads it.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendName } from './probe-types';

/** What the WebGPU probe found (plain data; the decision below is unit-tested on it). */
export interface WebGPUProbe {
  /** `navigator.gpu` exists. */
  api: boolean;
  /** `navigator.gpu.requestAdapter()` gave an adapter. */
  adapter: boolean;
  /** The probe workload on WebGPU, ms (null: it did not start or failed). */
  webgpuMs: number | null;
  /** The same workload on the backend the worker chose, ms (null: not measured). */
  otherMs: number | null;
  /** That backend. */
  other?: BackendName;
}

/** Whether the backend menu offers WebGPU, and why (in words, for the notice-free log of the decision). */
export function decideWebGPU(p: WebGPUProbe): { offer: boolean; reason: string } {
  if (!p.api) return { offer: false, reason: 'this browser has no WebGPU (navigator.gpu)' };
  if (!p.adapter) return { offer: false, reason: 'WebGPU gave no adapter' };
  if (p.webgpuMs === null || !Number.isFinite(p.webgpuMs)) return { offer: false, reason: 'WebGPU did not start' };
  if (p.otherMs !== null && Number.isFinite(p.otherMs) && p.webgpuMs >= p.otherMs) {
    return { offer: false, reason: `WebGPU measured slower than ${p.other ?? 'the chosen backend'}` };
  }
  return {
    offer: true,
    reason:
      p.otherMs === null
        ? 'WebGPU runs here'
        : `WebGPU measured ${(p.otherMs / p.webgpuMs).toFixed(1)}× faster than ${p.other ?? 'the chosen backend'}`,
  };
}

/** The menu's order once WebGPU is offered: first (it measured fastest), the others as they were. */
export function withWebGPU(available: readonly BackendName[], offer: boolean): BackendName[] {
  const rest = available.filter((b) => b !== 'webgpu');
  return offer ? ['webgpu', ...rest] : rest;
}

interface GpuNavigator {
  gpu?: { requestAdapter(): Promise<unknown> };
}

/** Median ms of `reps` runs of a fixed conv + matMul workload on the active backend, after one warm-up. */
export async function timeWorkload(reps = 3): Promise<number> {
  const x = tf.randomUniform([1, 64, 64, 16], 0, 1, 'float32', 1) as tf.Tensor4D;
  const w = tf.randomUniform([3, 3, 16, 32], -1, 1, 'float32', 2) as tf.Tensor4D;
  const m = tf.randomUniform([256, 256], -1, 1, 'float32', 3) as tf.Tensor2D;
  const once = async () => {
    const y = tf.tidy(() => tf.conv2d(x, w, 1, 'same').mean().add(tf.matMul(m, m).mean()));
    await y.data();
    y.dispose();
  };
  try {
    const times: number[] = [];
    for (let i = 0; i <= reps; i++) {
      const t0 = performance.now();
      await once();
      if (i > 0) times.push(performance.now() - t0); // run 0 warms up (shader compilation, uploads)
    }
    return times.sort((a, b) => a - b)[reps >> 1] ?? NaN;
  } finally {
    tf.dispose([x, w, m]);
  }
}

let registered: Promise<boolean> | null = null;

/** Imports tfjs-backend-webgpu (it registers 'webgpu'), once; false where that fails. */
export function registerWebGPU(): Promise<boolean> {
  registered ??= import('@tensorflow/tfjs-backend-webgpu').then(
    () => tf.findBackendFactory('webgpu') != null,
    () => false,
  );
  return registered;
}

/**
 * Probes WebGPU against the active backend (`other`) and leaves `other` active. Without `navigator.gpu`
 * (or an adapter) it returns at once and loads nothing; a WebGPU run longer than `timeoutMs` counts as failed.
 */
export async function probeWebGPU(
  other: BackendName,
  nav: GpuNavigator | undefined = globalThis.navigator,
  timeoutMs = 5_000,
) {
  const gpu = nav?.gpu;
  const probe: WebGPUProbe = { api: gpu != null, adapter: false, webgpuMs: null, otherMs: null, other };
  if (!gpu) return probe;
  try {
    probe.adapter = (await gpu.requestAdapter()) != null;
  } catch {
    probe.adapter = false;
  }
  if (!probe.adapter || !(await registerWebGPU())) return probe;
  try {
    probe.otherMs = await timeWorkload();
    if (await tf.setBackend('webgpu')) {
      await tf.ready();
      // A GPU that hangs must not hold the worker's start: past `timeoutMs` WebGPU is not offered.
      let timer: ReturnType<typeof setTimeout> | undefined;
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('the WebGPU probe took too long')), timeoutMs);
      });
      probe.webgpuMs = await Promise.race([timeWorkload(), late]).finally(() => clearTimeout(timer));
    }
  } catch {
    probe.webgpuMs = null;
  } finally {
    if (tf.getBackend() !== other) await tf.setBackend(other);
    await tf.ready();
  }
  return probe;
}
