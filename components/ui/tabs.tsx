'use client';

import { cn } from './cn';
import { ChoiceButtons, type ChoiceItem } from './choice-buttons';

export type TabItem<T extends string> = Omit<ChoiceItem<T>, 'disabled' | 'shortcut'>;

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
  return (
    <div
      role="tablist"
      aria-label={label}
      className={cn('flex gap-1', variant === 'underline' && 'border-b border-border', className)}
    >
      <ChoiceButtons
        role="tab"
        items={items}
        value={value}
        onChange={onChange}
        variant={variant === 'pill' ? 'tab' : 'underline'}
        idPrefix={idPrefix}
      />
    </div>
  );
}

/** Props for the panel of the selected tab of a `Tabs` with the same `idPrefix`. */
export function tabPanelProps(idPrefix: string, value: string) {
  return { role: 'tabpanel' as const, id: `${idPrefix}-panel-${value}`, 'aria-labelledby': `${idPrefix}-tab-${value}` };
}
