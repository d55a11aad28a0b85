'use client';

import type { ReactNode } from 'react';
import { cva } from 'class-variance-authority';
import { cn } from './cn';
import { focusRing } from './focus';
import { useRoving } from './roving';

export interface ToggleItem<T extends string> {
  value: T;
  label: ReactNode;
  testId?: string;
  title?: string;
  disabled?: boolean;
  /** e.g. the digit that picks it (aria-keyshortcuts). */
  shortcut?: string;
}

const itemVariants = cva(['disabled:cursor-not-allowed disabled:opacity-60', focusRing], {
  variants: {
    variant: {
      /** Small segmented choice, e.g. in a panel header. */
      pill: 'rounded px-2 py-0.5 text-xs',
      /** Bordered chips, e.g. the method picker. */
      chip: 'rounded-md border px-2.5 py-1 text-sm',
    },
    selected: { true: '', false: '' },
  },
  compoundVariants: [
    { variant: 'pill', selected: true, className: 'bg-primary text-primary-fg' },
    { variant: 'pill', selected: false, className: 'text-fg-muted hover:bg-muted' },
    { variant: 'chip', selected: true, className: 'border-primary bg-primary text-primary-fg' },
    { variant: 'chip', selected: false, className: 'border-border-strong bg-field text-fg hover:bg-muted' },
  ],
  defaultVariants: { variant: 'pill', selected: false },
});

/**
 * One of several choices, with radio-group semantics: `role="radiogroup"`, items `role="radio"`, one tab
 * stop (the chosen item), arrow keys / Home / End move the choice.
 */
export function ToggleGroup<T extends string>({
  label,
  value,
  onChange,
  items,
  variant = 'pill',
  className,
  testId,
}: {
  /** Accessible name of the group. */
  label: string;
  value: T | null;
  onChange: (v: T) => void;
  items: readonly ToggleItem<T>[];
  variant?: 'pill' | 'chip';
  className?: string;
  testId?: string;
}) {
  const roving = useRoving(items, onChange);
  const current = items.findIndex((it) => it.value === value);
  const tabStop = current >= 0 ? current : items.findIndex((it) => !it.disabled);
  return (
    <div role="radiogroup" aria-label={label} className={cn('flex flex-wrap gap-1', className)} data-testid={testId}>
      {items.map((it, i) => (
        <button
          key={it.value}
          ref={roving.ref(i)}
          type="button"
          role="radio"
          aria-checked={it.value === value}
          aria-keyshortcuts={it.shortcut}
          tabIndex={i === tabStop ? 0 : -1}
          title={it.title}
          disabled={it.disabled}
          data-testid={it.testId}
          onClick={() => onChange(it.value)}
          onKeyDown={(e) => roving.onKeyDown(e, i)}
          className={itemVariants({ variant, selected: it.value === value })}
        >
          {it.label}
        </button>
      ))}
    </div>
  );
}
