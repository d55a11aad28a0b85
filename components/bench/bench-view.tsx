'use client';

import { useEffect, useState } from 'react';
import { useDashboard, useDashboardApi, useExplainService } from '@/components/providers/dashboard-provider';
import { Panel } from '@/components/ui/panel';
import { BenchHarness } from './harness';

/**
 * The benchmark harness page: exposes `window.__bench` (a BenchHarness) for scripts/bench/run.mjs and
 * shows which backend runs and the steps the driver has run so far.
 */
export function BenchView() {
  const store = useDashboardApi();
  const service = useExplainService();
  const backend = useDashboard((s) => s.backend);
  const backendError = useDashboard((s) => s.backendError);
  const [lines, setLines] = useState<string[]>([]);

  useEffect(() => {
    const w = window as unknown as { __bench?: BenchHarness };
    const log = (line: string) => setLines((prev) => [...prev.slice(-199), line]);
    w.__bench = new BenchHarness(service, () => store.getState(), log);
    return () => {
      delete w.__bench;
    };
  }, [store, service]);

  return (
    <div className="flex flex-col gap-4" data-testid="bench.view">
      <h1 className="text-lg font-semibold">Benchmark harness</h1>
      <p className="text-sm text-slate-600 dark:text-slate-300">
        This page is driven by <code>npm run bench</code> (scripts/bench/run.mjs), which prints the results. Pick the backend with{' '}
        <code>?backend=wasm|cpu|webgl</code>.
      </p>
      <p role="status" className="text-sm" data-testid="bench.backend">
        {backendError ? `Backend failed: ${backendError}` : backend ? `Backend: ${backend.backend} — ${backend.reason}` : 'Starting the worker…'}
      </p>
      <Panel title="Steps run">
        <ol className="list-decimal pl-6 font-mono text-xs tabular-nums" data-testid="bench.log" aria-live="polite">
          {lines.map((l, i) => (
            <li key={i}>{l}</li>
          ))}
        </ol>
      </Panel>
    </div>
  );
}
