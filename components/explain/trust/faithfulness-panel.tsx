'use client';

import type { Attribution } from '@/lib/explain';
import { beatsRandom, type FaithfulnessResult } from '@/lib/trust';
import { num } from '@/lib/format';
import { CurveChart } from './curve-chart';
import { useTrustJob } from './use-trust-job';
import { CheckPanel, JobControls } from './fields';

/** The run button, progress test ids and words of this check. */
const CHECK = {
  testId: 'trust.faithfulness',
  runLabel: 'Measure deletion & insertion',
  what: 'deletion & insertion curves',
} as const;

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
    <CheckPanel
      title="Faithfulness: does removing what the map points at change the decision?"
      testId="trust.faithfulness"
    >
      <p className="text-fg-muted">
        Pixels are removed (deletion: set to black) or put back onto a blurred copy (insertion) in the order of the{' '}
        {methodLabel} map, 5 % at a time, and the class probability is read after each step. A faithful map makes the
        probability fall fast (low deletion area) and rise fast (high insertion area) — faster than a random order.
      </p>
      <JobControls job={job} onRun={run} disabled={!attribution} {...CHECK} />
      {r && <FaithfulnessResultView r={r} />}
    </CheckPanel>
  );
}

const GAMES = [
  { id: 'deletion', floor: 'randomDeletion', title: 'Deletion', better: 'lower', x: 'removed' },
  { id: 'insertion', floor: 'randomInsertion', title: 'Insertion', better: 'higher', x: 'put back' },
] as const;

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
        {GAMES.map((g) => (
          <CurveChart
            key={g.id}
            title={`${g.title}: area ${num(r[g.id].auc, 3)} (random ${num(r[g.floor].auc, 3)}) — ${g.better} is better`}
            xLabel={`fraction of pixels ${g.x}`}
            series={[
              { label: 'map order', ys: r[g.id].probs, tone: 'map' },
              { label: 'random order', ys: r[g.floor].probs, tone: 'floor' },
            ]}
            testId={`trust.faithfulness.${g.id}`}
          />
        ))}
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
