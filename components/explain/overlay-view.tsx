'use client';

import { useCallback, useState } from 'react';
import type { Attribution, ImageInput } from '@/lib/explain';
import type { LookSettings, ClipRange } from '@/lib/render';
import { AttributionImage } from '@/components/ui/attribution-canvas';

/** The image with its overlay, or original · heatmap · overlay side by side; plus a colour legend. */
export function OverlayView({
  imageUrl,
  imageName,
  input,
  attribution,
  look,
  sideBySide,
  size,
  label,
}: {
  imageUrl: string;
  imageName: string;
  input: ImageInput | undefined;
  attribution: Attribution | undefined;
  look: LookSettings;
  sideBySide: boolean;
  size: number;
  label: string;
}) {
  const [range, setRange] = useState<ClipRange | null>(null);
  const onRange = useCallback((r: ClipRange | null) => setRange(r), []);
  const small = Math.round(size * 0.6);
  if (!input)
    return (
      <div
        className="animate-pulse rounded bg-muted"
        style={{ width: size, maxWidth: '100%', aspectRatio: '1' }}
        aria-hidden
      />
    );
  return (
    <div className="flex max-w-full min-w-0 flex-col gap-2">
      {sideBySide ? (
        <div className="flex flex-wrap gap-3" data-testid="explain.side-by-side">
          <figure className="flex flex-col gap-1">
            {/* eslint-disable-next-line @next/next/no-img-element -- the user's own image */}
            <img
              src={imageUrl}
              alt={imageName}
              className="pixelated rounded bg-black object-contain"
              style={{ width: small, height: small }}
            />
            <figcaption className="text-xs text-fg-subtle">Original</figcaption>
          </figure>
          {(['heatmap', 'overlay'] as const).map((mode) => {
            const caption = mode === 'heatmap' ? 'Heatmap' : 'Overlay';
            return (
              <figure key={mode} className="flex flex-col gap-1">
                <AttributionImage
                  image={input}
                  attribution={attribution}
                  look={{ ...look, mode }}
                  size={small}
                  label={`${caption}: ${label}`}
                  {...(mode === 'overlay' && { onRange, testId: 'explain.overlay' })}
                />
                <figcaption className="text-xs text-fg-subtle">{caption}</figcaption>
              </figure>
            );
          })}
        </div>
      ) : (
        <AttributionImage
          image={input}
          attribution={attribution}
          look={look}
          size={size}
          label={attribution ? `Overlay: ${label}` : 'The image as the model sees it'}
          onRange={onRange}
          testId="explain.overlay"
        />
      )}
      {attribution && range && <Legend range={range} signed={attribution.signed && !look.absolute} />}
    </div>
  );
}

function Legend({ range, signed }: { range: ClipRange; signed: boolean }) {
  const fmt = (x: number) =>
    Math.abs(x) >= 1000 || (Math.abs(x) < 0.01 && x !== 0) ? x.toExponential(1) : x.toFixed(2);
  return (
    <p className="text-xs text-fg-muted tabular-nums" data-testid="explain.legend">
      {signed ? (
        <>
          <span className="text-against">blue = against</span> ({fmt(range.lo)}) · white = 0 ·{' '}
          <span className="text-danger">red = for the class</span> ({fmt(range.hi)})
        </>
      ) : (
        <>
          dark = {fmt(range.lo)} · bright = {fmt(range.hi)} (how much, not which way)
        </>
      )}
    </p>
  );
}
