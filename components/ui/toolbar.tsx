'use client';

import { useLayoutEffect, useRef, type FocusEvent, type KeyboardEvent, type ReactNode } from 'react';
import { cn } from './cn';
import { rovingTarget } from './roving';

const ITEMS = 'button, a[href], input, select';

/**
 * A row of actions with the WAI-ARIA toolbar pattern: `role="toolbar"`, one tab stop (the last item used,
 * else the first enabled one), arrow keys / Home / End move the focus between its buttons. The children
 * stay ordinary buttons (their own labels, clicks and test ids); the toolbar only manages `tabindex`.
 */
export function Toolbar({
  label,
  children,
  className,
  testId,
}: {
  /** Accessible name, e.g. "Export". */
  label: string;
  children: ReactNode;
  className?: string;
  testId?: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const current = useRef(0);
  const items = () =>
    Array.from(ref.current?.querySelectorAll<HTMLElement>(ITEMS) ?? []).filter(
      (el) => !(el as HTMLButtonElement).disabled && el.getAttribute('aria-disabled') !== 'true',
    );
  const setStop = (list: HTMLElement[], at: number) => {
    current.current = at;
    list.forEach((el, i) => (el.tabIndex = i === at ? 0 : -1));
  };
  useLayoutEffect(() => {
    const list = items();
    setStop(list, Math.min(current.current, Math.max(0, list.length - 1)));
  });
  const onKeyDown = (e: KeyboardEvent) => {
    const list = items();
    const at = list.indexOf(e.target as HTMLElement);
    if (at < 0 || e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement) return;
    const next = rovingTarget(
      e.key,
      at,
      list.map(() => false),
    );
    if (next === null) return;
    e.preventDefault();
    setStop(list, next);
    list[next]?.focus();
  };
  const onFocus = (e: FocusEvent) => {
    const list = items();
    const at = list.indexOf(e.target as HTMLElement);
    if (at >= 0) setStop(list, at);
  };
  return (
    <div
      ref={ref}
      role="toolbar"
      aria-label={label}
      className={cn('flex flex-wrap items-center gap-2', className)}
      data-testid={testId}
      onKeyDown={onKeyDown}
      onFocus={onFocus}
    >
      {children}
    </div>
  );
}
