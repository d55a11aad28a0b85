'use client';

import { useEffect, useMemo } from 'react';
import { useDashboard } from '@/components/providers/dashboard-provider';
import { predictionKey } from '@/lib/store';
import type { MethodMeta, Attribution } from '@/lib/explain';
import type { LookSettings } from '@/lib/render';
import { resolveParams, argmax, explainJob, lruGet } from '@/lib/explain-view';
import { AttributionImage } from '@/components/ui/attribution-canvas';
import { useExplainView } from './view-context';
import { useModelInput } from './use-explain';
import { useJobQueue, type QueuedJob } from './queue';
import { ColourBar } from './colour-bar';
import { GroundTruthLine } from './ground-truth';
import { ms, pct } from '@/lib/format';

/** The chosen method over every image of the strip, each for its own top prediction. */
export function BatchView({ modelId, method, look }: { modelId: string; method: MethodMeta; look: LookSettings }) {
  const images = useDashboard((s) => s.images);
  const predictions = useDashboard((s) => s.predictions);
  const resize = useDashboard((s) => s.resize);
  const info = useDashboard((s) => s.models[modelId]?.info);
  const ensurePrediction = useDashboard((s) => s.ensurePrediction);
  const raw = useExplainView((s) => s.params[method.id]);
  const results = useExplainView((s) => s.results);
  const runs = useExplainView((s) => s.runs);

  useEffect(() => {
    for (const im of images)
      if (!predictions[predictionKey(modelId, im.id, resize)]) void ensurePrediction(modelId, im.id);
  }, [images, predictions, modelId, resize, ensurePrediction]);

  const items = useMemo(() => {
    if (!info) return [];
    const params = resolveParams(method, raw ?? {}, { numClasses: info.numClasses, spatialLayers: info.spatialLayers });
    return images.map((im) => {
      const probs = predictions[predictionKey(modelId, im.id, resize)]?.prediction?.probs;
      const top = probs ? argmax(probs) : null;
      return {
        image: im,
        top,
        p: probs && top !== null ? (probs[top] ?? 0) : null,
        runKey: `batch:${im.id}`,
        job: top === null ? null : explainJob({ modelId, imageId: im.id, method, params, target: top, resize }),
      };
    });
  }, [info, method, raw, images, predictions, modelId, resize]);

  const queue: QueuedJob[] = useMemo(
    () => items.flatMap((i) => (i.job ? [{ runKey: i.runKey, job: i.job }] : [])),
    [items],
  );
  useJobQueue('explain:batch', queue, true);

  if (images.length === 0)
    return <p className="text-sm text-fg-subtle">Add images to the strip to explain them all at once.</p>;
  const done = items.filter((i) => i.job && lruGet(results, i.job.key)).length;
  return (
    <div className="flex flex-col gap-3" data-testid="explain.batch">
      <p className="text-sm text-fg-muted" role="status">
        {method.label} for each image’s top prediction ·{' '}
        <span className="tabular-nums">
          {done} of {items.length}
        </span>{' '}
        done
      </p>
      <ul className="grid grid-cols-2 gap-3 sm:grid-cols-4 lg:grid-cols-6">
        {items.map((it) => {
          const a = it.job ? lruGet(results, it.job.key) : undefined;
          const run = it.job && runs[it.runKey]?.key === it.job.key ? runs[it.runKey] : undefined;
          const label = it.top === null ? '…' : (info?.labels[it.top] ?? `class ${it.top}`);
          return (
            <li
              key={it.image.id}
              data-testid="explain.batch.tile"
              data-status={a ? 'done' : (run?.status ?? 'queued')}
              className="flex flex-col gap-1"
            >
              <BatchTile
                modelId={modelId}
                imageId={it.image.id}
                attribution={a}
                look={look}
                label={`${method.label} of ${it.image.name} for ${label}`}
              />
              {a && <ColourBar attribution={a} look={look} size="sm" className="w-32" />}
              <p className="truncate text-xs" title={it.image.name}>
                <span className="font-medium">{label}</span>{' '}
                <span className="text-fg-subtle tabular-nums">{it.p === null ? '' : pct(it.p, 0)}</span>
              </p>
              <GroundTruthLine
                trueLabel={it.image.trueLabel}
                predicted={it.top === null ? null : label}
                classes={info?.labels}
                className="truncate text-xs"
                testId="explain.batch.truth"
              />
              <p className="text-xs text-fg-subtle tabular-nums">
                {a
                  ? ms(a.timings.totalMs)
                  : run?.status === 'running'
                    ? pct(run.progress, 0)
                    : run?.status === 'error'
                      ? run.error
                      : 'waiting'}
              </p>
            </li>
          );
        })}
      </ul>
    </div>
  );
}

function BatchTile({
  modelId,
  imageId,
  ...rest
}: {
  modelId: string;
  imageId: string;
  attribution: Attribution | undefined;
  look: LookSettings;
  label: string;
}) {
  const image = useModelInput(modelId, imageId);
  return <AttributionImage image={image} size={128} {...rest} />;
}
