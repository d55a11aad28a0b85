'use client';

import { useEffect, useState } from 'react';
import type { MethodMeta, MethodId } from '@/lib/explain';
import { Button } from '@/components/ui/button';
import { ToggleGroup } from '@/components/ui/toggle-group';

/** One button per compatible method; number keys 1–8 pick them (outside text fields). */
export function MethodPicker({
  methods,
  value,
  onChange,
}: {
  methods: readonly MethodMeta[];
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
      const m = methods[Number(e.key) - 1];
      if (m) {
        e.preventDefault();
        onChange(m.id);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [methods, onChange]);

  return (
    <ToggleGroup
      label="Explanation method"
      variant="chip"
      className="gap-1.5"
      testId="explain.methods"
      value={value}
      onChange={onChange}
      items={methods.map((m, i) => ({
        value: m.id,
        shortcut: i < 9 ? String(i + 1) : undefined,
        title: `${m.description} (key ${i + 1})`,
        testId: `explain.method.${m.id}`,
        label: (
          <>
            <span className="mr-1 text-xs tabular-nums">{i + 1}</span>
            {m.label}
          </>
        ),
      }))}
    />
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
