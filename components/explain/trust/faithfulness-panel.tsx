'use client';

import type { Attribution } from '@/lib/explain';
import { beatsRandom, type FaithfulnessResult } from '@/lib/trust';
import { num } from '@/lib/format';
import { Button } from '@/components/ui/button';
import { Panel } from '@/components/ui/panel';
import { RunStatusBar } from '../progress';
import { CurveChart } from './curve-chart';
import { useTrustJob } from './use-trust-job';

/** Deletion and insertion curves of the current map against a random order, with their areas and a verdict. */
export function FaithfulnessPanel({
  modelId,
  imageId,
  jobKey,
  attribution,
  methodLabel,
}: {
  modelId: string;
  imageId: string;
  /** The map's request key (a result for another map is not shown). */
  jobKey: string | null;
  attribution: Attribution | undefined;
  methodLabel: string;
}) {
  const job = useTrustJob<FaithfulnessResult>(`faith|${jobKey ?? ''}`);
  const run = () => {
    if (!attribution) return;
    const { target, values } = attribution;
    job.start((api, id, onProgress) => api.faithfulness(id, { modelId, imageId, target, values }, onProgress));
  };
  const r = job.state?.result;
  return (
    <Panel
      title="Faithfulness: does removing what the map points at change the decision?"
      testId="trust.faithfulness"
      actions={
        <Button
          onClick={run}
          disabled={!attribution || job.state?.status === 'running'}
          data-testid="trust.faithfulness.run"
        >
          Measure deletion & insertion
        </Button>
      }
    >
      <div className="flex flex-col gap-3 text-sm">
        <p className="text-fg-muted">
          Pixels are removed (deletion: set to black) or put back onto a blurred copy (insertion) in the order of the{' '}
          {methodLabel} map, 5 % at a time, and the class probability is read after each step. A faithful map makes the
          probability fall fast (low deletion area) and rise fast (high insertion area) — faster than a random order.
        </p>
        <RunStatusBar
          run={job.state ?? undefined}
          onCancel={job.cancel}
          onRetry={run}
          label="deletion & insertion curves"
          testId="trust.faithfulness.progress"
        />
        {r && <FaithfulnessResultView r={r} />}
      </div>
    </Panel>
  );
}

function FaithfulnessResultView({ r }: { r: FaithfulnessResult }) {
  const beats = beatsRandom(r);
  const verdict =
    beats.deletion && beats.insertion
      ? 'The map beats a random order on both games: removing what it points at changes the decision.'
      : beats.deletion || beats.insertion
        ? `The map beats a random order on ${beats.deletion ? 'deletion' : 'insertion'} only: read it with care.`
        : 'The map does no better than a random order: it does not show what the decision rests on.';
  return (
    <div className="flex flex-col gap-3" data-testid="trust.faithfulness.result">
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
        <CurveChart
          title={`Deletion: area ${num(r.deletion.auc, 3)} (random ${num(r.randomDeletion.auc, 3)}) — lower is better`}
          xLabel="fraction of pixels removed"
          series={[
            { label: 'map order', ys: r.deletion.probs, tone: 'map' },
            { label: 'random order', ys: r.randomDeletion.probs, tone: 'floor' },
          ]}
          testId="trust.faithfulness.deletion"
        />
        <CurveChart
          title={`Insertion: area ${num(r.insertion.auc, 3)} (random ${num(r.randomInsertion.auc, 3)}) — higher is better`}
          xLabel="fraction of pixels put back"
          series={[
            { label: 'map order', ys: r.insertion.probs, tone: 'map' },
            { label: 'random order', ys: r.randomInsertion.probs, tone: 'floor' },
          ]}
          testId="trust.faithfulness.insertion"
        />
      </div>
      <p
        role="status"
        data-testid="trust.faithfulness.verdict"
        data-deletion-auc={r.deletion.auc}
        data-insertion-auc={r.insertion.auc}
        data-random-deletion-auc={r.randomDeletion.auc}
        data-random-insertion-auc={r.randomInsertion.auc}
      >
        {verdict}
      </p>
      <p className="text-xs text-fg-subtle tabular-nums">
        {r.steps} steps, floor = mean of {r.randomRepeats} random orders, {r.forwardPasses} model calls in{' '}
        {Math.round(r.ms)} ms.
      </p>
    </div>
  );
}
