'use client';

import { useState } from 'react';
import type { FoolingReport } from '@/lib/trust';
import type { LookSettings } from '@/lib/render';
import { pct } from '@/lib/format';
import { AttributionImage } from '@/components/ui/attribution-canvas';
import { Checkbox } from '@/components/ui/input';
import { Panel } from '@/components/ui/panel';
import { CurveChart } from './curve-chart';
import { useTrustJob } from './use-trust-job';
import { ChoiceField, classOptions, JobControls } from './fields';

/** An image made from nothing for one class: how confident the model gets, and what the image looks like. */
export function FoolingPanel({
  modelId,
  labels,
  look,
}: {
  modelId: string;
  labels: readonly string[];
  look: LookSettings;
}) {
  const [target, setTarget] = useState(0);
  const [start, setStart] = useState<'grey' | 'noise'>('grey');
  const [regularise, setRegularise] = useState(true);
  const job = useTrustJob<FoolingReport>(`fool|${modelId}`);
  const run = () =>
    job.start((api, id, onProgress) => api.fooling(id, { modelId, target, start, steps: 64, regularise }, onProgress));
  const r = job.state?.result;
  return (
    <Panel title="Fooling images: how confident is the model on an image made from nothing?" testId="trust.fool">
      <div className="flex flex-col gap-3 text-sm">
        <JobControls
          runLabel={'Make a fooling image'}
          onRun={run}
          runTestId="trust.fool.run"
          run={job.state ?? undefined}
          onCancel={job.cancel}
          what="fooling image"
        >
          <ChoiceField
            label="Class"
            value={String(target)}
            onChange={(v) => setTarget(Number(v))}
            options={classOptions(labels)}
            testId="trust.fool.class"
          />
          <ChoiceField
            label="Start from"
            value={start}
            onChange={(v) => setStart(v === 'noise' ? 'noise' : 'grey')}
            options={[
              { value: 'grey', label: 'grey' },
              { value: 'noise', label: 'noise' },
            ]}
          />
          <label className="flex items-center gap-1">
            <Checkbox checked={regularise} onChange={(e) => setRegularise(e.target.checked)} />
            jitter and blur
          </label>
        </JobControls>
        {r && (
          <div className="flex flex-wrap items-start gap-4" data-testid="trust.fool.result">
            <AttributionImage
              image={{ width: r.width, height: r.height, channels: r.channels, data: r.data }}
              attribution={undefined}
              look={look}
              size={140}
              label={`fooling image for ${labels[target] ?? target}`}
            />
            <CurveChart
              title={`${labels[target] ?? target}: ${pct(r.trajectory[r.trajectory.length - 1])} after ${r.trajectory.length - 1} steps`}
              xLabel="optimisation steps"
              series={[{ label: 'probability of the class', ys: r.trajectory, tone: 'map' }]}
              testId="trust.fool.curve"
            />
          </div>
        )}
      </div>
    </Panel>
  );
}
