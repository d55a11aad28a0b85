'use client';

import { useEffect, useId, useState } from 'react';
import type { MethodChoice, MethodId, MethodMeta } from '@/lib/explain';
import { BACKEND_LABELS, type BackendName } from '@/lib/runtime';
import { Button } from '@/components/ui/button';
import { ToggleGroup } from '@/components/ui/toggle-group';
import { useDashboard } from '@/components/providers/dashboard-provider';
import { useSwitchBackend } from '@/components/layout/backend-badge';

/**
 * One button per compatible method; number keys 1–9 pick them (outside text fields), numbered in catalog
 * order. Methods the capability probe refused on this backend are listed after the runnable ones as
 * aria-disabled buttons with the reason (tooltip and text) and, where another backend has what is
 * missing, a "Run on …" action that switches the session's backend and picks the method.
 */
export function MethodPicker({
  choices,
  value,
  onChange,
}: {
  choices: readonly MethodChoice[];
  value: MethodId;
  onChange: (m: MethodId) => void;
}) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      const t = e.target as HTMLElement | null;
      if (t && (t.tagName === 'INPUT' || t.tagName === 'SELECT' || t.tagName === 'TEXTAREA' || t.isContentEditable))
        return;
      if (!/^[1-9]$/.test(e.key)) return;
      const c = choices[Number(e.key) - 1];
      if (c?.runnable) {
        e.preventDefault();
        onChange(c.meta.id);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [choices, onChange]);

  const numbered = choices.map((c, i) => ({ ...c, key: i < 9 ? String(i + 1) : undefined }));
  return (
    <div className="flex flex-col gap-1.5">
      <ToggleGroup
        label="Explanation method"
        variant="chip"
        className="gap-1.5"
        testId="explain.methods"
        value={value}
        onChange={onChange}
        items={numbered
          .filter((c) => c.runnable)
          .map(({ meta: m, key, pending }) => ({
            value: m.id,
            shortcut: key,
            title: `${m.description}${key ? ` (key ${key})` : ''}${pending ? ' — still being checked on this model' : ''}`,
            testId: `explain.method.${m.id}`,
            label: (
              <>
                {key && <span className="mr-1 text-xs tabular-nums">{key}</span>}
                {m.label}
              </>
            ),
          }))}
      />
      <RefusedMethods refused={numbered.filter((c) => !c.runnable)} onPicked={onChange} />
    </div>
  );
}

/** Refused methods grouped by reason: disabled chips, the reason in words, and a one-click way out. */
export function RefusedMethods({
  refused,
  onPicked,
}: {
  refused: readonly (MethodChoice & { key?: string })[];
  onPicked?: (m: MethodId) => void;
}) {
  const backend = useDashboard((s) => s.backend?.backend);
  const baseId = useId();
  if (refused.length === 0 || !backend) return null;
  const groups = new Map<string, (MethodChoice & { key?: string })[]>();
  for (const c of refused) {
    const reason = c.verdict?.reason ?? 'It cannot run with this model here.';
    groups.set(reason, [...(groups.get(reason) ?? []), c]);
  }
  return (
    <div data-testid="explain.methods.refused" className="flex flex-col gap-1.5">
      {[...groups].map(([reason, list], g) => (
        <div
          key={reason}
          role="group"
          aria-label={`Methods that cannot run on ${BACKEND_LABELS[backend]}`}
          className="flex flex-wrap items-center gap-1.5"
        >
          {list.map((c) => (
            <button
              key={c.meta.id}
              type="button"
              aria-disabled="true"
              aria-describedby={`${baseId}-${g}`}
              title={`${c.meta.label} cannot run on ${BACKEND_LABELS[backend]}: ${reason}`}
              data-testid={`explain.method.${c.meta.id}`}
              data-refused="true"
              className="cursor-not-allowed rounded-md border border-dashed border-border-strong px-2.5 py-1 text-sm text-fg-subtle line-through decoration-fg-subtle/50"
            >
              {c.key && <span className="mr-1 text-xs tabular-nums">{c.key}</span>}
              {c.meta.label}
            </button>
          ))}
          <span id={`${baseId}-${g}`} className="text-xs text-fg-muted" data-testid="explain.methods.refused.reason">
            <span className="sr-only">Not available: </span>
            {reason}
          </span>
          {list[0]?.verdict?.elsewhere[0] && (
            <RunElsewhere backend={list[0].verdict.elsewhere[0]} method={list[0].meta} onPicked={onPicked} />
          )}
        </div>
      ))}
    </div>
  );
}

function RunElsewhere({
  backend,
  method,
  onPicked,
}: {
  backend: BackendName;
  method: MethodMeta;
  onPicked?: (m: MethodId) => void;
}) {
  const switchBackend = useSwitchBackend();
  const switching = useDashboard((s) => s.switchingBackend);
  return (
    <Button
      size="sm"
      disabled={switching !== null}
      data-testid={`explain.method.${method.id}.run-on`}
      title={`Switches this session to the ${BACKEND_LABELS[backend]} backend (the backend menu switches back)`}
      onClick={() => void switchBackend(backend).then((ok) => ok && onPicked?.(method.id))}
    >
      Run on {BACKEND_LABELS[backend]} (for this session)
    </Button>
  );
}

/** Plain-language help for a method: what it shows, when it misleads, and the paper. */
export function MethodHelp({ method }: { method: MethodMeta }) {
  const [open, setOpen] = useState(false);
  return (
    <div className="text-sm">
      <p className="text-fg-muted">
        <span className="font-medium">{method.label}:</span> {method.description}{' '}
        <Button
          variant="bare"
          aria-expanded={open}
          aria-controls="explain-method-help"
          data-testid="explain.help.toggle"
          onClick={() => setOpen((o) => !o)}
          className="text-accent underline underline-offset-2"
        >
          {open ? 'Hide help' : 'About this method'}
        </Button>
      </p>
      {open && (
        <div
          id="explain-method-help"
          data-testid="explain.help"
          className="mt-2 rounded-md border border-border bg-muted p-3 leading-relaxed"
        >
          <p>{method.help}</p>
          {method.referenceUrl && (
            <p className="mt-2">
              <a href={method.referenceUrl} target="_blank" rel="noreferrer noopener" className="text-accent underline">
                Read the paper
              </a>
            </p>
          )}
        </div>
      )}
    </div>
  );
}
