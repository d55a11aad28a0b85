'use client';

import { useMemo, useState } from 'react';
import { costAtThreshold, thinPoints } from '@/lib/metrics';
import { operatingPointReport } from '@/lib/evaluate';
import { Panel } from '@/components/ui/panel';
import { Button } from '@/components/ui/button';
import { Slider } from '@/components/ui/input';
import { num as fmt, pct } from '@/lib/format';
import { MiniChart } from './mini-chart';
import { ClassSelect } from './inline-fields';
import type { EvaluatePanelProps } from './panel-contract';

const STEP = 0.005;

/**
 * One class against the rest (or a binary model's positive class): ROC and PR curves with their areas, the
 * cost curve, and a threshold slider that drives the other panels; the cost-optimal threshold is marked.
 */
export function OperatingPointPanel({ analysis, onChange, view, onView }: EvaluatePanelProps) {
  const op = analysis?.operatingPoint ?? null;
  const k = analysis?.k ?? 0;
  const [chosen, setChosen] = useState<number | null>(null);
  const positive = op?.positive ?? (chosen !== null && chosen < k ? chosen : k === 2 ? 1 : 0);
  const report = useMemo(() => (analysis ? operatingPointReport(analysis, positive) : null), [analysis, positive]);
  if (!analysis || !report) return null;
  const t = op?.threshold ?? 0.5;
  const name = analysis.classNames[positive] ?? '';
  const firstMember = (c: number) => analysis.mapping.members[c]?.[0] ?? c;
  const setPoint = (p: number, threshold: number) => {
    onChange({ operatingPoint: { positive: firstMember(p), threshold: Math.min(1, Math.max(0, threshold)) } });
    if (view.rule !== 'threshold') onView({ rule: 'threshold' });
  };
  const { curves, cost } = report;
  const costNow = costAtThreshold(cost, t);
  const best = cost.best;
  const where = report.atPriors ? 'at your priors' : 'on this set’s mix';
  const current = curves.points.find((p) => p.threshold <= t) ?? curves.points[curves.points.length - 1];
  const yMax = Math.max(...cost.cost) * 1.05 || 1;
  const costPts: [number, number][] = [];
  for (let m = 0; m < cost.cost.length; m++) costPts.push([cost.lower[m] as number, cost.cost[m] as number]);
  if (cost.cost.length > 0) costPts.push([1, cost.cost[cost.cost.length - 1] as number]);
  return (
    <Panel title="Operating point (one class against the rest)" testId="evaluate.op">
      <p className="mb-2 text-xs text-fg-muted">
        Decide <strong>{name}</strong> when its probability is above the threshold, otherwise the most probable other
        class. Moving the threshold trades missed {name} cases against false alarms; the confusion matrix, the per-class
        table and the costs follow it.
      </p>
      <div className="mb-3 flex flex-wrap items-center gap-3 text-sm">
        <label className="flex items-center gap-2">
          <span className="text-fg-muted">Class</span>
          <ClassSelect
            labels={analysis.classNames}
            value={positive}
            onChange={(c) => {
              setChosen(c);
              if (op) setPoint(c, t);
            }}
            label="Class against the rest"
            testId="evaluate.op.class"
          />
        </label>
        <label className="flex min-w-[220px] flex-1 items-center gap-2">
          <span className="text-fg-muted">Threshold</span>
          <Slider
            min={0}
            max={1}
            step={STEP}
            value={t}
            aria-valuenow={t}
            aria-valuetext={`${fmt(t, 3)}: decide ${name} above it`}
            onChange={(e) => setPoint(positive, Number(e.target.value))}
            className="flex-1"
            data-testid="evaluate.op.threshold"
          />
          <span className="w-12 tabular-nums" data-testid="evaluate.op.threshold.value" data-value={t}>
            {fmt(t, 3)}
          </span>
        </label>
        <Button size="sm" onClick={() => setPoint(positive, best.threshold)} data-testid="evaluate.op.use-best">
          Use the cost-optimal threshold ({fmt(best.threshold, 3)})
        </Button>
        {op && (
          <Button
            size="sm"
            variant="ghost"
            onClick={() => onChange({ operatingPoint: null })}
            data-testid="evaluate.op.off"
          >
            No threshold
          </Button>
        )}
      </div>
      <dl className="mb-3 grid grid-cols-2 gap-2 text-xs tabular-nums sm:grid-cols-4">
        {(
          [
            ['ROC AUC', fmt(curves.rocAuc, 3), 'auc', curves.rocAuc],
            [`Average precision (${where})`, fmt(curves.averagePrecision, 3), 'ap', curves.averagePrecision],
            [`Cost / image at ${fmt(t, 3)} (${where})`, fmt(costNow, 4), 'cost', costNow],
            [`Best: ${fmt(best.threshold, 3)} (${where})`, fmt(best.cost, 4), 'best-cost', best.cost],
          ] as const
        ).map(([label, text, id, v]) => (
          <div key={id} className="rounded bg-muted p-2">
            <dt className="text-fg-subtle">{label}</dt>
            <dd className="text-sm font-semibold" data-testid={`evaluate.op.${id}`} data-value={v ?? ''}>
              {text}
            </dd>
          </div>
        ))}
      </dl>
      <p className="mb-3 text-xs" role="status" data-testid="evaluate.op.savings">
        The cost-optimal threshold {fmt(best.threshold, 3)} costs {fmt(best.cost, 4)} per image {where}: it saves{' '}
        <span data-testid="evaluate.op.saved-argmax" data-value={report.argmaxCost - best.cost}>
          {fmt(report.argmaxCost - best.cost, 4)}
        </span>{' '}
        against the argmax and{' '}
        <span data-testid="evaluate.op.saved-half" data-value={report.halfCost - best.cost}>
          {fmt(report.halfCost - best.cost, 4)}
        </span>{' '}
        against the threshold 0.5 (cost units per image; × 1,000 for a thousand cases).
      </p>
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-3">
        <MiniChart
          title={`ROC (AUC ${fmt(curves.rocAuc, 3)})`}
          xLabel="false-alarm rate"
          yLabel="recall"
          points={thinPoints(curves.points).map((p) => [p.fpr, p.tpr] as const)}
          diagonal
          markers={
            current ? [{ x: current.fpr, y: current.tpr, label: `threshold ${fmt(t, 3)}`, tone: 'current' }] : []
          }
          testId="evaluate.op.roc"
        />
        <MiniChart
          title={`Precision–recall (${where})`}
          xLabel="recall"
          yLabel="precision"
          points={thinPoints(curves.points.filter((p) => p.precision !== null)).map(
            (p) => [p.tpr, p.precision ?? 0] as const,
          )}
          markers={
            current && current.precision !== null
              ? [{ x: current.tpr, y: current.precision, label: `threshold ${fmt(t, 3)}`, tone: 'current' }]
              : []
          }
          testId="evaluate.op.pr"
        />
        <MiniChart
          title={`Cost per image (${where})`}
          xLabel="threshold"
          yLabel="cost"
          points={thinPoints(costPts, 400)}
          steps
          yMax={yMax}
          vline={t}
          markers={[
            {
              x: best.threshold,
              y: best.cost,
              label: `cost-optimal ${fmt(best.threshold, 3)}`,
              tone: 'best',
              testId: 'evaluate.op.best-marker',
            },
          ]}
          testId="evaluate.op.cost-curve"
        />
      </div>
      <p className="mt-2 text-xs text-fg-subtle">
        Recall {pct(current?.tpr)} and false-alarm rate {pct(current?.fpr)} for {name} at this threshold. Red: the
        threshold in use · green ring: the cheapest threshold.
      </p>
    </Panel>
  );
}
