'use client';

import { cn } from './cn';
import { ChoiceButtons, type ChoiceItem } from './choice-buttons';

export type ToggleItem<T extends string> = Omit<ChoiceItem<T>, 'data'>;

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
  return (
    <div role="radiogroup" aria-label={label} className={cn('flex flex-wrap gap-1', className)} data-testid={testId}>
      <ChoiceButtons role="radio" items={items} value={value} onChange={onChange} variant={variant} />
    </div>
  );
}
