'use client';

import { useEffect, useState } from 'react';
import { Panel } from '@/components/ui/panel';
import { connectBenchWorker } from '@/lib/bench';
import type { BackendReport } from '@/lib/runtime';
import { BenchHarness } from './harness';

/**
 * The benchmark harness page: starts the benchmark's own worker (lib/bench/worker.ts), exposes
 * `window.__bench` (a BenchHarness) for scripts/bench/run.mjs and shows which backend runs and the steps
 * the driver has run so far.
 */
export function BenchView() {
  const [backend, setBackend] = useState<BackendReport | null>(null);
  const [backendError, setBackendError] = useState<string | null>(null);
  const [lines, setLines] = useState<string[]>([]);

  useEffect(() => {
    const w = window as unknown as { __bench?: BenchHarness };
    const log = (line: string) => setLines((prev) => [...prev.slice(-199), line]);
    const connection = connectBenchWorker();
    const params = new URLSearchParams(window.location.search);
    const choice = params.get('backend') ?? undefined;
    const threads = Number(params.get('threads')) || undefined;
    const harness = new BenchHarness(
      connection,
      choice,
      log,
      (report, error) => {
        setBackend(report);
        setBackendError(error);
      },
      threads,
    );
    w.__bench = harness;
    // Start the backend right away (the driver's init() then waits for the same start).
    harness.init().catch(() => undefined);
    return () => {
      delete w.__bench;
      connection.terminate();
    };
  }, []);

  return (
    <div className="flex flex-col gap-4" data-testid="bench.view">
      <h1 className="text-lg font-semibold">Benchmark harness</h1>
      <p className="text-sm text-slate-600 dark:text-slate-300">
        This page is driven by <code>npm run bench</code> (scripts/bench/run.mjs), which prints the results. Pick the
        backend with <code>?backend=wasm|cpu|webgl</code>, WASM&apos;s threads with <code>?threads=N</code>.
      </p>
      <p role="status" className="text-sm" data-testid="bench.backend">
        {backendError
          ? `Backend failed: ${backendError}`
          : backend
            ? `Backend: ${backend.backend}${backend.threads ? ` (${backend.threads} threads)` : ''} — ${backend.reason}`
            : 'Starting the worker…'}
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
