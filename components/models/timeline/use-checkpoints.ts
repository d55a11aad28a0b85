'use client';

import { useEffect, useState } from 'react';
import { useExplainService } from '@/components/providers/dashboard-provider';
import type { ManifestModel, ModelInfo } from '@/lib/models';
import { checkpointEntry, parseCheckpoints, type CheckpointSet } from '@/lib/timeline';

/** Where the store fetched the manifest from (its URLs are relative to it). */
export const manifestHref = () => new URL('/models/manifest.json', window.location.href).href;

export interface LoadedCheckpoints {
  set: CheckpointSet | null;
  /** Worker model id → info, per checkpoint loaded so far (in checkpoint order). */
  infos: Record<string, ModelInfo>;
  /** Worker model id of each checkpoint, in checkpoint order. */
  ids: string[];
  error: string | null;
}

const EMPTY: LoadedCheckpoints = { set: null, infos: {}, ids: [], error: null };
/** Each mount loads its own copies (ids end in #run): a late unload of an earlier mount cannot hit them. */
let runs = 0;

/**
 * Reads the parent model's checkpoints.json and loads every checkpoint in the worker through the bundled
 * loader (one after the other, the first one first); unloads them all when the parent changes or the panel
 * goes away.
 */
export function useCheckpoints(parent: ManifestModel | undefined): LoadedCheckpoints {
  const service = useExplainService();
  const [state, setState] = useState<LoadedCheckpoints>(EMPTY);
  const url = parent?.checkpointsUrl;

  useEffect(() => {
    if (!parent || !url) return;
    let live = true;
    const loaded: string[] = [];
    const run = ++runs;
    void (async () => {
      try {
        const href = new URL(url, manifestHref()).href;
        const res = await fetch(href);
        if (!res.ok) throw new Error(`the server answered ${res.status} for ${url}`);
        const set = parseCheckpoints(await res.json(), href);
        const entries = set.checkpoints.map((cp) => {
          const entry = checkpointEntry(parent, cp);
          return { ...entry, id: `${entry.id}#${run}` };
        });
        if (!live) return;
        setState({ set, infos: {}, ids: entries.map((e) => e.id), error: null });
        for (const entry of entries) {
          const info = await service().api.loadBundled(entry, manifestHref());
          loaded.push(entry.id);
          if (!live) break;
          setState((s) => ({ ...s, infos: { ...s.infos, [entry.id]: info } }));
        }
      } catch (e) {
        if (live) setState((s) => ({ ...s, error: e instanceof Error ? e.message : String(e) }));
      } finally {
        if (!live) for (const id of loaded) void service().api.unload(id);
      }
    })();
    return () => {
      live = false;
      for (const id of loaded) void service().api.unload(id);
      loaded.length = 0;
      setState(EMPTY);
    };
  }, [parent, url, service]);

  return state;
}
