'use client';

import { useState } from 'react';
import type { FeatureVisReport } from '@/lib/trust';
import type { LookSettings } from '@/lib/render';
import { num } from '@/lib/format';
import { useTrustJob } from './use-trust-job';
import { CheckPanel, ChoiceField, IntField } from './fields';
import { AscentCheck, useAscentSettings } from './ascent';

/** The run button, progress test ids and words of this check. */
const CHECK = {
  testId: 'trust.vis',
  runLabel: 'Visualise the channel',
  what: 'feature visualisation',
  curveLabel: 'mean activation of the channel',
} as const;

/** A spatial layer and its channel count (undefined when the model does not say). */
export interface VisLayer {
  name: string;
  channels: number | undefined;
}

/** Feature visualisation: the image that makes one channel of a conv layer fire most. */
export function FeatureVisPanel({
  modelId,
  layers,
  look,
}: {
  modelId: string;
  layers: readonly VisLayer[];
  look: LookSettings;
}) {
  const [layer, setLayer] = useState(layers[0]?.name ?? '');
  const [channel, setChannel] = useState(0);
  const settings = useAscentSettings('trust.vis', 48);
  const job = useTrustJob<FeatureVisReport>(`vis|${modelId}|${layer}|${channel}`);
  const max = (layers.find((l) => l.name === layer)?.channels ?? 4096) - 1;
  const run = () =>
    job.start((api, id, onProgress) =>
      api.featureVis(id, { modelId, layer, channel: Math.min(channel, max), ...settings.value }, onProgress),
    );
  const title = (v: FeatureVisReport) =>
    `${layer} #${channel}: mean activation ${num(v.trajectory[0], 3)} → ${num(v.trajectory[v.trajectory.length - 1], 3)}`;
  if (layers.length === 0) return null;
  return (
    <CheckPanel title="Feature visualisation: what makes one channel fire?" testId="trust.vis">
      <p className="text-fg-muted">
        Starting from grey or noise, the image is changed step by step to raise the mean activation of the chosen
        channel. Jitter and blur keep it from turning into high-frequency noise that no real image has.
      </p>
      <AscentCheck job={job} onRun={run} settings={settings} title={title} look={look} {...CHECK}>
        <ChoiceField
          label="Layer"
          value={layer}
          onChange={setLayer}
          options={layers.map((l) => ({ value: l.name, label: l.channels ? `${l.name} (${l.channels})` : l.name }))}
          testId="trust.vis.layer"
        />
        <IntField label="Channel" value={channel} min={0} max={max} onChange={setChannel} testId="trust.vis.channel" />
      </AscentCheck>
    </CheckPanel>
  );
}
