'use client';

const W = 200;
const H = 150;
const PAD = { l: 30, r: 6, t: 6, b: 24 };

export interface ChartMarker {
  x: number;
  y: number;
  label: string;
  tone: 'current' | 'best';
  testId?: string;
}

/**
 * A small line chart over x ∈ [0, 1], y ∈ [0, yMax]: one polyline (or steps), optional dashed diagonal and
 * vertical line, and labelled markers. Pure SVG; the numbers it draws come from lib.
 */
export function MiniChart({
  title,
  xLabel,
  yLabel,
  points,
  yMax = 1,
  steps = false,
  diagonal = false,
  vline,
  markers = [],
  testId,
}: {
  title: string;
  xLabel: string;
  yLabel: string;
  points: readonly (readonly [number, number])[];
  yMax?: number;
  steps?: boolean;
  diagonal?: boolean;
  vline?: number;
  markers?: readonly ChartMarker[];
  testId?: string;
}) {
  const sx = (x: number) => PAD.l + x * (W - PAD.l - PAD.r);
  const sy = (y: number) => H - PAD.b - (yMax > 0 ? Math.min(1, y / yMax) : 0) * (H - PAD.t - PAD.b);
  const path = points
    .map(([x, y], i) => {
      const prev = points[i - 1];
      const step = steps && prev ? `L${sx(x).toFixed(1)},${sy(prev[1]).toFixed(1)} ` : '';
      return `${i === 0 ? 'M' : `${step}L`}${sx(x).toFixed(1)},${sy(y).toFixed(1)}`;
    })
    .join(' ');
  return (
    <figure className="min-w-0" data-testid={testId}>
      <figcaption className="mb-1 text-xs font-semibold text-fg-muted">{title}</figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} className="w-full max-w-[260px] text-fg-subtle" role="img" aria-label={title}>
        <rect
          x={PAD.l}
          y={PAD.t}
          width={W - PAD.l - PAD.r}
          height={H - PAD.t - PAD.b}
          fill="none"
          stroke="currentColor"
          strokeOpacity={0.4}
        />
        {diagonal && (
          <line x1={sx(0)} y1={sy(0)} x2={sx(1)} y2={sy(yMax)} stroke="currentColor" strokeDasharray="3 3" />
        )}
        {vline !== undefined && (
          <line x1={sx(vline)} x2={sx(vline)} y1={PAD.t} y2={H - PAD.b} stroke="rgb(244,63,94)" strokeWidth={1} />
        )}
        <path d={path} fill="none" stroke="rgb(14,165,233)" strokeWidth={1.5} />
        {markers.map((m) => (
          <circle
            key={m.label}
            cx={sx(m.x)}
            cy={sy(m.y)}
            r={m.tone === 'best' ? 4 : 3.5}
            fill={m.tone === 'best' ? 'none' : 'rgb(244,63,94)'}
            stroke={m.tone === 'best' ? 'rgb(16,185,129)' : 'none'}
            strokeWidth={2}
            data-testid={m.testId}
          >
            <title>{m.label}</title>
          </circle>
        ))}
        <g fontSize={8} fill="currentColor">
          <text x={sx(0)} y={H - PAD.b + 10} textAnchor="middle">
            0
          </text>
          <text x={sx(1)} y={H - PAD.b + 10} textAnchor="middle">
            1
          </text>
          <text x={PAD.l - 3} y={sy(0) + 3} textAnchor="end">
            0
          </text>
          <text x={PAD.l - 3} y={sy(yMax) + 3} textAnchor="end">
            {Number(yMax.toPrecision(2))}
          </text>
          <text x={(PAD.l + W - PAD.r) / 2} y={H - 4} textAnchor="middle">
            {xLabel}
          </text>
          <text
            x={8}
            y={(PAD.t + H - PAD.b) / 2}
            textAnchor="middle"
            transform={`rotate(-90 8 ${(PAD.t + H - PAD.b) / 2})`}
          >
            {yLabel}
          </text>
        </g>
      </svg>
    </figure>
  );
}
