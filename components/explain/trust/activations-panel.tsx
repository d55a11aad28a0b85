'use client';

import { useState } from 'react';
import type { Attribution, ImageInput } from '@/lib/explain';
import { channelMap, channelsByMean, type ActivationsReport } from '@/lib/trust';
import type { LookSettings } from '@/lib/render';
import { num } from '@/lib/format';
import { AttributionImage } from '@/components/ui/attribution-canvas';
import { Button } from '@/components/ui/button';
import { RunStatusBar } from '../progress';
import { Enlarged } from '../methods-grid';
import { useSetJob, useTrustJob } from './use-trust-job';
import { CheckPanel, ChoiceField, JobControls } from './fields';

/** The run button, progress test ids and words of this check. */
const CHECK = { testId: 'trust.acts', runLabel: 'Show feature maps', what: 'feature maps' } as const;

/** Channels shown in the grid (the most active first). */
const SHOWN = 32;

/** One channel's H'×W' map as an (unsigned) attribution over the image, for the shared canvas. */
function asMap(base: Attribution, a: ActivationsReport, c: number): Attribution {
  return {
    ...base,
    width: a.width,
    height: a.height,
    values: channelMap(a.values, a.height, a.width, a.channels, c),
    signed: false,
  };
}

/** RGBA pixels of a set image as an ImageInput (RGB in [0, 1]) for the canvas. */
function rgbaToInput(img: { data: Uint8ClampedArray; width: number; height: number }): ImageInput {
  const data = new Float32Array(img.width * img.height * 3);
  for (let p = 0; p < img.width * img.height; p++)
    for (let ch = 0; ch < 3; ch++) data[p * 3 + ch] = (img.data[p * 4 + ch] ?? 0) / 255;
  return { width: img.width, height: img.height, channels: 3, data };
}

/** Feature maps of a spatial layer, sorted by mean activation; a channel enlarges with the set images it likes most. */
export function ActivationsPanel({
  modelId,
  imageId,
  layers,
  datasetId,
  base,
  input,
  look,
}: {
  modelId: string;
  imageId: string;
  layers: readonly string[];
  datasetId: string | undefined;
  /** The current map: its fields are reused to draw channel maps over the image. */
  base: Attribution | undefined;
  input: ImageInput | undefined;
  look: LookSettings;
}) {
  const [layer, setLayer] = useState(layers[layers.length - 1] ?? '');
  const [open, setOpen] = useState<number | null>(null);
  const job = useTrustJob<ActivationsReport>(`acts|${modelId}|${imageId}|${layer}`);
  const top = useSetJob<ImageInput[]>(`top|${modelId}|${layer}|${open ?? ''}`, datasetId);
  const a = job.state?.result;
  const show = () => job.start((api, id) => api.activations(id, { modelId, imageId, layer }));
  const findTop = (channel: number) =>
    top.start(async (api, id, onProgress, set) => {
      const r = await api.topActivating(id, { modelId, datasetId: set, layer, channel, n: 500, top: 8 }, onProgress);
      return Promise.all(r.indices.map(async (i) => rgbaToInput(await api.datasetImage(set, i))));
    });
  if (layers.length === 0) return null;
  return (
    <CheckPanel title="Activations: what the layers respond to" testId="trust.acts">
      <JobControls job={job} onRun={show} disabled={!base} {...CHECK}>
        <ChoiceField
          label="Layer"
          value={layer}
          onChange={setLayer}
          options={layers.map((l) => ({ value: l, label: l }))}
          testId="trust.acts.layer"
        />
      </JobControls>
      {a && base && (
        <>
          <p className="text-xs text-fg-muted" data-testid="trust.acts.summary" data-channels={a.channels}>
            {a.channels} channels of {a.height}×{a.width}, the {Math.min(SHOWN, a.channels)} most active first (mean
            activation under each). Click one to enlarge it over the image.
          </p>
          <ul className="flex flex-wrap gap-2">
            {channelsByMean(a.means)
              .slice(0, SHOWN)
              .map((c) => (
                <li key={c} className="flex flex-col text-xs tabular-nums" data-testid="trust.acts.channel">
                  <Button variant="bare" onClick={() => setOpen(c)} aria-label={`Enlarge channel ${c}`}>
                    <AttributionImage
                      image={input}
                      attribution={asMap(base, a, c)}
                      look={look}
                      size={64}
                      label={`channel ${c}`}
                    />
                  </Button>
                  #{c} · {num(a.means[c], 2)}
                </li>
              ))}
          </ul>
        </>
      )}
      {a && base && open !== null && (
        <Enlarged title={`${layer}, channel ${open}`} onClose={() => setOpen(null)}>
          <AttributionImage
            image={input}
            attribution={asMap(base, a, open)}
            look={look}
            size={320}
            label={`channel ${open} over the image`}
          />
          {datasetId && (
            <Button
              onClick={() => findTop(open)}
              disabled={top.state?.status === 'running'}
              data-testid="trust.acts.top"
            >
              Find the test images that activate it most
            </Button>
          )}
          <RunStatusBar
            run={top.state ?? undefined}
            onCancel={top.cancel}
            onRetry={() => findTop(open)}
            label="search"
          />
          {top.state?.result && (
            <ul className="flex flex-wrap gap-2">
              {top.state.result.map((img, i) => (
                <li key={i}>
                  <AttributionImage
                    image={img}
                    attribution={undefined}
                    look={look}
                    size={72}
                    label={`top image ${i + 1}`}
                  />
                </li>
              ))}
            </ul>
          )}
        </Enlarged>
      )}
    </CheckPanel>
  );
}
