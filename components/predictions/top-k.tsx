'use client';

import { useEffect, useMemo } from 'react';
import { useDashboard } from '@/components/providers/dashboard-provider';
import { predictionKey } from '@/lib/store';
import { isSingleClass, predictionNote, predictionRows } from '@/lib/models';
import { applyTemperature } from '@/lib/metrics';
import { cn } from '@/components/ui/cn';
import { Button } from '@/components/ui/button';

/**
 * Top-k classes with probabilities for a model and image (each probability on its own for multi-label;
 * the values with their unit for regression); optional click to pick a class (or output).
 */
export function TopK({
  modelId,
  imageId,
  k = 5,
  selectedClass,
  onSelectClass,
  testId = 'predictions',
}: {
  modelId: string | null;
  imageId: string | null;
  k?: number;
  selectedClass?: number | null;
  onSelectClass?: (cls: number) => void;
  testId?: string;
}) {
  const resize = useDashboard((s) => s.resize);
  const key = modelId && imageId ? predictionKey(modelId, imageId, resize) : null;
  const state = useDashboard((s) => (key ? s.predictions[key] : undefined));
  const info = useDashboard((s) => (modelId ? s.models[modelId]?.info : undefined));
  const modelStatus = useDashboard((s) => (modelId ? s.models[modelId]?.status : undefined));
  const ensurePrediction = useDashboard((s) => s.ensurePrediction);

  useEffect(() => {
    if (modelId && imageId && !state) void ensurePrediction(modelId, imageId);
  }, [modelId, imageId, state, ensurePrediction]);

  const kind = info?.outputKind ?? 'softmax';
  // The temperature fitted in Evaluate (when applied) rescales one-class probabilities.
  const temperature = useDashboard((s) => (modelId ? s.temperatures[modelId] : undefined));
  const rows = useMemo(() => {
    const p = state?.prediction?.probs;
    if (!p) return [];
    const probs = temperature && isSingleClass(kind) ? applyTemperature(p, p.length, temperature) : p;
    return predictionRows(kind, probs, k, info?.labels, info?.unit);
  }, [state, k, kind, info, temperature]);
  const note = info ? predictionNote(kind, info.numClasses) : null;

  if (!modelId) return <p className="text-sm text-fg-subtle">Choose a model.</p>;
  if (!imageId) return <p className="text-sm text-fg-subtle">Add an image to see what the model predicts.</p>;
  if (modelStatus === 'error') return <p className="text-sm text-danger">The model could not be loaded.</p>;
  if (!state || state.status === 'loading') {
    return (
      <p className="text-sm text-fg-subtle" role="status" data-testid={`${testId}.loading`}>
        Predicting…
      </p>
    );
  }
  if (state.status === 'error') {
    return (
      <p className="text-sm text-danger" role="alert">
        Prediction failed: {state.error}
      </p>
    );
  }
  return (
    <div className="flex flex-col gap-1">
      <ol data-testid={testId} data-output-kind={kind} className="flex flex-col gap-1">
        {rows.map(({ index, label, text, bar }, rank) => {
          const active = selectedClass === index;
          const content = (
            <>
              <span className="w-5 text-right text-xs text-fg-subtle tabular-nums">{rank + 1}</span>
              <span className="relative h-6 flex-1 overflow-hidden rounded bg-muted">
                {bar !== null && (
                  <span className="absolute inset-y-0 left-0 bg-bar" style={{ width: `${(bar * 100).toFixed(1)}%` }} />
                )}
                <span className="relative px-2 text-sm leading-6" data-testid={`${testId}.label`}>
                  {label}
                </span>
              </span>
              <span
                className="min-w-16 text-right text-sm whitespace-nowrap tabular-nums"
                data-testid={`${testId}.prob`}
              >
                {text}
              </span>
            </>
          );
          return (
            <li key={index} data-testid={`${testId}.row`} data-class-index={index}>
              {onSelectClass ? (
                <Button
                  variant="bare"
                  aria-pressed={active}
                  onClick={() => onSelectClass(index)}
                  className={cn(
                    'flex w-full items-center gap-2 px-1 py-0.5',
                    active ? 'ring-2 ring-ring' : 'hover:bg-muted',
                  )}
                >
                  {content}
                </Button>
              ) : (
                <div className="flex items-center gap-2 px-1 py-0.5">{content}</div>
              )}
            </li>
          );
        })}
      </ol>
      {note && (
        <p className="text-xs text-fg-subtle" data-testid={`${testId}.note`}>
          {note}
        </p>
      )}
    </div>
  );
}
