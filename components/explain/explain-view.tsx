'use client';

import { useDashboard } from '@/components/providers/dashboard-provider';
import { ModelPicker } from '@/components/models/model-picker';
import { ImageStrip } from '@/components/images/image-strip';
import { ModelInputPreview } from '@/components/images/model-input-preview';
import { TopK } from '@/components/predictions/top-k';
import { Panel } from '@/components/ui/panel';

export function ExplainView() {
  const modelId = useDashboard((s) => s.selectedModelId);
  const imageId = useDashboard((s) => s.selectedImageId);
  const image = useDashboard((s) => s.images.find((i) => i.id === s.selectedImageId));
  const datasetId = useDashboard((s) => (modelId ? s.models[modelId]?.manifest?.datasetId : undefined));
  const modelStatus = useDashboard((s) => (modelId ? s.models[modelId]?.status : undefined));

  return (
    <div className="flex flex-col gap-4" data-testid="explain.view">
      <div className="flex flex-wrap items-center gap-4">
        <h1 className="text-lg font-semibold">Explain</h1>
        <ModelPicker />
        {modelStatus === 'loading' && (
          <span role="status" className="text-sm text-slate-500">
            Loading model…
          </span>
        )}
      </div>
      <ImageStrip sampleDatasetId={datasetId} />
      <div className="grid gap-4 md:grid-cols-[minmax(0,2fr)_minmax(0,1fr)]">
        <Panel title="Image">
          {image ? (
            <div className="flex flex-wrap items-start gap-4">
              {/* eslint-disable-next-line @next/next/no-img-element -- the user's own image, from a blob URL */}
              <img src={image.url} alt={image.name} data-testid="explain.image" className="pixelated max-h-96 max-w-full rounded bg-black object-contain" style={{ minWidth: 192 }} />
              <div>
                <p className="mb-1 text-xs font-medium text-slate-500">What the model sees</p>
                <ModelInputPreview modelId={modelId} imageId={imageId} />
              </div>
            </div>
          ) : (
            <p className="text-sm text-slate-500">Add an image, or add samples from the bundled test set.</p>
          )}
          {image && (
            <p className="mt-2 text-xs text-slate-500 tabular-nums" data-testid="explain.image-caption">
              {image.name} · {image.width}×{image.height} · {image.format}
            </p>
          )}
        </Panel>
        <Panel title="Top predictions">
          <TopK modelId={modelId} imageId={imageId} />
        </Panel>
      </div>
    </div>
  );
}
