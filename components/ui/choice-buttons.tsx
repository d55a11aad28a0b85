'use client';

import type { ReactNode } from 'react';
import { cva } from 'class-variance-authority';
import { focusRing } from './focus';
import { useRoving } from './roving';

/** One choice of a tab list or radio group. */
export interface ChoiceItem<T extends string> {
  value: T;
  label: ReactNode;
  testId?: string;
  title?: string;
  disabled?: boolean;
  /** e.g. the digit that picks it (aria-keyshortcuts). */
  shortcut?: string;
  /** Extra data attributes, e.g. a count the tests read. */
  data?: Record<`data-${string}`, string | number>;
}

/** The look of a choice: tabs (`underline`, `tab`), segmented choices (`pill`) and bordered `chip`s. */
export const choiceVariants = cva(['disabled:cursor-not-allowed disabled:opacity-60', focusRing], {
  variants: {
    variant: {
      underline: '-mb-px rounded-t-md border-b-2 px-3 py-1.5 text-sm font-medium',
      tab: 'rounded-md px-3 py-1.5 text-sm font-medium',
      /** Small segmented choice, e.g. in a panel header. */
      pill: 'rounded px-2 py-0.5 text-xs',
      /** Bordered chips, e.g. the method picker. */
      chip: 'rounded-md border px-2.5 py-1 text-sm',
    },
    selected: { true: '', false: '' },
  },
  compoundVariants: [
    { variant: 'underline', selected: true, className: 'border-primary text-accent' },
    { variant: 'underline', selected: false, className: 'border-transparent text-fg-muted hover:text-fg' },
    { variant: ['tab', 'pill'], selected: true, className: 'bg-primary text-primary-fg' },
    { variant: ['tab', 'pill'], selected: false, className: 'text-fg-muted hover:bg-muted' },
    { variant: 'chip', selected: true, className: 'border-primary bg-primary text-primary-fg' },
    { variant: 'chip', selected: false, className: 'border-border-strong bg-field text-fg hover:bg-muted' },
  ],
  defaultVariants: { variant: 'pill', selected: false },
});

/**
 * The buttons of a tab list (`role="tab"`, `aria-selected`) or a radio group (`role="radio"`,
 * `aria-checked`): one tab stop (the chosen item, else the first enabled one); arrow keys / Home / End move
 * the choice. With `idPrefix`, tab `v` has the id `${idPrefix}-tab-v` and controls `${idPrefix}-panel-v`.
 */
export function ChoiceButtons<T extends string>({
  role,
  items,
  value,
  onChange,
  variant,
  idPrefix,
}: {
  role: 'tab' | 'radio';
  items: readonly ChoiceItem<T>[];
  value: T | null;
  onChange: (v: T) => void;
  variant: 'underline' | 'tab' | 'pill' | 'chip';
  idPrefix?: string;
}) {
  const roving = useRoving(items, onChange);
  const current = items.findIndex((it) => it.value === value);
  const tabStop = current >= 0 ? current : items.findIndex((it) => !it.disabled);
  return items.map((it, i) => {
    const selected = it.value === value;
    return (
      <button
        key={it.value}
        ref={roving.ref(i)}
        type="button"
        role={role}
        id={idPrefix && `${idPrefix}-tab-${it.value}`}
        aria-controls={idPrefix && `${idPrefix}-panel-${it.value}`}
        aria-selected={role === 'tab' ? selected : undefined}
        aria-checked={role === 'radio' ? selected : undefined}
        aria-keyshortcuts={it.shortcut}
        tabIndex={i === tabStop ? 0 : -1}
        title={it.title}
        disabled={it.disabled}
        data-testid={it.testId}
        {...it.data}
        onClick={() => onChange(it.value)}
        onKeyDown={(e) => roving.onKeyDown(e, i)}
        className={choiceVariants({ variant, selected })}
      >
        {it.label}
      </button>
    );
  });
}
