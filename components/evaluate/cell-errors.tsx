'use client';

import { useCallback, useState } from 'react';
import { InlineMessage } from '@/components/ui/alert';

/** The invalid cells of a table of NumberCells, by key: `report(key)` is the cell's `onInvalid`. */
export function useCellErrors() {
  const [errors, setErrors] = useState<Record<string, string>>({});
  const report = useCallback(
    (key: string) => (msg: string | null) =>
      setErrors((prev) => {
        if ((prev[key] ?? null) === msg) return prev;
        const next = { ...prev };
        if (msg) next[key] = msg;
        else delete next[key];
        return next;
      }),
    [],
  );
  return { first: Object.values(errors)[0] ?? null, report };
}

/** The first invalid cell's reason in words (an outline alone is not enough), or nothing. */
export function CellError({ message, testId }: { message: string | null; testId: string }) {
  if (!message) return null;
  return (
    <InlineMessage tone="error" role="alert" className="mb-2 text-xs" data-testid={testId}>
      {message} (the last valid value is still used)
    </InlineMessage>
  );
}
