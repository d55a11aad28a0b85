'use client';

import { useDashboard } from '@/components/providers/dashboard-provider';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { defaultCostSettings } from '@/lib/store';
import type { Evaluation } from './use-evaluation';

/** Progress, cancellation and failures of the evaluation, and settings that do not fit the model. */
export function EvaluationStatus({ e }: { e: Evaluation }) {
  const ensureEvaluation = useDashboard((s) => s.ensureEvaluation);
  const cancelEvaluation = useDashboard((s) => s.cancelEvaluation);
  const { ev, modelId, datasetId, datasetName, labels, analysisError, onChange } = e;
  return (
    <>
      {ev?.status === 'loading' && modelId && datasetId && (
        <div role="status" className="flex items-center gap-3 text-sm" data-testid="evaluate.progress">
          <span>Running the model over {datasetName}…</span>
          <progress value={ev.progress} max={1} className="w-64" aria-label="Evaluation progress" />
          <span className="tabular-nums">{Math.round(ev.progress * 100)} %</span>
          <Button onClick={() => cancelEvaluation(modelId, datasetId)} data-testid="evaluate.cancel">
            Cancel
          </Button>
        </div>
      )}
      {ev?.status === 'idle' && modelId && datasetId && (
        <div role="status" className="flex items-center gap-3 text-sm" data-testid="evaluate.cancelled">
          <span>Evaluation cancelled.</span>
          <Button onClick={() => void ensureEvaluation(modelId, datasetId)} data-testid="evaluate.run">
            Run it
          </Button>
        </div>
      )}
      {ev?.status === 'error' && modelId && datasetId && (
        <Alert tone="error" className="flex items-center gap-3">
          <span>The evaluation failed: {ev.error}</span>
          <Button onClick={() => void ensureEvaluation(modelId, datasetId)}>Retry</Button>
        </Alert>
      )}
      {analysisError && (
        <Alert tone="error" data-testid="evaluate.analysis-error">
          These settings cannot be used with this model: {analysisError}{' '}
          {labels && (
            <Button
              variant="danger"
              className="ml-2"
              onClick={() => onChange(defaultCostSettings(labels.length))}
              data-testid="evaluate.reset-settings"
            >
              Reset costs, priors and merges
            </Button>
          )}
        </Alert>
      )}
      {!datasetId && labels && (
        <p className="text-sm text-fg-muted">
          No bundled evaluation set has this model’s classes. Bring your own labelled images above.
        </p>
      )}
    </>
  );
}
