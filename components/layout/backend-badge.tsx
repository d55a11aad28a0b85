'use client';

import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useDashboard, useDashboardApi } from '@/components/providers/dashboard-provider';
import { cn } from '@/components/ui/cn';
import { focusRing } from '@/components/ui/focus';
import { rovingTarget } from '@/components/ui/roving';
import { ms } from '@/lib/format';
import { BACKEND_LABELS, backendLabel, type BackendName } from '@/lib/runtime';

/** Switches the session's backend (the worker reloads the models and they are probed again); keeps `?backend=` in step. */
export function useSwitchBackend(): (name: BackendName) => Promise<boolean> {
  const store = useDashboardApi();
  return useCallback(
    async (name) => {
      const ok = await store.getState().switchBackend(name);
      if (ok) {
        const url = new URL(window.location.href);
        url.searchParams.set('backend', name);
        window.history.replaceState(window.history.state, '', `${url.pathname}${url.search}${url.hash}`);
      }
      return ok;
    },
    [store],
  );
}

/** The forward-pass time of `backend` on the selected model: measured on demand, or the probe's for the active one. */
function useSpeedText(backend: BackendName): string {
  return useDashboard((s) => {
    const id = s.selectedModelId;
    if (!id) return '';
    const speeds = s.backendSpeeds[id];
    if (speeds?.status === 'running') return 'measuring…';
    if (speeds?.status === 'done') {
      const sp = speeds.speeds.find((x) => x.backend === backend);
      if (sp) return sp.ms === null ? `failed: ${sp.error ?? 'unknown error'}` : `${ms(sp.ms)} per image`;
    }
    const probe = s.probes[id];
    if (probe?.status === 'done' && probe.probe.backend === backend) return `${ms(probe.probe.forwardMs)} per image`;
    return 'not measured';
  });
}

function BackendOption({
  name,
  threads,
  checked,
  index,
  onPick,
  onKey,
  setRef,
}: {
  name: BackendName;
  threads?: number;
  checked: boolean;
  index: number;
  onPick: (n: BackendName) => void;
  onKey: (e: KeyboardEvent, i: number) => void;
  setRef: (i: number, el: HTMLButtonElement | null) => void;
}) {
  const speed = useSpeedText(name);
  return (
    <button
      ref={(el) => setRef(index, el)}
      type="button"
      role="menuitemradio"
      aria-checked={checked}
      tabIndex={-1}
      data-testid={`backend.option.${name}`}
      onClick={() => onPick(name)}
      onKeyDown={(e) => onKey(e, index)}
      className={cn(
        'flex w-full items-baseline justify-between gap-4 rounded px-2 py-1 text-left hover:bg-muted',
        focusRing,
      )}
    >
      <span className="font-medium">
        <span aria-hidden="true" className="inline-block w-4">
          {checked ? '✓' : ''}
        </span>
        {backendLabel(name, threads)}
      </span>
      <span className="text-xs text-fg-muted tabular-nums" data-testid="backend.option.speed">
        {speed}
      </span>
    </button>
  );
}

/** The top bar's backend badge: a menu of this browser's backends with each one's speed on the selected model. */
export function BackendBadge() {
  const backend = useDashboard((s) => s.backend);
  const error = useDashboard((s) => s.backendError);
  const switching = useDashboard((s) => s.switchingBackend);
  const modelId = useDashboard((s) =>
    s.selectedModelId && s.models[s.selectedModelId]?.status === 'ready' ? s.selectedModelId : null,
  );
  const modelName = useDashboard((s) => (modelId ? s.models[modelId]?.name : undefined));
  const store = useDashboardApi();
  const switchBackend = useSwitchBackend();
  const [open, setOpen] = useState(false);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);
  const items = useRef<(HTMLButtonElement | null)[]>([]);

  const close = useCallback((refocus: boolean) => {
    setOpen(false);
    if (refocus) buttonRef.current?.focus();
  }, []);
  useEffect(() => {
    if (!open) return;
    const first = items.current.findIndex((el) => el?.getAttribute('aria-checked') === 'true');
    items.current[Math.max(0, first)]?.focus();
    const onDown = (e: MouseEvent) => {
      if (!menuRef.current?.contains(e.target as Node) && !buttonRef.current?.contains(e.target as Node)) close(false);
    };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, [open, close]);

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
  const available = backend.available ?? [backend.backend];
  const count = available.length + (modelId ? 1 : 0);
  const onKey = (e: KeyboardEvent, i: number) => {
    if (e.key === 'Escape' || e.key === 'Tab') {
      if (e.key === 'Escape') e.preventDefault();
      close(e.key === 'Escape');
      return;
    }
    const next = rovingTarget(
      e.key,
      i,
      Array.from({ length: count }, () => false),
    );
    if (next === null) return;
    e.preventDefault();
    items.current[next]?.focus();
  };
  const pick = (name: BackendName) => {
    close(true);
    if (name !== backend.backend) void switchBackend(name);
  };
  return (
    <div className="relative">
      <button
        ref={buttonRef}
        type="button"
        data-testid="backend.badge"
        data-backend={backend.backend}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls="backend-menu"
        title={backend.reason}
        onClick={() => setOpen((o) => !o)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
            e.preventDefault();
            setOpen(true);
          }
        }}
        className={cn('rounded bg-success-soft px-2 py-0.5 text-xs font-medium text-success', focusRing)}
      >
        {switching
          ? `Switching to ${BACKEND_LABELS[switching]}…`
          : `Backend: ${backendLabel(backend.backend, backend.threads)}`}
        <span aria-hidden="true"> ▾</span>
      </button>
      {open && (
        <div
          ref={menuRef}
          id="backend-menu"
          role="menu"
          aria-label="TensorFlow.js backend"
          data-testid="backend.menu"
          className="absolute right-0 z-50 mt-1 flex w-72 flex-col gap-0.5 rounded-md border border-border bg-surface p-1 text-sm shadow-lg"
        >
          {available.map((name, i) => (
            <BackendOption
              key={name}
              name={name}
              threads={backend.threads}
              index={i}
              checked={name === backend.backend}
              onPick={pick}
              onKey={onKey}
              setRef={(j, el) => {
                items.current[j] = el;
              }}
            />
          ))}
          {modelId && (
            <button
              ref={(el) => {
                items.current[available.length] = el;
              }}
              type="button"
              role="menuitem"
              tabIndex={-1}
              data-testid="backend.measure"
              onKeyDown={(e) => onKey(e, available.length)}
              onClick={() => void store.getState().measureBackends(modelId)}
              className={cn('rounded px-2 py-1 text-left text-xs text-accent hover:bg-muted', focusRing)}
            >
              Measure each backend on “{modelName}”
            </button>
          )}
          <p role="none" className="px-2 pt-1 text-xs text-fg-subtle">
            {backend.reason}. Switching reloads your models on the new backend for this session.
          </p>
        </div>
      )}
    </div>
  );
}
