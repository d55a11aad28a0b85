/**
 * The capability probe and the backend, on the page: per model the probe's verdicts on the active backend
 * (which methods can run, and why not), per model each backend's measured forward-pass speed, and the
 * run-time backend switch (the worker reloads the models on the new backend; every ready model is then
 * probed again). Plain data from the worker (lib/runtime/probe-types.ts).
 */
import { BACKEND_LABELS, type BackendName, type BackendSpeed, type ModelProbe } from '@/lib/runtime/probe-types';
import type { MethodVerdict, ProbedCapability } from '@/lib/runtime/probe-types';
import type { BackendChange, BackendReport } from '@/lib/runtime/protocol';

/** The probe's first phase (lib/runtime/probe.ts `FAST_CHECKS`; repeated here: that file imports tfjs). */
const FAST_CHECKS: readonly ProbedCapability[] = ['logitsOnly', 'layerGradients'];
import { errorText, type Slice } from './slice';

export type ProbeState =
  { status: 'running' } | { status: 'done'; probe: ModelProbe } | { status: 'error'; error: string };

export type SpeedsState =
  { status: 'running' } | { status: 'done'; speeds: BackendSpeed[] } | { status: 'error'; error: string };

export interface ProbeSlice {
  /** Per model id: its probe on the active backend. */
  probes: Record<string, ProbeState>;
  /** Per model id: each available backend's forward-pass time (measured on demand). */
  backendSpeeds: Record<string, SpeedsState>;
  /** The backend being switched to, while the switch runs. */
  switchingBackend: BackendName | null;
  /** Probes a ready model on the active backend (a failure is kept in `probes`, not a notice). */
  probeModel(id: string): Promise<ModelProbe | null>;
  /** Switches the backend for the session; re-probes every ready model. False (and a notice) on failure. */
  switchBackend(name: BackendName): Promise<boolean>;
  /** The worker changed the backend by itself (WebGL context loss): the badge follows, a notice says so. */
  backendChanged(change: BackendChange): Promise<void>;
  /** Measures the forward-pass time of model `id` on every available backend. */
  measureBackends(id: string): Promise<void>;
}

/**
 * The verdict on method `methodId` for model `modelId`: `undefined` while nothing is known (no probe yet,
 * or it failed — the method is then offered as before), else the probe's verdict.
 */
export function verdictOf(
  probes: Record<string, ProbeState>,
  modelId: string | null | undefined,
  methodId: string,
): MethodVerdict | undefined {
  const p = modelId ? probes[modelId] : undefined;
  return p?.status === 'done' ? p.probe.methods[methodId as keyof ModelProbe['methods']] : undefined;
}

export const createProbeSlice: Slice<ProbeSlice> = (set, get, deps) => {
  const patch = <K extends 'probes' | 'backendSpeeds'>(key: K, id: string, value: ProbeSlice[K][string]) =>
    set((s) => ({ [key]: { ...s[key], [id]: value } }) as Partial<ProbeSlice>);

  /** A new backend: the badge follows, the old probes go, every ready model (selected first) is probed again. */
  const adopt = (report: BackendReport) =>
    set((s) => ({ backend: { ...report, available: report.available ?? s.backend?.available }, probes: {} }));
  const reprobeReady = async () => {
    const ready = Object.values(get().models).filter((m) => m.status === 'ready');
    const selected = get().selectedModelId;
    ready.sort((a, b) => Number(b.id === selected) - Number(a.id === selected));
    for (const m of ready) await get().probeModel(m.id);
  };

  return {
    probes: {},
    backendSpeeds: {},
    switchingBackend: null,

    async probeModel(id) {
      patch('probes', id, { status: 'running' });
      try {
        // Two phases: the cheap checks first (Grad-CAM, occlusion and RISE can start), then the input gradient.
        let probe: ModelProbe | null = null;
        for (const phase of [FAST_CHECKS, undefined]) {
          if (probe?.complete) break;
          probe = await deps.service().api.probe(id, phase);
          // A probe from before a backend switch is stale: the switch probes again.
          if (get().backend && probe.backend !== get().backend?.backend) return null;
          patch('probes', id, { status: 'done', probe });
        }
        return probe;
      } catch (e) {
        patch('probes', id, { status: 'error', error: errorText(e) });
        return null;
      }
    },

    async switchBackend(name) {
      if (get().backend?.backend === name || get().switchingBackend) return get().backend?.backend === name;
      set({ switchingBackend: name });
      try {
        adopt(await deps.service().api.switchBackend(name));
        get().notify(
          'info',
          `Now running on ${BACKEND_LABELS[name]} for this session (your models were reloaded on it).`,
        );
      } catch (e) {
        get().notify('error', `Could not switch to ${BACKEND_LABELS[name]}: ${errorText(e)}`);
        return false;
      } finally {
        set({ switchingBackend: null });
      }
      await reprobeReady();
      return true;
    },

    async backendChanged(change) {
      if ('error' in change) {
        set({ backendError: change.error, probes: {} });
        get().notify('error', change.error);
        return;
      }
      adopt(change.report);
      // Predictions that failed with the lost context are asked for again (the views re-request missing ones).
      set((s) => ({
        predictions: Object.fromEntries(Object.entries(s.predictions).filter(([, p]) => p.status !== 'error')),
      }));
      get().notify(
        'error',
        `The graphics card’s WebGL context was lost; now running on ${BACKEND_LABELS[change.report.backend]} for this session (your models were reloaded on it).`,
      );
      await reprobeReady();
    },

    async measureBackends(id) {
      patch('backendSpeeds', id, { status: 'running' });
      try {
        patch('backendSpeeds', id, { status: 'done', speeds: await deps.service().api.backendSpeeds(id) });
      } catch (e) {
        patch('backendSpeeds', id, { status: 'error', error: errorText(e) });
      }
    },
  };
};
