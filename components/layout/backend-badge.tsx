'use client';

import { useDashboard } from '@/components/providers/dashboard-provider';

const NAMES = { webgl: 'WebGL', wasm: 'WASM', cpu: 'CPU' } as const;

export function BackendBadge() {
  const backend = useDashboard((s) => s.backend);
  const error = useDashboard((s) => s.backendError);
  if (error) {
    return (
      <span
        data-testid="backend.badge"
        data-backend="none"
        className="rounded bg-danger-soft px-2 py-0.5 text-xs text-danger-strong"
        title={error}
      >
        No backend
      </span>
    );
  }
  if (!backend) {
    return (
      <span data-testid="backend.badge" data-backend="" className="rounded bg-muted px-2 py-0.5 text-xs text-fg-muted">
        Starting…
      </span>
    );
  }
  return (
    <span
      data-testid="backend.badge"
      data-backend={backend.backend}
      title={backend.reason}
      className="rounded bg-success-soft px-2 py-0.5 text-xs font-medium text-success"
    >
      Backend: {NAMES[backend.backend]}
    </span>
  );
}
