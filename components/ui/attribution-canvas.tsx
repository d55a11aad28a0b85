'use client';

import { useEffect, useMemo, useRef } from 'react';
import type { Attribution, ImageInput } from '@/lib/explain';
import { composeView, type ComposeInput, type LookSettings } from '@/lib/render';

type CanvasProps = {
  look: LookSettings;
  size: number;
  label: string;
  testId?: string;
  onRange?: (range: { lo: number; hi: number; signed: boolean } | null) => void;
};

/**
 * Draws an image with its attribution overlay at display resolution. Repaints when the look changes;
 * never asks for the attribution again. `onRange` reports the clip range for a legend.
 */
export function AttributionCanvas({
  input,
  look,
  size,
  label,
  testId,
  onRange,
}: CanvasProps & { input: ComposeInput }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    if (!canvas) return;
    const dpr = typeof window === 'undefined' ? 1 : Math.min(2, window.devicePixelRatio || 1);
    const out = composeView(input, look, size * dpr);
    canvas.width = out.width;
    canvas.height = out.height;
    canvas.getContext('2d')?.putImageData(new ImageData(new Uint8ClampedArray(out.rgba), out.width, out.height), 0, 0);
    onRange?.(out.range);
  }, [input, look, size, onRange]);
  const aspect = (input.image?.height ?? input.mapHeight ?? 1) / (input.image?.width ?? input.mapWidth ?? 1);
  return (
    <canvas
      ref={ref}
      role="img"
      aria-label={label}
      data-testid={testId}
      className="rounded bg-black"
      style={{ width: size, maxWidth: '100%', aspectRatio: `1 / ${aspect}` }}
    />
  );
}

/**
 * The model's input `image` under its `attribution` — the image alone until the attribution exists, a grey
 * `size`×`size` box until the image does.
 */
export function AttributionImage({
  image,
  attribution,
  ...canvas
}: CanvasProps & { image: ImageInput | undefined; attribution: Attribution | undefined }) {
  const input = useMemo(
    () => ({
      image,
      values: attribution?.values,
      mapWidth: attribution?.width,
      mapHeight: attribution?.height,
      signed: attribution?.signed ?? false,
    }),
    [image, attribution],
  );
  if (!image)
    return <span className="block rounded bg-muted" style={{ width: canvas.size, height: canvas.size }} aria-hidden />;
  return <AttributionCanvas input={input} {...canvas} />;
}
