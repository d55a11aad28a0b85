'use client';

import { useDashboard } from '@/components/providers/dashboard-provider';
import { cn } from '@/components/ui/cn';
import { Button } from '@/components/ui/button';

export function Notices() {
  const notices = useDashboard((s) => s.notices);
  const dismiss = useDashboard((s) => s.dismissNotice);
  return (
    <div aria-live="polite" className="fixed right-4 bottom-4 z-50 flex w-96 max-w-[90vw] flex-col gap-2">
      {notices.map((n) => (
        <div
          key={n.id}
          role={n.kind === 'error' ? 'alert' : 'status'}
          data-testid={`notice.${n.kind}`}
          className={cn(
            'flex items-start gap-2 rounded-md border p-3 text-sm shadow-md',
            n.kind === 'error'
              ? 'border-danger-border bg-danger-soft text-danger-strong'
              : 'border-ring bg-accent-soft text-fg',
          )}
        >
          <p className="flex-1 break-words">{n.text}</p>
          <Button
            variant="bare"
            aria-label="Dismiss"
            className="px-1 text-lg leading-none hover:bg-black/10"
            onClick={() => dismiss(n.id)}
          >
            ×
          </Button>
        </div>
      ))}
    </div>
  );
}
