'use client';

import { seriesPath, xAt, yAt, yRange, type AccuracySeries, type ChartBox } from '@/lib/timeline';

const BOX: ChartBox = { width: 320, height: 150, pad: 30 };
const STYLES = [
  { stroke: 'var(--why-primary)', dash: undefined },
  { stroke: 'var(--why-danger)', dash: '4 3' },
  { stroke: 'currentColor', dash: '1 3' },
  { stroke: 'var(--why-warn)', dash: '6 2' },
];

/** Accuracy per checkpoint, one line per series, the selected checkpoint marked. */
export function AccuracyChart({
  series,
  names,
  selected,
}: {
  series: AccuracySeries[];
  /** Checkpoint names along x. */
  names: string[];
  selected: number;
}) {
  const range = yRange(series);
  const n = names.length;
  const x = xAt(selected, n, BOX);
  return (
    <figure className="flex flex-col gap-1" data-testid="timeline.chart" data-series={series.map((s) => s.id).join(',')}>
      <svg viewBox={`0 0 ${BOX.width} ${BOX.height}`} className="h-auto w-full max-w-sm text-fg" role="img" aria-label="Accuracy per checkpoint">
        <line x1={BOX.pad} y1={BOX.height - BOX.pad} x2={BOX.width - BOX.pad / 3} y2={BOX.height - BOX.pad} stroke="currentColor" strokeOpacity={0.4} />
        <line x1={BOX.pad} y1={BOX.pad / 3} x2={BOX.pad} y2={BOX.height - BOX.pad} stroke="currentColor" strokeOpacity={0.4} />
        {range.map((v) => (
          <text key={v} x={BOX.pad - 3} y={yAt(v, range, BOX) + 3} fontSize={9} textAnchor="end" fill="currentColor">
            {Math.round(v * 100)}%
          </text>
        ))}
        {names.map((name, i) => (
          <text key={name} x={xAt(i, n, BOX)} y={BOX.height - BOX.pad + 12} fontSize={9} textAnchor="middle" fill="currentColor">
            {axisLabel(name)}
          </text>
        ))}
        <text x={BOX.width - BOX.pad / 3} y={BOX.height - 4} fontSize={9} textAnchor="end" fill="currentColor">
          epoch
        </text>
        <line x1={x} y1={BOX.pad / 3} x2={x} y2={BOX.height - BOX.pad} stroke="currentColor" strokeOpacity={0.5} strokeDasharray="2 2" />
        {series.map((s, i) => {
          const style = STYLES[i % STYLES.length];
          return (
            <g key={s.id}>
              <path d={seriesPath(s.points, n, range, BOX)} fill="none" stroke={style?.stroke} strokeWidth={2} strokeDasharray={style?.dash} />
              {s.points.map((p) => (
                <circle key={p.index} cx={xAt(p.index, n, BOX)} cy={yAt(p.value, range, BOX)} r={p.index === selected ? 3.5 : 2} fill={style?.stroke} />
              ))}
            </g>
          );
        })}
      </svg>
      <figcaption className="flex flex-wrap gap-x-3 text-xs text-fg-muted">
        {series.map((s, i) => {
          const style = STYLES[i % STYLES.length];
          return (
            <span key={s.id} className="inline-flex items-center gap-1">
              <svg width={18} height={6} aria-hidden="true">
                <line x1={0} y1={3} x2={18} y2={3} stroke={style?.stroke} strokeWidth={2} strokeDasharray={style?.dash} />
              </svg>
              {s.label}
            </span>
          );
        })}
      </figcaption>
    </figure>
  );
}

/** A short tick label: "epoch 4 (before interpolation)" → "4", "final: α = 0.25 toward pretrained" → "final". */
function axisLabel(name: string): string {
  const epoch = /^epoch (\d+)/.exec(name);
  if (epoch) return epoch[1] as string;
  return name.split(/[:(]/)[0]?.trim() || name;
}
