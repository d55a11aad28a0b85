'use client';

import { useEffect, useRef, useState } from 'react';
import { useExplainService } from '@/components/providers/dashboard-provider';
import type { Attribution, ImageInput } from '@/lib/explain';
import { findMethod, sharedConfig } from '@/lib/compare';
import { argmaxRows } from '@/lib/metrics';

export interface CheckpointMap {
  /** The checkpoint's top class for the image and its probability. */
  top: { index: number; prob: number } | null;
  attribution: Attribution | null;
  status: 'waiting' | 'running' | 'done' | 'error';
  error?: string;
}

export interface CheckpointMaps {
  /** The image as the models see it (all checkpoints share the preprocessing). */
  input: ImageInput | null;
  /** Per worker model id. */
  maps: Record<string, CheckpointMap>;
  /** The class explained: `target` when given, else the last checkpoint's top class (null until known). */
  target: number | null;
  error: string | null;
}

const NONE: CheckpointMaps = { input: null, maps: {}, target: null, error: null };
const aborted = (e: unknown) => e instanceof Error && e.name === 'AbortError';
const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * For one image: every checkpoint's prediction (its top class), then its map for one class and method,
 * the selected checkpoint first. `ids` are the loaded checkpoint models (worker ids) in checkpoint order;
 * a change of image, method, target or models starts over (older runs are cancelled by view key).
 */
export function useCheckpointMaps(
  ids: readonly string[],
  imageId: string | null,
  methodId: string,
  target: number | null,
  selected: number,
): CheckpointMaps {
  const service = useExplainService();
  const [state, setState] = useState<CheckpointMaps & { key: string }>({ key: '', ...NONE });
  const key = JSON.stringify([ids, imageId, methodId, target]);
  // The selected checkpoint goes first, but moving the slider does not start the run again.
  const first = useRef(selected);
  useEffect(() => {
    first.current = selected;
  }, [selected]);

  useEffect(() => {
    const method = findMethod(methodId);
    if (ids.length === 0 || !imageId || !method) return;
    let live = true;
    const patch = (id: string, p: Partial<CheckpointMap>) =>
      live &&
      setState((s) => {
        const prev = s.maps[id] ?? { top: null, attribution: null, status: 'waiting' as const };
        return { ...s, maps: { ...s.maps, [id]: { ...prev, ...p } } };
      });
    void (async () => {
      const api = service().api;
      try {
        const input = await api.modelInput(ids[0] as string, imageId);
        if (!live) return;
        setState({ key, ...NONE, input });
        const tops: number[] = [];
        for (const id of ids) {
          const p = await api.predict(id, imageId);
          const top = argmaxRows(p.probs, p.probs.length)[0] ?? 0;
          tops.push(top);
          patch(id, { top: { index: top, prob: p.probs[top] ?? 0 } });
        }
        const cls = target ?? (tops.at(-1) as number);
        if (!live) return;
        setState((s) => ({ ...s, target: cls }));
        const head = first.current;
        const order = [...ids.keys()].sort((a, b) => (a === head ? -1 : b === head ? 1 : a - b));
        const config = sharedConfig(method, {});
        for (const i of order) {
          const id = ids[i] as string;
          if (!live) return;
          patch(id, { status: 'running' });
          try {
            const attribution = await service().explain(`timeline:${i}`, { modelId: id, imageId, method: method.id, target: cls, config });
            patch(id, { attribution, status: 'done' });
          } catch (e) {
            if (aborted(e)) return;
            patch(id, { status: 'error', error: message(e) });
          }
        }
      } catch (e) {
        if (live && !aborted(e)) setState({ key, ...NONE, error: message(e) });
      }
    })();
    return () => {
      live = false;
      ids.forEach((_, i) => service().cancel(`timeline:${i}`));
    };
  }, [key, ids, imageId, methodId, target, service]);

  return state.key === key ? state : NONE;
}
