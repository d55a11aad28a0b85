'use client';

import { Button } from '@/components/ui/button';
import type { CheckpointSet } from '@/lib/timeline';
import type { BrowserAccuracy } from './use-browser-accuracy';

const pct = (v: number | undefined) => (v === undefined ? '—' : `${(v * 100).toFixed(2)} %`);

/**
 * The selected checkpoint's accuracies (from checkpoints.json, and computed here when asked) and the
 * button that runs the evaluation runner over every checkpoint, with progress and Cancel.
 */
export function AccuracyReadout({
  set,
  at,
  browser,
  datasetId,
}: {
  set: CheckpointSet;
  at: number;
  browser: { view: BrowserAccuracy; start: () => Promise<void>; cancel: () => void };
  datasetId: string | null;
}) {
  const cp = set.checkpoints[at];
  const here = browser.view.values[at];
  const { running, progress, error } = browser.view;
  return (
    <div className="flex flex-col gap-2 text-sm">
      <dl
        className="grid grid-cols-[auto_auto] gap-x-3 tabular-nums"
        data-testid="timeline.accuracy"
        data-checkpoint={cp?.label ?? ''}
        data-eval-set={cp?.evalSet?.accuracy ?? ''}
        data-test={cp?.test?.accuracy ?? ''}
        data-browser={here ?? ''}
      >
        <dt className="text-fg-muted">Evaluation set{set.evalSetId ? ` (${set.evalSetId})` : ''}, from checkpoints.json</dt>
        <dd>{pct(cp?.evalSet?.accuracy)}</dd>
        <dt className="text-fg-muted">Same set, computed in this browser</dt>
        <dd>{pct(here)}</dd>
        <dt className="text-fg-muted">Official test ({cp?.test?.count?.toLocaleString('en') ?? '—'}), from checkpoints.json</dt>
        <dd>{pct(cp?.test?.accuracy)}</dd>
        <dt className="text-fg-muted">Clean validation{set.validationInTraining ? ' (trained on: the final fit uses it)' : ''}</dt>
        <dd>{pct(cp?.validation?.accuracy)}</dd>
      </dl>
      <p className="text-xs text-fg-muted">
        The numbers from checkpoints.json were measured by the training pipeline (PyTorch) when the checkpoints were made
        {set.bundledTestAccuracy !== null &&
          `; the bundled model itself scores ${pct(set.bundledTestAccuracy)} on the official test${
            set.finalWeightDiff === null
              ? ''
              : set.finalWeightDiff <= 1e-6
                ? ' (the last checkpoint is the bundled model: same weights)'
                : ` (the replay differs from it by up to ${set.finalWeightDiff.toExponential(1)} per weight)`
          }`}.
      </p>
      {datasetId && (
        <div className="flex flex-wrap items-center gap-2" data-testid="timeline.compute">
          {!running ? (
            <Button size="sm" onClick={() => void browser.start()} data-testid="timeline.compute-start">
              {browser.view.values.length ? 'Compute again' : `Compute accuracy here (${datasetId}, every checkpoint)`}
            </Button>
          ) : (
            <>
              <span role="status">Evaluating…</span>
              <progress max={1} value={progress} aria-label="Evaluation progress" className="h-2 w-40" />
              <span className="w-10 text-right tabular-nums">{Math.round(progress * 100)}%</span>
              <Button size="sm" variant="danger" onClick={browser.cancel} data-testid="timeline.compute-cancel">
                Cancel
              </Button>
            </>
          )}
          {error && <span className="text-xs text-danger">{error}</span>}
        </div>
      )}
    </div>
  );
}
