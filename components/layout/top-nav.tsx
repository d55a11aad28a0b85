'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { cn } from '@/components/ui/cn';
import { BackendBadge } from './backend-badge';

const LINKS = [
  { href: '/', label: 'Explain', id: 'explain' },
  { href: '/compare', label: 'Compare', id: 'compare' },
  { href: '/evaluate', label: 'Evaluate', id: 'evaluate' },
  { href: '/models', label: 'Models', id: 'models' },
] as const;

export function TopNav() {
  const pathname = usePathname();
  return (
    <header className="border-b border-border bg-surface">
      <nav aria-label="Views" className="mx-auto flex max-w-7xl flex-wrap items-center gap-1 px-4 py-2">
        <span className="mr-2 text-base font-bold tracking-tight sm:mr-4">
          Why<span className="text-accent">?</span>
        </span>
        {LINKS.map((l) => {
          const active = l.href === '/' ? pathname === '/' : pathname.startsWith(l.href);
          return (
            <Link
              key={l.href}
              href={l.href}
              data-testid={`nav.${l.id}`}
              aria-current={active ? 'page' : undefined}
              className={cn(
                'rounded-md px-2 py-1.5 text-sm font-medium focus-visible:outline-2 focus-visible:outline-ring sm:px-3',
                active ? 'bg-accent-soft text-accent' : 'text-fg-muted hover:bg-muted',
              )}
            >
              {l.label}
            </Link>
          );
        })}
        <div className="ml-auto flex items-center gap-3">
          <span className="hidden text-xs text-fg-subtle sm:inline">Runs in your browser — nothing is uploaded</span>
          <BackendBadge />
        </div>
      </nav>
    </header>
  );
}
