'use client';

import { useEffect, useRef, useState, type ReactNode } from 'react';
import { cn } from './cn';
import { focusRing } from './focus';

/**
 * A box that scrolls sideways inside itself (wide tables, matrices), so the page never does. While its
 * content is wider than the box it is a named, focusable region (keyboard users scroll it with the
 * arrow keys); when everything fits it is a plain box and no tab stop.
 */
export function ScrollBox({
  label,
  children,
  className,
}: {
  /** What scrolls, e.g. "Per-class table" (the region's accessible name). */
  label: string;
  children: ReactNode;
  className?: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const [overflows, setOverflows] = useState(false);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const check = () => setOverflows(el.scrollWidth > el.clientWidth + 1);
    check();
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(check);
    ro.observe(el);
    for (const child of el.children) ro.observe(child);
    return () => ro.disconnect();
  }, [children]);
  return (
    <div
      ref={ref}
      className={cn('max-w-full overflow-x-auto', overflows && focusRing, className)}
      {...(overflows ? { tabIndex: 0, role: 'region', 'aria-label': `${label} (scrolls sideways)` } : {})}
      data-overflows={overflows || undefined}
    >
      {children}
    </div>
  );
}
