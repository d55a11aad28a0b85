'use client';

import { AttributionImage } from '@/components/ui/attribution-canvas';
import { cn } from '@/components/ui/cn';
import type { ImageInput } from '@/lib/explain';
import { mapStats } from '@/lib/explain-view';
import { DEFAULT_LOOK } from '@/lib/render';
import type { CheckpointMap } from './use-checkpoint-maps';

const LARGE = 200;
const SMALL = 64;

const pct = (p: number) => `${(p * 100).toFixed(1)} %`;

function topText(map: CheckpointMap | undefined, labels: readonly string[]): string {
  if (!map?.top) return '…';
  return `${labels[map.top.index] ?? map.top.index} (${pct(map.top.prob)})`;
}

/** The selected checkpoint's map, large, with its top class; data attributes carry the map's numbers. */
export function SelectedMap({
  input,
  map,
  labels,
  target,
  name,
  label,
}: {
  input: ImageInput | null;
  map: CheckpointMap | undefined;
  labels: readonly string[];
  target: number | null;
  name: string;
  label: string;
}) {
  const stats = map?.attribution ? mapStats(map.attribution.values) : null;
  return (
    <figure className="flex flex-col gap-1">
      <div
        data-testid="timeline.map"
        data-checkpoint={label}
        data-status={map?.status ?? 'waiting'}
        data-map-sum={stats ? stats.sum.toPrecision(6) : ''}
        data-map-max={stats ? stats.max.toPrecision(6) : ''}
        data-top={map?.top ? map.top.index : ''}
      >
        <AttributionImage image={input ?? undefined} attribution={map?.attribution ?? undefined} look={DEFAULT_LOOK} size={LARGE} label={`Map at ${name}`} />
      </div>
      <figcaption className="text-sm tabular-nums" data-testid="timeline.top">
        <span className="font-medium">{name}</span>: top class {topText(map, labels)}
        {target !== null && (
          <span className="block text-xs text-fg-muted">
            map of class {labels[target] ?? target}
            {map?.status === 'running' && ' · computing…'}
            {map?.status === 'error' && ` · failed: ${map.error}`}
          </span>
        )}
      </figcaption>
    </figure>
  );
}

/** Every checkpoint's map, small, with its top class; a click selects it. */
export function CheckpointStrip({
  ids,
  names,
  input,
  maps,
  labels,
  selected,
  onSelect,
}: {
  ids: readonly string[];
  names: readonly string[];
  input: ImageInput | null;
  maps: Record<string, CheckpointMap>;
  labels: readonly string[];
  selected: number;
  onSelect: (i: number) => void;
}) {
  return (
    <ol className="flex flex-wrap gap-2" data-testid="timeline.strip" aria-label="Maps at every checkpoint">
      {ids.map((id, i) => {
        const map = maps[id];
        return (
          <li key={id}>
            <button
              type="button"
              onClick={() => onSelect(i)}
              aria-pressed={i === selected}
              data-testid="timeline.strip-item"
              data-status={map?.status ?? 'waiting'}
              className={cn('flex w-24 flex-col items-center gap-1 rounded border p-1 text-xs', i === selected ? 'border-accent bg-accent-soft' : 'border-border')}
            >
              <AttributionImage image={input ?? undefined} attribution={map?.attribution ?? undefined} look={DEFAULT_LOOK} size={SMALL} label={`Map at ${names[i] ?? ''}`} />
              <span className="font-medium">{names[i]}</span>
              <span className="truncate text-fg-muted" title={topText(map, labels)}>
                {map?.top ? (labels[map.top.index] ?? map.top.index) : '…'}
              </span>
            </button>
          </li>
        );
      })}
    </ol>
  );
}
