'use client';

import type { ReactNode } from 'react';
import { cva } from 'class-variance-authority';
import { cn } from './cn';
import { focusRing } from './focus';
import { useRoving } from './roving';

export interface TabItem<T extends string> {
  value: T;
  label: ReactNode;
  testId?: string;
  /** Extra data attributes, e.g. a count the tests read. */
  data?: Record<`data-${string}`, string | number>;
}

const tabVariants = cva(['text-sm font-medium', focusRing], {
  variants: {
    variant: {
      underline: '-mb-px rounded-t-md border-b-2 px-3 py-1.5',
      pill: 'rounded-md px-3 py-1.5',
    },
    selected: { true: '', false: '' },
  },
  compoundVariants: [
    { variant: 'underline', selected: true, className: 'border-primary text-accent' },
    { variant: 'underline', selected: false, className: 'border-transparent text-fg-muted hover:text-fg' },
    { variant: 'pill', selected: true, className: 'bg-primary text-primary-fg' },
    { variant: 'pill', selected: false, className: 'text-fg-muted hover:bg-muted' },
  ],
  defaultVariants: { variant: 'underline', selected: false },
});

/**
 * A tab list (`role="tablist"`), one tab stop, arrow keys / Home / End switch tabs. With `idPrefix` each
 * tab gets the id `${idPrefix}-tab-${value}` and controls `${idPrefix}-panel-${value}` (see `tabPanelProps`).
 */
export function Tabs<T extends string>({
  label,
  value,
  onChange,
  items,
  variant = 'underline',
  idPrefix,
  className,
}: {
  label: string;
  value: T;
  onChange: (v: T) => void;
  items: readonly TabItem<T>[];
  variant?: 'underline' | 'pill';
  idPrefix?: string;
  className?: string;
}) {
  const roving = useRoving(items, onChange);
  return (
    <div
      role="tablist"
      aria-label={label}
      className={cn('flex gap-1', variant === 'underline' && 'border-b border-border', className)}
    >
      {items.map((t, i) => (
        <button
          key={t.value}
          ref={roving.ref(i)}
          type="button"
          role="tab"
          id={idPrefix ? `${idPrefix}-tab-${t.value}` : undefined}
          aria-selected={t.value === value}
          aria-controls={idPrefix ? `${idPrefix}-panel-${t.value}` : undefined}
          tabIndex={t.value === value ? 0 : -1}
          data-testid={t.testId}
          {...t.data}
          onClick={() => onChange(t.value)}
          onKeyDown={(e) => roving.onKeyDown(e, i)}
          className={tabVariants({ variant, selected: t.value === value })}
        >
          {t.label}
        </button>
      ))}
    </div>
  );
}

/** Props for the panel of the selected tab of a `Tabs` with the same `idPrefix`. */
export function tabPanelProps(idPrefix: string, value: string) {
  return { role: 'tabpanel' as const, id: `${idPrefix}-panel-${value}`, 'aria-labelledby': `${idPrefix}-tab-${value}` };
}
