'use client';

import { groundTruth } from '@/lib/explain-view';
import { cn } from '@/components/ui/cn';

/** "True: Shirt · Model: T-shirt/top ✗" for a labelled image; nothing for an image without a known class. */
export function GroundTruthLine({
  trueLabel,
  predicted,
  className,
  testId = 'ground-truth',
  onDark = false,
  classes,
}: {
  trueLabel: string | undefined;
  /** The model's top class name; null while it is computed. */
  predicted: string | null | undefined;
  className?: string;
  testId?: string;
  /** Colours for a dark background (presentation). */
  onDark?: boolean;
  /** The model's class names: a true class outside them is said in words, neither ✓ nor ✗. */
  classes?: readonly string[];
}) {
  const g = groundTruth(trueLabel, predicted, classes);
  if (!g) return null;
  return (
    <p
      data-testid={testId}
      data-correct={g.correct === null ? 'unknown' : String(g.correct)}
      className={cn(
        'font-medium',
        onDark
          ? g.correct === false
            ? 'text-red-300'
            : g.correct
              ? 'text-emerald-300'
              : 'text-slate-300'
          : g.correct === false
            ? 'text-danger'
            : g.correct
              ? 'text-success'
              : 'text-fg-muted',
        className,
      )}
    >
      {g.text}
    </p>
  );
}
