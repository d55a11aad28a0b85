/**
 * A read-only probe the Explain view registers for the test-only window API (components/layout/
 * test-hooks.tsx exposes it as `window.__why.explain()` when NEXT_PUBLIC_TEST_HOOKS=1). Plain data only.
 */
import type { MapStats } from './stats';

export interface ExplainProbeTile {
  method: string;
  target: number | null;
  status: string;
  stats: MapStats | null;
  totalMs: number | null;
}

export interface ExplainProbe {
  modelId: string | null;
  imageId: string | null;
  method: string;
  /** The class being explained (null until the prediction is known). */
  target: number | null;
  /** 'idle' | 'running' | 'done' | 'error' | 'cancelled' */
  status: string;
  progress: number;
  error: string | null;
  stats: MapStats | null;
  /** The attribution's own method and target (what was actually computed). */
  resultMethod: string | null;
  resultTarget: number | null;
  totalMs: number | null;
  config: Record<string, unknown> | null;
  tab: string;
  grid: ExplainProbeTile[];
  batch: ExplainProbeTile[];
}

let probe: (() => ExplainProbe) | null = null;

export function setExplainProbe(fn: (() => ExplainProbe) | null): void {
  probe = fn;
}

export function readExplainProbe(): ExplainProbe | null {
  return probe ? probe() : null;
}
