'use client';

import { Panel } from '@/components/ui/panel';
import { pct } from '@/lib/format';
import type { EvaluatePanelProps } from './panel-contract';
import { TemperatureFit } from './temperature-fit';

const S = 220;
const PAD = 32;

/** Reliability diagram (accuracy per confidence bin, with the diagonal of perfect calibration) and ECE. */
export function CalibrationPanel({ analysis, set }: EvaluatePanelProps) {
  if (!analysis) return null;
  const cal = analysis.calibration;
  const x = (v: number) => PAD + v * S;
  const y = (v: number) => PAD + (1 - v) * S;
  const ticks = [0, 0.25, 0.5, 0.75, 1];
  const maxCount = Math.max(1, ...cal.bins.map((b) => b.count));
  const HIST = 24;
  return (
    <Panel title="Calibration" testId="evaluate.calibration">
      <p className="mb-2 text-xs text-fg-muted">
        Images binned by confidence (the probability of the argmax class); bars show how often each bin was right. A
        calibrated model’s bars touch the diagonal. ECE = Σ |bin|/N · |accuracy − confidence| (Guo et al. 2017).
      </p>
      <dl className="mb-2 grid grid-cols-2 gap-x-3 text-sm tabular-nums">
        <dt className="text-fg-subtle">ECE</dt>
        <dd data-testid="evaluate.calibration.ece">{pct(cal.ece, 2)}</dd>
        <dt className="text-fg-subtle">MCE</dt>
        <dd data-testid="evaluate.calibration.mce">{pct(cal.mce, 1)}</dd>
        <dt className="text-fg-subtle">Accuracy</dt>
        <dd>{pct(cal.accuracy, 1)}</dd>
        <dt className="text-fg-subtle">Mean confidence</dt>
        <dd>{pct(cal.meanConfidence, 1)}</dd>
      </dl>
      <svg
        viewBox={`0 0 ${S + PAD + 8} ${S + PAD + 28 + HIST}`}
        className="w-full max-w-xs text-fg-subtle"
        role="img"
        aria-label={`Reliability diagram with ${cal.bins.length} bins; expected calibration error ${pct(cal.ece, 2)}`}
        data-testid="evaluate.calibration.diagram"
      >
        <rect x={PAD} y={PAD} width={S} height={S} fill="none" stroke="currentColor" strokeOpacity={0.4} />
        {ticks.map((t) => (
          <g key={t} fontSize={9} fill="currentColor">
            <line x1={x(t)} x2={x(t)} y1={y(0)} y2={y(0) + 3} stroke="currentColor" />
            <text x={x(t)} y={y(0) + 13} textAnchor="middle">
              {t}
            </text>
            <line x1={x(0) - 3} x2={x(0)} y1={y(t)} y2={y(t)} stroke="currentColor" />
            <text x={x(0) - 5} y={y(t) + 3} textAnchor="end">
              {t}
            </text>
          </g>
        ))}
        {cal.bins.map((b, i) =>
          b.accuracy === null ? null : (
            <g key={i} data-testid="evaluate.calibration.bar" data-count={b.count}>
              <title>{`confidence ${b.lower.toFixed(2)}–${b.upper.toFixed(2)}: ${b.count} images, accuracy ${pct(b.accuracy)}, mean confidence ${pct(b.meanConfidence)}`}</title>
              <rect
                x={x(b.lower) + 0.5}
                y={y(b.accuracy)}
                width={Math.max(0, (b.upper - b.lower) * S - 1)}
                height={b.accuracy * S}
                fill="rgb(14,165,233)"
                fillOpacity={0.75}
              />
              {b.meanConfidence !== null && (
                <line
                  x1={x(b.lower) + 0.5}
                  x2={x(b.upper) - 0.5}
                  y1={y(b.meanConfidence)}
                  y2={y(b.meanConfidence)}
                  stroke="rgb(244,63,94)"
                  strokeWidth={1.5}
                />
              )}
            </g>
          ),
        )}
        <line x1={x(0)} y1={y(0)} x2={x(1)} y2={y(1)} stroke="currentColor" strokeDasharray="4 3" />
        <text x={PAD + S / 2} y={S + PAD + 26} textAnchor="middle" fontSize={10} fill="currentColor">
          confidence
        </text>
        <text
          x={10}
          y={PAD + S / 2}
          textAnchor="middle"
          fontSize={10}
          fill="currentColor"
          transform={`rotate(-90 10 ${PAD + S / 2})`}
        >
          accuracy
        </text>
        {cal.bins.map((b, i) =>
          b.count === 0 ? null : (
            <rect
              key={`h${i}`}
              x={x(b.lower) + 0.5}
              y={S + PAD + 28 + HIST - (b.count / maxCount) * (HIST - 4)}
              width={Math.max(0, (b.upper - b.lower) * S - 1)}
              height={(b.count / maxCount) * (HIST - 4)}
              fill="currentColor"
              fillOpacity={0.5}
              data-testid="evaluate.calibration.count"
              data-count={b.count}
            >
              <title>{`${b.count} images with confidence ${b.lower.toFixed(2)}–${b.upper.toFixed(2)}`}</title>
            </rect>
          ),
        )}
      </svg>
      <p className="mt-1 text-xs text-fg-subtle">
        Blue bar: accuracy in the bin · red tick: mean confidence · dashed: perfect calibration · grey bars under the
        axis: how many images each bin holds (a bin of 2 images says little).
      </p>
      {set.probs && <TemperatureFit probs={set.probs} labels={set.labels} k={set.k} modelId={set.modelId} />}
    </Panel>
  );
}
