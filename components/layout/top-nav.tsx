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
    <header className="border-b border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
      <nav aria-label="Views" className="mx-auto flex max-w-7xl items-center gap-1 px-4 py-2">
        <span className="mr-4 text-base font-bold tracking-tight">
          Why<span className="text-sky-600">?</span>
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
                'rounded-md px-3 py-1.5 text-sm font-medium focus-visible:outline-2 focus-visible:outline-sky-500',
                active
                  ? 'bg-sky-100 text-sky-900 dark:bg-sky-900 dark:text-sky-100'
                  : 'text-slate-600 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800',
              )}
            >
              {l.label}
            </Link>
          );
        })}
        <div className="ml-auto flex items-center gap-3">
          <span className="hidden text-xs text-slate-500 sm:inline dark:text-slate-400">
            Runs in your browser — nothing is uploaded
          </span>
          <BackendBadge />
        </div>
      </nav>
    </header>
  );
}
