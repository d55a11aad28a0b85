'use client';

import { useEffect, useRef } from 'react';
import { composeView, type ComposeInput, type LookSettings } from '@/lib/render';

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
}: {
  input: ComposeInput;
  look: LookSettings;
  size: number;
  label: string;
  testId?: string;
  onRange?: (range: { lo: number; hi: number; signed: boolean } | null) => void;
}) {
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
