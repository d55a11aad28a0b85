/**
 * What the capability probe (probe.ts, in the worker) found out about one model on one backend, as plain
 * data the page keeps in its store: per capability (a forward pass, an input gradient, a layer gradient)
 * whether it ran and how long it took, and per method whether it can run — or why not, in words, and on
 * which other backend it could. tfjs-free (the page imports it).
 */
import type { MethodId } from '@/lib/explain/catalog';
import type { ModelCapability } from '@/lib/explain/types';

/** The TF.js backends the app ships. */
export type BackendName = 'webgl' | 'wasm' | 'cpu' | 'webgpu';

/** The three things a method needs from a model (`ModelCapability`, probed as one call each). */
export type ProbedCapability = ModelCapability;

/** The outcome of one dry run. `ms` is its wall-clock time on the probe input. */
export interface CapabilityCheck {
  ok: boolean;
  ms: number;
  /** Why it cannot run, in plain words naming the missing kernel or op (absent when `ok`). */
  reason?: string;
  /** Other backends of this browser that have what is missing (e.g. the kernel): a one-click way out. */
  elsewhere: BackendName[];
}

/** Whether a method can run with this model on this backend, and if not, why. */
export interface MethodVerdict {
  ok: boolean;
  reason?: string;
  elsewhere: BackendName[];
  /** Time of the probe calls this method needs (their sum). */
  ms: number;
}

/** The probe's result for one model on one backend (plain data, no tensors). */
export interface ModelProbe {
  modelId: string;
  backend: BackendName;
  /** One entry per capability that was probed ('layerGradients' only when the model has a spatial layer). */
  checks: Partial<Record<ProbedCapability, CapabilityCheck>>;
  /**
   * One entry per method compatible with the model's structure (`isCompatible`) whose checks have run; a
   * method without an entry in an incomplete probe is still being checked.
   */
  methods: Partial<Record<MethodId, MethodVerdict>>;
  /** Whether every check a compatible method needs has run (the probe runs in two phases, see probe.ts). */
  complete: boolean;
  /** The class the gradients were taken for (the top class of the noise image). */
  target: number;
  /** Whether the scores differ between the two probe images (the zero-gradient check needs it). */
  outputMoves: boolean;
  /** Time of one forward pass of one image (the probe's, after a warm-up). */
  forwardMs: number;
  /** Wall-clock time of the whole probe. */
  totalMs: number;
}

/** One backend's measured speed on a model: the time of a forward pass of one image (null: failed). */
export interface BackendSpeed {
  backend: BackendName;
  ms: number | null;
  error?: string;
}

/** Display names of the backends. */
export const BACKEND_LABELS: Record<BackendName, string> = {
  webgl: 'WebGL',
  wasm: 'WASM',
  cpu: 'CPU',
  webgpu: 'WebGPU',
};

/** A backend's name in the badge and the backend menu: "WASM · 2 threads" where WASM runs on several. */
export function backendLabel(name: BackendName, threads?: number): string {
  return name === 'wasm' && threads !== undefined && threads > 1
    ? `${BACKEND_LABELS.wasm} · ${threads} threads`
    : BACKEND_LABELS[name];
}
