'use client';

import { useMemo, useState } from 'react';
import { useDashboard } from '@/components/providers/dashboard-provider';
import { ImageStrip } from '@/components/images/image-strip';
import { Select, classOptions } from '@/components/ui/select';
import { Field } from '@/components/ui/field';
import { Button } from '@/components/ui/button';
import { compatibleMethods } from '@/lib/explain';
import { checkpointName, fileSeries, type AccuracySeries } from '@/lib/timeline';
import { AccuracyChart } from './accuracy-chart';
import { CheckpointStrip, SelectedMap } from './checkpoint-maps';
import { AccuracyReadout } from './accuracy-readout';
import { useCheckpoints } from './use-checkpoints';
import { useCheckpointMaps } from './use-checkpoint-maps';
import { useBrowserAccuracy } from './use-browser-accuracy';

const FILE_LABELS = {
  evalSet: 'evaluation set (training pipeline)',
  test: 'official test, 10,000 (training pipeline)',
  validation: 'clean validation split (training pipeline)',
} as const;

/**
 * The fine-tuning run of model `modelId` checkpoint by checkpoint: a slider over the checkpoints, the chosen
 * method's map of the current image at each (small strip, the selected one large) with its top class, and
 * the accuracy per checkpoint as a line chart (from checkpoints.json, and computed here on request).
 */
export function TimelinePanel({ modelId }: { modelId: string }) {
  const [open, setOpen] = useState(false);
  if (open) return <TimelineBody modelId={modelId} />;
  return (
    <div className="flex flex-wrap items-center gap-3 text-sm text-fg-muted">
      <span>How one image&apos;s explanation and the set&apos;s accuracy change during this model&apos;s fine-tuning, checkpoint by checkpoint.</span>
      <Button size="sm" onClick={() => setOpen(true)} data-testid="timeline.open">
        Open the timeline (loads every checkpoint)
      </Button>
    </div>
  );
}

function TimelineBody({ modelId }: { modelId: string }) {
  const parent = useDashboard((s) => s.models[modelId]?.manifest);
  const imageId = useDashboard((s) => s.selectedImageId);
  const { set, infos, ids, error } = useCheckpoints(parent);
  const ready = ids.length > 0 && ids.every((id) => infos[id]);
  const readyIds = useMemo(() => (ready ? ids : []), [ready, ids]);
  const info = ready ? infos[ids[0] as string] : undefined;
  const methods = useMemo(() => (info ? compatibleMethods(info) : []), [info]);
  const [methodId, setMethodId] = useState('grad-cam');
  const method = methods.find((m) => m.id === methodId) ?? methods[0];
  const [target, setTarget] = useState<number | null>(null);
  const [selected, setSelected] = useState(0);
  const last = (set?.checkpoints.length ?? 1) - 1;
  const at = Math.min(selected, Math.max(0, last));
  const maps = useCheckpointMaps(readyIds, imageId, method?.id ?? '', target, at);
  const datasetId = set?.evalSetId ?? parent?.datasetId ?? null;
  const browser = useBrowserAccuracy(readyIds, datasetId);

  const names = useMemo(() => set?.checkpoints.map(checkpointName) ?? [], [set]);
  const series = useMemo(() => {
    const out: AccuracySeries[] = set ? fileSeries(set.checkpoints, FILE_LABELS, ['evalSet', 'test']) : [];
    const here = browser.view.values.flatMap((value, index) => (value === undefined ? [] : [{ index, value }]));
    if (here.length) out.unshift({ id: 'browser', label: 'evaluation set (computed in this browser)', points: here });
    return out;
  }, [set, browser.view.values]);

  if (!parent?.checkpointsUrl) return null;
  if (error) {
    return (
      <p role="alert" className="text-sm text-danger" data-testid="timeline.error">
        The checkpoints could not be loaded: {error}
      </p>
    );
  }
  if (!set || !ready) {
    return (
      <p role="status" className="text-sm text-fg-subtle" data-testid="timeline.loading">
        Loading checkpoints… {Object.keys(infos).length}/{ids.length || '?'}
      </p>
    );
  }
  const cp = set.checkpoints[at];
  const selectedId = ids[at] as string;
  return (
    <div className="flex flex-col gap-3" data-testid="timeline.panel" data-checkpoints={set.checkpoints.length}>
      <p className="text-sm text-fg-muted">
        {set.checkpoints.length} checkpoints of {set.epochs} epochs of fine-tuning ({set.checkpoints.map((c) => checkpointName(c)).join(', ')}); start is
        the pretrained network before fine-tuning. Each checkpoint is loaded as a model of its own.
      </p>
      <ImageStrip sampleDatasetId={datasetId ?? undefined} intro />
      <div className="flex flex-wrap items-end gap-3">
        <Field label="Method">
          {(f) => (
            <Select {...f} size="sm" value={method?.id ?? ''} onChange={(e) => setMethodId(e.target.value)} data-testid="timeline.method"
              options={methods.map((m) => ({ value: m.id, label: m.label }))} />
          )}
        </Field>
        <Field label="Class explained">
          {(f) => (
            <Select {...f} size="sm" value={target ?? ''} onChange={(e) => setTarget(e.target.value === '' ? null : Number(e.target.value))}
              data-testid="timeline.target" options={classOptions(parent.labels)}>
              <option value="">Top class at the last checkpoint</option>
            </Select>
          )}
        </Field>
      </div>
      <Field label={`Checkpoint: ${cp ? checkpointName(cp) : ''} (step ${cp?.step ?? 0})`}>
        {(f) => (
          <input {...f} type="range" min={0} max={last} step={1} value={at} onChange={(e) => setSelected(Number(e.target.value))}
            aria-valuetext={cp ? checkpointName(cp) : undefined} data-testid="timeline.slider" className="w-full max-w-md accent-[var(--why-primary)]" />
        )}
      </Field>
      <div className="flex flex-wrap items-start gap-4">
        <SelectedMap input={maps.input} map={maps.maps[selectedId]} labels={parent.labels} target={maps.target} name={cp ? checkpointName(cp) : ''} label={cp?.label ?? ''} />
        <div className="flex min-w-64 flex-1 flex-col gap-2">
          <AccuracyChart series={series} names={names} selected={at} />
          <AccuracyReadout set={set} at={at} browser={browser} datasetId={datasetId} />
        </div>
      </div>
      {maps.error && (
        <p role="alert" className="text-sm text-danger">
          {maps.error}
        </p>
      )}
      <CheckpointStrip ids={ids} names={names} input={maps.input} maps={maps.maps} labels={parent.labels} selected={at} onSelect={setSelected} />
    </div>
  );
}
