'use client';

import type { RunState } from '@/lib/explain-view';
import { Button } from '@/components/ui/button';

/** Progress bar with Cancel for a running explanation; the cancelled / failed states with Run again. */
export function RunStatusBar({
  run,
  onCancel,
  onRetry,
  label,
  testId = 'explain.progress',
}: {
  run: RunState | undefined;
  onCancel: () => void;
  onRetry: () => void;
  label: string;
  testId?: string;
}) {
  if (!run || run.status === 'done') return null;
  if (run.status === 'running') {
    return (
      <div role="status" className="flex items-center gap-2 text-sm" data-testid={testId}>
        <span>Computing {label}…</span>
        <progress max={1} value={run.progress} aria-label={`${label} progress`} className="h-2 w-40" />
        <span className="w-10 text-right tabular-nums">{Math.round(run.progress * 100)}%</span>
        <Button variant="danger" onClick={onCancel} data-testid="explain.cancel">
          Cancel
        </Button>
      </div>
    );
  }
  return (
    <div
      role={run.status === 'error' ? 'alert' : 'status'}
      className="flex items-center gap-2 text-sm"
      data-testid={`${testId}.${run.status}`}
    >
      <span className={run.status === 'error' ? 'text-danger' : ''}>
        {run.status === 'error' ? `${label} failed: ${run.error ?? 'unknown error'}` : `${label} was cancelled.`}
      </span>
      <Button onClick={onRetry} data-testid="explain.retry">
        Run again
      </Button>
    </div>
  );
}
