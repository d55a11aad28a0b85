'use client';

import { useEffect, useRef, useState } from 'react';
import { proxy } from 'comlink';
import { useDashboard, useExplainService } from '@/components/providers/dashboard-provider';
import type { CurvePoint, CutPoint, HeadTuneOptions, HeadTuneProgress, HeadTuneResult } from '@/lib/train';

export interface HeadTuneView {
  running: boolean;
  phase: 'reading' | 'features' | 'train' | null;
  /** Fraction of the current phase, in [0, 1]. */
  fraction: number;
  curve: CurvePoint[];
  result: HeadTuneResult | null;
  error: string | null;
}

const IDLE: HeadTuneView = { running: false, phase: null, fraction: 0, curve: [], result: null, error: null };
let seq = 0;

/** Runs a head-tuning job in the worker (progress, curve, Cancel) and lists + selects the model it saves. */
export function useHeadTune() {
  const service = useExplainService();
  const adopt = useDashboard((s) => s.adoptBuiltModel);
  const notify = useDashboard((s) => s.notify);
  const [view, setView] = useState<HeadTuneView>(IDLE);
  const current = useRef<string | null>(null);

  const start = async (modelId: string, files: File[], name: string, options: HeadTuneOptions) => {
    const requestId = `headtune#${++seq}`;
    current.current = requestId;
    setView({ ...IDLE, running: true, phase: 'reading' });
    try {
      const payload = await Promise.all(
        files.map(async (f) => ({ path: f.webkitRelativePath || f.name, bytes: await f.arrayBuffer() })),
      );
      const onProgress = (p: HeadTuneProgress) =>
        setView((v) =>
          p.phase === 'features'
            ? { ...v, phase: 'features', fraction: p.fraction }
            : { ...v, phase: 'train', fraction: p.fraction, curve: [...v.curve, p.point] },
        );
      const result = await service().api.trainHead(
        requestId,
        { modelId, files: payload, name, options },
        proxy(onProgress),
      );
      setView((v) => ({ ...v, running: false, phase: null, result }));
      await adopt(result.modelId, result.name);
      notify('info', `Trained a new head and saved “${result.name}” in this browser; it is now the selected model.`);
    } catch (e) {
      const cancelled = e instanceof Error && e.name === 'AbortError';
      const error = cancelled ? 'Cancelled: nothing was saved.' : e instanceof Error ? e.message : String(e);
      setView((v) => ({ ...v, running: false, phase: null, error }));
    } finally {
      current.current = null;
    }
  };

  const cancel = () => {
    if (current.current) void service().api.cancelHeadTune(current.current);
  };

  return { view, start, cancel };
}

/** Where model `id` can be cut (loads it first); `error` in words for models that cannot take a new head. */
export function useCutPoints(id: string | null) {
  const service = useExplainService();
  const ensure = useDashboard((s) => s.ensureModel);
  const [state, setState] = useState<{ id: string | null; points: CutPoint[]; defaultCut: string; error: string | null }>(
    { id: null, points: [], defaultCut: '', error: null },
  );
  useEffect(() => {
    if (!id) return;
    let live = true;
    void (async () => {
      try {
        if (!(await ensure(id))) throw new Error('The model could not be loaded.');
        const r = await service().api.headTuneCutPoints(id);
        if (live) setState({ id, points: r.points, defaultCut: r.defaultCut, error: null });
      } catch (e) {
        if (live) setState({ id, points: [], defaultCut: '', error: e instanceof Error ? e.message : String(e) });
      }
    })();
    return () => {
      live = false;
    };
  }, [id, ensure, service]);
  return state.id === id ? state : { id, points: [], defaultCut: '', error: null };
}
