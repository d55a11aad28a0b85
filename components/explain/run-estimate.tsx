'use client';

import { useEffect, useState } from 'react';
import { useDashboard, useExplainService } from '@/components/providers/dashboard-provider';
import { Button } from '@/components/ui/button';
import { InlineMessage } from '@/components/ui/alert';
import {
  BUDGET_MS,
  adaptiveIg,
  cheaperAlternative,
  formatDuration,
  planRun,
  type MethodMeta,
  type RunBasis,
} from '@/lib/explain';
import { paramsToRequestConfig, type ParamValue } from '@/lib/explain-view';
import { pct } from '@/lib/format';

/** The model's measured passes on the active backend (asked once per model and backend; the worker caches them). */
function useRunBasis(modelId: string | null, ready: boolean, methodId: string): RunBasis | null {
  const service = useExplainService();
  const backend = useDashboard((s) => s.backend?.backend);
  const [state, setState] = useState<{ key: string; basis: RunBasis } | null>(null);
  // Asked again per method: the worker learns each method's own work from its finished runs.
  const key = modelId && ready ? `${modelId}|${backend ?? ''}|${methodId}` : null;
  useEffect(() => {
    if (!key || !modelId) return;
    let stale = false;
    service()
      .api.runBasis(modelId)
      .then((basis) => !stale && setState({ key, basis }))
      .catch(() => undefined);
    return () => {
      stale = true;
    };
  }, [key, modelId, service]);
  return state && state.key === key ? state.basis : null;
}

/**
 * Before the run: how long it will take on this model and backend (from measured passes), which defaults
 * were sized to the ~10 s budget, and, above the budget, a cheaper setting of the same knob with one click.
 */
export function RunEstimate({
  modelId,
  method,
  params,
  inputShape,
  onParam,
}: {
  modelId: string | null;
  method: MethodMeta;
  params: Record<string, ParamValue>;
  inputShape: readonly [number, number, number] | undefined;
  onParam: (name: string, v: ParamValue) => void;
}) {
  const ready = useDashboard((s) => (modelId ? s.models[modelId]?.status === 'ready' : false));
  const basis = useRunBasis(modelId, ready, method.id);
  if (!basis || !inputShape) return null;
  const config = paramsToRequestConfig(method, params);
  const plan = planRun(method, config, inputShape, basis);
  const sized = Object.entries(plan.overrides);
  const cheaper = cheaperAlternative(method, plan.config, {
    inputShape,
    timings: basis.timings,
    maxBatch: plan.batch,
    factor: plan.factor,
  });
  // The adaptive trapezoid (IG) stops at its target: the estimate is for every step, an upper bound.
  const stopsEarly = method.id === 'integrated-gradients' && adaptiveIg(plan.config);
  const timeLimit = stopsEarly ? Number(plan.config.timeLimit ?? 0) : 0;
  /** A sized value in words: the time limit as what it does, the others as "Steps 16". */
  const words = ([k, v]: [string, number]) =>
    k === 'timeLimit' ? `steps added for at most ${v} s` : `${method.configSpec[k]?.label ?? k} ${v}`;
  return (
    <div className="mb-3 flex flex-col gap-1 text-xs" data-testid="explain.estimate">
      <InlineMessage tone={plan.estimateMs > BUDGET_MS ? 'warn' : 'info'} className="tabular-nums">
        <span data-testid="explain.estimate.time">{formatDuration(plan.estimateMs)}</span> on{' '}
        {basis.timings.backend.toUpperCase()} (from a measured pass on this model)
        {stopsEarly && (
          <span data-testid="explain.estimate.early">
            {' '}
            — at most: it stops once the shares add up within {pct(Number(plan.config.targetError))}
            {timeLimit > 0 && ` or after ${timeLimit} s`}
          </span>
        )}
      </InlineMessage>
      {sized.length > 0 && (
        <InlineMessage data-testid="explain.estimate.sized">
          Defaults sized for ~{BUDGET_MS / 1000} s: {sized.map(words).join(', ')}
        </InlineMessage>
      )}
      {cheaper && (
        <div className="flex flex-wrap items-center gap-2" data-testid="explain.estimate.cheaper">
          <span className="tabular-nums">
            {cheaper.label} takes {formatDuration(cheaper.estimateMs)}
          </span>
          <Button
            size="sm"
            onClick={() => {
              for (const [k, v] of Object.entries(cheaper.overrides)) onParam(k, v);
            }}
            data-testid="explain.estimate.use-cheaper"
          >
            Use it
          </Button>
        </div>
      )}
    </div>
  );
}
