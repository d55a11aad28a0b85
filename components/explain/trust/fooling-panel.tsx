'use client';

import { useState } from 'react';
import type { FoolingReport } from '@/lib/trust';
import type { LookSettings } from '@/lib/render';
import { pct } from '@/lib/format';
import { useTrustJob } from './use-trust-job';
import { CheckPanel, ChoiceField, classOptions } from './fields';
import { AscentCheck, useAscentSettings } from './ascent';

const CHECK = {
  testId: 'trust.fool',
  runLabel: 'Make a fooling image',
  what: 'fooling image',
  curveLabel: 'probability of the class',
} as const;

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
  const settings = useAscentSettings('trust.fool');
  const job = useTrustJob<FoolingReport>(`fool|${modelId}`);
  const run = () =>
    job.start((api, id, onProgress) => api.fooling(id, { modelId, target, ...settings.value }, onProgress));
  const name = labels[target] ?? `class ${target}`;
  const title = (f: FoolingReport) =>
    `Fooling image for ${name}: ${pct(f.trajectory[f.trajectory.length - 1])} after ${f.trajectory.length - 1} steps`;
  return (
    <CheckPanel title="Fooling images: how confident is the model on an image made from nothing?" testId="trust.fool">
      <AscentCheck job={job} onRun={run} settings={settings} title={title} look={look} {...CHECK}>
        <ChoiceField
          label="Class"
          value={String(target)}
          onChange={(v) => setTarget(Number(v))}
          options={classOptions(labels)}
          testId="trust.fool.class"
        />
      </AscentCheck>
    </CheckPanel>
  );
}
