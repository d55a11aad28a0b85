'use client';

import { useState } from 'react';
import type { RobustnessSetResult } from '@/lib/trust';
import { pct } from '@/lib/format';
import { NumCell, TableHead } from '@/components/ui/table';
import { useSetJob, type SetCheckProps } from './use-trust-job';
import { CheckPanel, flipLevels, JobControls, SetSizeField } from './fields';
import { Checkbox } from '@/components/ui/input';

/** The run button, progress test ids and words of this check. */
const CHECK = {
  testId: 'trust.robust',
  runLabel: 'Measure accuracy under attack and noise',
  what: 'robustness over the set',
} as const;

const EPSILONS = [1, 2, 4, 8].map((k) => k / 255);
const SIGMAS = [0.05, 0.1, 0.2, 0.3];

/** Accuracy versus FGSM ε and Gaussian noise σ over the evaluation set, overall and per class. */
export function RobustnessSetPanel({ modelId, datasetId, labels }: SetCheckProps & { labels: readonly string[] }) {
  const [n, setN] = useState(200);
  const [pgdFlip, setPgdFlip] = useState(false);
  const job = useSetJob<RobustnessSetResult>(`robust|${modelId}`, datasetId);
  if (!datasetId) return null;
  const run = () =>
    job.start((api, id, onProgress, set) =>
      api.robustnessSet(id, { modelId, datasetId: set, n, epsilons: EPSILONS, sigmas: SIGMAS, pgdFlip }, onProgress),
    );
  const r = job.state?.result;
  const columns = [
    'Class',
    'Images',
    ...EPSILONS.map((e) => `FGSM ${Math.round(e * 255)}/255`),
    ...SIGMAS.map((s) => `noise σ ${s}`),
  ];
  return (
    <CheckPanel title="Robustness over the evaluation set: which classes break first?" testId="trust.robust">
      <JobControls job={job} onRun={run} {...CHECK}>
        <SetSizeField value={n} max={2000} onChange={setN} testId="trust.robust.n" />
        <label className="flex items-center gap-1">
          <Checkbox checked={pgdFlip} onChange={(e) => setPgdFlip(e.target.checked)} data-testid="trust.robust.pgd" />
          PGD flip ε too (~60 model calls per image)
        </label>
      </JobControls>
      {r && (
        <div className="flex flex-col gap-2 overflow-x-auto" data-testid="trust.robust.result">
          <p
            data-testid="trust.robust.summary"
            data-median-flip={r.medianFlip ?? ''}
            data-median-flip-pgd={r.medianFlipPgd ?? ''}
          >
            Clean accuracy {pct(r.cleanAccuracy)} on {r.n} images. Median smallest ε that changes the decision: FGSM{' '}
            {flipLevels(r.medianFlip)}
            {r.medianFlipPgd !== undefined && `, PGD ${flipLevels(r.medianFlipPgd)}`}.
          </p>
          <table className="text-sm">
            <TableHead columns={columns} />
            <tbody>
              <tr className="border-t border-border font-medium" data-testid="trust.robust.row.all">
                <td className="p-1">All classes</td>
                <NumCell>{r.n}</NumCell>
                {[...r.fgsmAccuracy, ...r.noiseAccuracy].map((v, i) => (
                  <NumCell key={i} value={v}>
                    {pct(v, 0)}
                  </NumCell>
                ))}
              </tr>
              {r.classCounts.map((c, k) => (
                <tr key={k} className="border-t border-border">
                  <td className="p-1">{labels[k] ?? `class ${k}`}</td>
                  <NumCell>{c}</NumCell>
                  {[...(r.fgsmByClass[k] ?? []), ...(r.noiseByClass[k] ?? [])].map((v, i) => (
                    <NumCell key={i} value={Number.isFinite(v) ? v : null}>
                      {pct(v, 0)}
                    </NumCell>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </CheckPanel>
  );
}
