'use client';

import { useEffect, useId, useRef, useState } from 'react';
import { useDashboard, useExplainService } from '@/components/providers/dashboard-provider';
import { toDisplayRGBA } from '@/lib/images';
import type { ResizePolicy } from '@/lib/models';
import { Select } from '@/components/ui/select';

const POLICIES: { value: ResizePolicy; label: string }[] = [
  { value: 'stretch', label: 'Stretch' },
  { value: 'center-crop', label: 'Centre-crop' },
  { value: 'pad', label: 'Pad' },
];

/** "What the model sees": the exact model input rendered back as an image, with the resize policy. */
export function ModelInputPreview({
  modelId,
  imageId,
  size = 160,
}: {
  modelId: string | null;
  imageId: string | null;
  size?: number;
}) {
  const service = useExplainService();
  const resize = useDashboard((s) => s.resize);
  const setResize = useDashboard((s) => s.setResize);
  const ready = useDashboard((s) => (modelId ? s.models[modelId]?.status === 'ready' : false));
  const defaultPolicy = useDashboard((s) => (modelId ? s.models[modelId]?.info?.preprocessing.resize : undefined));
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [shape, setShape] = useState<string>('');
  const [error, setError] = useState<string | null>(null);
  const selectId = useId();

  useEffect(() => {
    if (!modelId || !imageId || !ready) return;
    let stale = false;
    service()
      .api.modelInput(modelId, imageId, resize ?? undefined)
      .then((input) => {
        if (stale || !canvasRef.current) return;
        const canvas = canvasRef.current;
        canvas.width = input.width;
        canvas.height = input.height;
        const ctx = canvas.getContext('2d');
        if (!ctx) return;
        ctx.putImageData(new ImageData(toDisplayRGBA(input), input.width, input.height), 0, 0);
        setShape(`${input.height}×${input.width}×${input.channels}`);
        setError(null);
      })
      .catch((e: unknown) => !stale && setError(e instanceof Error ? e.message : String(e)));
    return () => {
      stale = true;
    };
  }, [service, modelId, imageId, ready, resize]);

  return (
    <div className="flex flex-col gap-2" data-testid="model-input">
      <canvas
        ref={canvasRef}
        width={1}
        height={1}
        aria-label="What the model sees"
        className="pixelated rounded border border-border-strong bg-black"
        style={{ width: size, height: size }}
      />
      <div className="flex items-center gap-2 text-xs">
        <label htmlFor={selectId}>Resize</label>
        <Select
          id={selectId}
          size="sm"
          data-testid="model-input.resize"
          value={resize ?? defaultPolicy ?? 'stretch'}
          onChange={(e) => setResize(e.target.value as ResizePolicy)}
          options={POLICIES}
        />
        <span className="text-fg-subtle tabular-nums" data-testid="model-input.shape">
          {shape}
        </span>
      </div>
      {error && <p className="text-xs text-danger">{error}</p>}
    </div>
  );
}
