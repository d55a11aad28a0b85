'use client';

import type { Attribution, ImageInput } from '@/lib/explain';
import type { LookSettings } from '@/lib/render';
import { AttributionImage } from '@/components/ui/attribution-canvas';
import { ColourBar } from './colour-bar';

/** The image with its overlay, or original · heatmap · overlay side by side; plus its colour bar. */
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
                  {...(mode === 'overlay' && { testId: 'explain.overlay' })}
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
          testId="explain.overlay"
        />
      )}
      {attribution && (
        <div className="w-full" style={{ maxWidth: sideBySide ? 3 * small + 24 : size }} data-testid="explain.legend">
          <ColourBar attribution={attribution} look={look} />
        </div>
      )}
    </div>
  );
}
