'use client';

import type { CurvePoint } from '@/lib/train';

const W = 280;
const H = 120;
const PAD = 24;

type Key = 'trainLoss' | 'heldOutLoss' | 'trainAccuracy' | 'heldOutAccuracy';

function path(curve: CurvePoint[], key: Key, epochs: number, top: number): string {
  const pts = curve.filter((p) => p[key] !== null && Number.isFinite(p[key] as number));
  return pts
    .map((p, i) => {
      const x = PAD + ((p.epoch - 1) / Math.max(1, epochs - 1)) * (W - PAD - 8);
      const y = H - PAD - ((p[key] as number) / top) * (H - PAD - 8);
      return `${i === 0 ? 'M' : 'L'}${x.toFixed(1)},${y.toFixed(1)}`;
    })
    .join(' ');
}

const pct = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${(v * 100).toFixed(1)} %`);

/** One small line chart (train solid, held-out dashed) of loss or accuracy per epoch. */
function Chart({ curve, epochs, kind }: { curve: CurvePoint[]; epochs: number; kind: 'loss' | 'accuracy' }) {
  const [train, held]: [Key, Key] = kind === 'loss' ? ['trainLoss', 'heldOutLoss'] : ['trainAccuracy', 'heldOutAccuracy'];
  const top =
    kind === 'accuracy' ? 1 : Math.max(1e-6, ...curve.flatMap((p) => [p.trainLoss, p.heldOutLoss ?? 0].filter(Number.isFinite)));
  return (
    <svg viewBox={`0 0 ${W} ${H}`} className="h-auto w-full max-w-xs text-fg" aria-hidden="true">
      <line x1={PAD} y1={H - PAD} x2={W - 8} y2={H - PAD} stroke="currentColor" strokeOpacity={0.4} />
      <line x1={PAD} y1={8} x2={PAD} y2={H - PAD} stroke="currentColor" strokeOpacity={0.4} />
      <text x={PAD - 4} y={14} fontSize={10} textAnchor="end" fill="currentColor">
        {kind === 'accuracy' ? '1' : top.toFixed(2)}
      </text>
      <text x={PAD - 4} y={H - PAD} fontSize={10} textAnchor="end" fill="currentColor">
        0
      </text>
      <text x={W - 8} y={H - 6} fontSize={10} textAnchor="end" fill="currentColor">
        epoch {epochs}
      </text>
      <text x={PAD + 4} y={H - 6} fontSize={10} fill="currentColor">
        {kind}
      </text>
      <path d={path(curve, train, epochs, top)} fill="none" stroke="var(--why-primary)" strokeWidth={2} />
      <path d={path(curve, held, epochs, top)} fill="none" stroke="var(--why-danger)" strokeWidth={2} strokeDasharray="4 3" />
    </svg>
  );
}

/** The live loss / accuracy curves of head training, with the latest numbers as text. */
export function CurveChart({ curve, epochs }: { curve: CurvePoint[]; epochs: number }) {
  const last = curve[curve.length - 1];
  return (
    <figure
      className="flex flex-col gap-2"
      data-testid="fine-tune.curve"
      data-epochs={curve.length}
      data-held-out-accuracy={last?.heldOutAccuracy ?? ''}
    >
      <div className="grid grid-cols-1 gap-2">
        <Chart curve={curve} epochs={epochs} kind="loss" />
        <Chart curve={curve} epochs={epochs} kind="accuracy" />
      </div>
      <figcaption className="text-xs text-fg-muted tabular-nums">
        <span className="font-medium text-primary">— training</span> ·{' '}
        <span className="font-medium text-danger">- - held out</span>
        {last && (
          <>
            {' '}
            · epoch {last.epoch}/{epochs}: loss {last.trainLoss.toFixed(3)}
            {last.heldOutLoss !== null && ` / ${last.heldOutLoss.toFixed(3)}`}, accuracy {pct(last.trainAccuracy)} /{' '}
            {pct(last.heldOutAccuracy)}
          </>
        )}
      </figcaption>
    </figure>
  );
}
