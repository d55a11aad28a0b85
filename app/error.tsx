'use client';

import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';

export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <Alert tone="error" size="lg">
      <p className="font-semibold">Something went wrong in this view.</p>
      <p className="mt-1">{error.message}</p>
      <Button variant="danger" size="sm" className="mt-2 text-sm" onClick={reset}>
        Try again
      </Button>
    </Alert>
  );
}
