'use client';

import { useId, useMemo, useState } from 'react';
import { cn } from '@/components/ui/cn';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';

/** Search every class by name and pick one (for explaining a class outside the top-k). */
export function ClassSearch({
  labels,
  value,
  onSelect,
  max = 12,
}: {
  labels: readonly string[];
  value: number | null;
  onSelect: (k: number) => void;
  max?: number;
}) {
  const id = useId();
  const [q, setQ] = useState('');
  const matches = useMemo(() => {
    const needle = q.trim().toLowerCase();
    const all = labels.map((l, k) => ({ l, k }));
    return (needle ? all.filter(({ l, k }) => l.toLowerCase().includes(needle) || String(k) === needle) : all).slice(
      0,
      max,
    );
  }, [labels, q, max]);
  return (
    <div className="flex flex-col gap-1.5">
      <label htmlFor={id} className="text-xs font-medium text-fg-muted">
        Explain another class
      </label>
      <Input
        id={id}
        type="search"
        value={q}
        onChange={(e) => setQ(e.target.value)}
        placeholder={`Search ${labels.length} classes`}
        data-testid="explain.class-search"
      />
      <div className="flex flex-wrap gap-1" role="group" aria-label="Classes">
        {matches.map(({ l, k }) => (
          <Button
            key={k}
            variant="bare"
            aria-pressed={value === k}
            data-testid="explain.class-option"
            data-class-index={k}
            onClick={() => onSelect(k)}
            className={cn(
              'rounded border px-1.5 py-0.5 text-xs',
              value === k ? 'border-primary bg-primary text-primary-fg' : 'border-border-strong hover:bg-muted',
            )}
          >
            {l}
          </Button>
        ))}
        {matches.length === 0 && <span className="text-xs text-fg-subtle">No class matches.</span>}
      </div>
    </div>
  );
}
