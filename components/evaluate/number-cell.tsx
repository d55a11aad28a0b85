'use client';

import { useState } from 'react';
import { parseNonNegative } from '@/lib/evaluate';
import { cn } from '@/components/ui/cn';
import { Input } from '@/components/ui/input';

/**
 * A text input for a number ≥ 0. Valid input is committed on every change; invalid input stays in the box,
 * marked invalid with the reason, and commits nothing (the last valid value stays in use).
 */
export function NumberCell({
  value,
  onCommit,
  label,
  testId,
  className,
  onInvalid,
}: {
  value: number;
  onCommit: (v: number) => void;
  label: string;
  testId: string;
  className?: string;
  onInvalid?: (message: string | null) => void;
}) {
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  return (
    <Input
      size="sm"
      inputMode="decimal"
      aria-label={label}
      aria-invalid={error !== null}
      title={error ?? label}
      data-testid={testId}
      value={draft ?? String(Number(value.toFixed(6)))}
      onChange={(e) => {
        const text = e.target.value;
        setDraft(text);
        const r = parseNonNegative(text);
        if ('value' in r) {
          setError(null);
          onInvalid?.(null);
          onCommit(r.value);
        } else {
          setError(r.error);
          onInvalid?.(`${label}: ${r.error}`);
        }
      }}
      onBlur={() => {
        if (error === null) setDraft(null);
      }}
      className={cn('w-14 rounded text-right tabular-nums', className)}
    />
  );
}
