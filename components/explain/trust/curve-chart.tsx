'use client';

export interface CurveSeries {
  label: string;
  /** y at evenly spaced x from 0 to 1. */
  ys: ArrayLike<number>;
  tone: 'map' | 'floor';
}

const SIZE = { w: 220, h: 140, left: 28, right: 6, top: 6, bottom: 22 };
const TONES = { map: 'rgb(14,165,233)', floor: 'rgb(148,163,184)' } as const;

/**
 * Curves over evenly spaced x in [0, 1] (y in `yRange`, default [0, 1]: probabilities); SVG, numbers from
 * lib/trust.
 */
export function CurveChart({
  title,
  xLabel,
  series,
  yRange = [0, 1],
  testId,
}: {
  title: string;
  xLabel: string;
  series: readonly CurveSeries[];
  yRange?: readonly [number, number];
  testId?: string;
}) {
  const [lo, hi] = yRange;
  const iw = SIZE.w - SIZE.left - SIZE.right;
  const ih = SIZE.h - SIZE.top - SIZE.bottom;
  const toPath = (ys: ArrayLike<number>) =>
    Array.from(ys, (y, i) => {
      const px = SIZE.left + (ys.length > 1 ? i / (ys.length - 1) : 0) * iw;
      const py = SIZE.top + (1 - Math.min(1, Math.max(0, (y - lo) / Math.max(hi - lo, 1e-12)))) * ih;
      return `${i ? 'L' : 'M'}${px.toFixed(1)} ${py.toFixed(1)}`;
    }).join('');
  return (
    <figure className="flex min-w-0 flex-col gap-1" data-testid={testId}>
      <figcaption className="text-xs font-semibold text-fg-muted">{title}</figcaption>
      <svg
        viewBox={`0 0 ${SIZE.w} ${SIZE.h}`}
        className="w-full max-w-[300px] text-fg-subtle"
        role="img"
        aria-label={title}
      >
        <rect x={SIZE.left} y={SIZE.top} width={iw} height={ih} fill="none" stroke="currentColor" strokeOpacity={0.4} />
        {[hi, lo].map((v, i) => (
          <text key={i} x={SIZE.left - 4} y={SIZE.top + i * ih + 4} textAnchor="end" fontSize={9} fill="currentColor">
            {Number(v.toPrecision(3))}
          </text>
        ))}
        <text x={SIZE.left + iw / 2} y={SIZE.h - 6} textAnchor="middle" fontSize={9} fill="currentColor">
          {xLabel}
        </text>
        {series.map((s) => (
          <path
            key={s.label}
            d={toPath(s.ys)}
            fill="none"
            stroke={TONES[s.tone]}
            strokeWidth={s.tone === 'map' ? 1.8 : 1.2}
            strokeDasharray={s.tone === 'floor' ? '4 3' : undefined}
          />
        ))}
      </svg>
      <ul className="flex flex-wrap gap-3 text-xs text-fg-muted">
        {series.map((s) => (
          <li key={s.label} className="flex items-center gap-1">
            <span aria-hidden className="inline-block h-0.5 w-4" style={{ background: TONES[s.tone] }} />
            {s.label}
          </li>
        ))}
      </ul>
    </figure>
  );
}
