'use client';

import { useEffect, useRef, useState } from 'react';
import { useExplainService } from '@/components/providers/dashboard-provider';
import { cn } from '@/components/ui/cn';

/** One image of an evaluation set, drawn from the worker's pixels onto a canvas (pixelated, `size` CSS px). */
export function DatasetThumb({
  datasetId,
  index,
  size = 56,
  label,
  className,
}: {
  datasetId: string;
  index: number;
  size?: number;
  label: string;
  className?: string;
}) {
  const service = useExplainService();
  const ref = useRef<HTMLCanvasElement>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    service()
      .api.datasetImage(datasetId, index)
      .then((px) => {
        const c = ref.current;
        if (!live || !c) return;
        c.width = px.width;
        c.height = px.height;
        c.getContext('2d')?.putImageData(new ImageData(new Uint8ClampedArray(px.data), px.width, px.height), 0, 0);
      })
      .catch(() => live && setFailed(true));
    return () => {
      live = false;
    };
  }, [service, datasetId, index]);
  return (
    <canvas
      ref={ref}
      role="img"
      aria-label={failed ? `${label} (could not be drawn)` : label}
      className={cn('pixelated rounded bg-black object-contain', className)}
      style={{ width: size, height: size }}
    />
  );
}
