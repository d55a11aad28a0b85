'use client';

import { useMemo } from 'react';
import { getMethodMeta, type Attribution } from '@/lib/explain';
import { colourBarFor, colourBarGradient, colormapLabel, unitText, type LookSettings } from '@/lib/render';
import { cn } from '@/components/ui/cn';

/**
 * The colour bar of one map: the colour map in use (the look's, else the default for the map), its value
 * scale as displayed (min, 0, max of the clip range) and the method's unit, with words taken from the
 * map's own colours. `size="sm"` for tiles (unit only, words in the tooltip), `"lg"` for presentation.
 */
export function ColourBar({
  attribution,
  look,
  size = 'md',
  className,
}: {
  attribution: Attribution;
  look: LookSettings;
  size?: 'sm' | 'md' | 'lg';
  className?: string;
}) {
  const spec = useMemo(() => {
    const b = colourBarFor(attribution.values, attribution.signed, look, attributionUnit(attribution));
    return { ...b, gradient: colourBarGradient(b.colormap) };
  }, [attribution, look]);
  const text = size === 'sm' ? 'text-[10px]' : size === 'lg' ? 'text-base' : 'text-xs';
  return (
    <figure
      className={cn('flex w-full max-w-full min-w-0 flex-col gap-0.5', className)}
      data-testid="colour-bar"
      data-colormap={spec.colormap}
      data-lo={spec.range.lo}
      data-hi={spec.range.hi}
      title={`${colormapLabel(spec.colormap)}: ${spec.words}`}
    >
      <div
        className={cn('w-full rounded-sm border border-border', size === 'lg' ? 'h-6' : size === 'sm' ? 'h-2' : 'h-3')}
        style={{ backgroundImage: spec.gradient }}
        role="img"
        aria-label={`Colour scale ${colormapLabel(spec.colormap)} from ${spec.ticks[0]?.text} to ${spec.ticks.at(-1)?.text} ${spec.unit}`}
      />
      <div className={cn('flex justify-between tabular-nums', text, size === 'lg' ? 'text-inherit' : 'text-fg-muted')}>
        {spec.ticks.map((t) => (
          <span key={t.at}>{t.text}</span>
        ))}
      </div>
      <figcaption className={cn('leading-snug', text, size === 'lg' ? 'text-inherit' : 'text-fg-muted')}>
        <span data-testid="colour-bar.unit">{spec.unit}</span>
        {size !== 'sm' && <span data-testid="colour-bar.words"> · {spec.words}</span>}
      </figcaption>
    </figure>
  );
}

/** The unit of an attribution's values in words ("gradient of the logit"). */
export function attributionUnit(a: Pick<Attribution, 'method' | 'scoreKind'>): string {
  return unitText(getMethodMeta(a.method).unit, a.scoreKind);
}
