'use client';

import { getMethodMeta, type Attribution } from '@/lib/explain';
import { Alert, InlineMessage } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { num, pct } from '@/lib/format';

/** Above this relative completeness error the map is flagged (issue 12 item 6). */
export const COMPLETENESS_WARN = 0.05;
const MAX_STEPS = 1024;
/** A score difference this small makes the relative error meaningless. */
const TINY_DELTA = 1e-2;

interface CompletenessLike {
  completenessError?: unknown;
  sumAttributions?: unknown;
  scoreDelta?: unknown;
}

/**
 * Under a path-method map (Integrated Gradients, Guided IG): how far the shares are from adding up to the
 * score difference, and above 5 % a plain-words warning with one click to run again with twice the steps.
 * Renders nothing for methods without a completeness check.
 */
export function IgCompleteness({
  result,
  onSteps,
}: {
  result: Attribution | undefined;
  onSteps: (steps: number) => void;
}) {
  const ex = result?.extras as CompletenessLike | undefined;
  if (!result || typeof ex?.completenessError !== 'number') return null;
  const err = ex.completenessError;
  const steps = typeof result.config.steps === 'number' ? result.config.steps : null;
  // A value equal to the method's default counts as "not set" and would be sized down again: step past it.
  const doubled = steps === null ? null : Math.min(MAX_STEPS, steps * 2);
  const more = doubled !== null && doubled === getMethodMeta(result.method).defaultConfig.steps ? doubled + 1 : doubled;
  const line = (
    <span className="tabular-nums">
      Completeness error {pct(err)} (the shares add up to {num(ex.sumAttributions as number)}, the score difference is{' '}
      {num(ex.scoreDelta as number)})
    </span>
  );
  if (err <= COMPLETENESS_WARN)
    return (
      <InlineMessage className="text-xs" data-testid="explain.completeness">
        {line}
      </InlineMessage>
    );
  return (
    <Alert tone="warn" size="sm" data-testid="explain.completeness">
      <p data-testid="explain.completeness.warning">
        {line}. The shares are {pct(err, 0)} off, so read this map with care: the path was walked in too few steps for
        this model.
      </p>
      {Math.abs(ex.scoreDelta as number) < TINY_DELTA && (
        <p data-testid="explain.completeness.tiny">
          The score hardly differs between the baseline and this image, so this percentage means little: try another
          baseline.
        </p>
      )}
      {more !== null && more > (steps as number) && (
        <Button size="sm" className="mt-1" onClick={() => onSteps(more)} data-testid="explain.completeness.more">
          Run again with {more} steps
        </Button>
      )}
    </Alert>
  );
}
