import type { ReactNode } from 'react';
import { cn } from './cn';

/** A titled card: the unit every view is composed of. */
export function Panel({
  title,
  children,
  className,
  actions,
  testId,
}: {
  title?: ReactNode;
  children: ReactNode;
  className?: string;
  actions?: ReactNode;
  testId?: string;
}) {
  return (
    <section data-testid={testId} className={cn('rounded-lg border border-border bg-surface p-4 shadow-sm', className)}>
      {(title || actions) && (
        <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
          {title && <h2 className="text-sm font-semibold text-fg-muted">{title}</h2>}
          {actions}
        </div>
      )}
      {children}
    </section>
  );
}
