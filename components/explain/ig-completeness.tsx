'use client';

import { getMethodMeta, readCompleteness, type Attribution } from '@/lib/explain';
import { Alert, InlineMessage } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { num, pct } from '@/lib/format';

const MAX_STEPS = 1024;
/** Two significant digits (small absolute errors stay readable: 0.00049, not 0). */
const sig = (v: number) => String(Number(v.toPrecision(2)));

/**
 * Under a path-method map (Integrated Gradients, Guided IG): how far the shares are from adding up to the
 * score difference, and above 5 % a plain-words warning with one click to run again with twice the steps.
 * When the score difference is ~0 against how far the score moves along the path, the relative figure is
 * meaningless: the absolute error is reported instead, with the share of that movement it is.
 * Renders nothing for methods without a completeness check.
 */
export function IgCompleteness({
  result,
  onSteps,
}: {
  result: Attribution | undefined;
  onSteps: (steps: number) => void;
}) {
  const c = result ? readCompleteness(result.extras) : null;
  if (!result || !c) return null;
  const steps = typeof result.config.steps === 'number' ? result.config.steps : null;
  // A value equal to the method's default counts as "not set" and would be sized down again: step past it.
  const doubled = steps === null ? null : Math.min(MAX_STEPS, steps * 2);
  const more = doubled !== null && doubled === getMethodMeta(result.method).defaultConfig.steps ? doubled + 1 : doubled;
  const adds = `the shares add up to ${num(c.sum)}, the score difference is ${num(c.delta)}`;
  const line = c.nearZero ? (
    <span className="tabular-nums">
      Completeness error {sig(c.absolute)} in score units ({adds}
      {c.variation !== null && `; the score moves by ${num(c.variation)} along the path`})
    </span>
  ) : (
    <span className="tabular-nums">
      Completeness error {pct(c.relative)} ({adds})
    </span>
  );
  const nearZero = c.nearZero && (
    <span data-testid="explain.completeness.tiny">
      The score hardly differs between the baseline and this image
      {c.still
        ? ': it is the same all along the path (a saturated output), so there is nothing to share out and every share is about 0.'
        : c.ofVariation !== null
          ? `, although it rises and falls on the way: the error is ${pct(c.ofVariation)} of that movement, and a ` +
            `percentage of the difference (${pct(c.relative, 0)}) means little.`
          : ', so a percentage of the difference means little.'}{' '}
      Another baseline asks a clearer question.
    </span>
  );
  const limit = typeof result.config.timeLimit === 'number' ? result.config.timeLimit : 0;
  // Stopped by the time limit the budget set (or the user's): say so, and offer the steps without the limit.
  const timed = c.stoppedByTime && (
    <span data-testid="explain.completeness.time">
      Stopped adding steps after {c.stepsUsed ?? '?'} of {steps ?? '?'} at the {limit} s time limit
      {c.warn ? '' : '; more steps would bring the shares closer'}.
    </span>
  );
  if (!c.warn)
    return (
      <div className="flex flex-col gap-1 text-xs" data-testid="explain.completeness">
        <InlineMessage>{line}</InlineMessage>
        {nearZero && <InlineMessage>{nearZero}</InlineMessage>}
        {timed && (
          <div className="flex flex-wrap items-center gap-2">
            <InlineMessage>{timed}</InlineMessage>
            {more !== null && more > (steps as number) && (
              <Button size="sm" onClick={() => onSteps(more)} data-testid="explain.completeness.more">
                Run again with {more} steps, no time limit
              </Button>
            )}
          </div>
        )}
      </div>
    );
  return (
    <Alert tone="warn" size="sm" data-testid="explain.completeness">
      <p data-testid="explain.completeness.warning">
        {line}. The shares are{' '}
        {c.nearZero && c.ofVariation !== null
          ? `off by ${pct(c.ofVariation, 0)} of the score’s movement`
          : `${pct(c.relative, 0)} off`}
        , so read this map with care: the path was walked in too few steps for this model.
      </p>
      {nearZero && <p>{nearZero}</p>}
      {timed && <p>{timed}</p>}
      {more !== null && more > (steps as number) && (
        <Button size="sm" className="mt-1" onClick={() => onSteps(more)} data-testid="explain.completeness.more">
          Run again with {more} steps{c.stoppedByTime ? ', no time limit' : ''}
        </Button>
      )}
    </Alert>
  );
}
