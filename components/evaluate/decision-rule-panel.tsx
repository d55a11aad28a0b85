'use client';

import { Panel } from '@/components/ui/panel';
import { NumCell, TableHead } from '@/components/ui/table';
import { RULE_LABELS, type RuleId } from '@/lib/evaluate';
import { ConfusionGrid } from '@/components/metrics/confusion-grid';
import { ToggleGroup } from '@/components/ui/toggle-group';
import type { EvaluatePanelProps } from './panel-contract';
import { num as fmt, pct } from '@/lib/format';

const RULES: RuleId[] = ['argmax', 'costOptimal'];

/** argmax vs minimum expected cost, side by side: confusion matrices, summary, costs and per-class recall. */
export function DecisionRulePanel({ analysis, view, onView }: EvaluatePanelProps) {
  if (!analysis) return null;
  const a = analysis.argmax;
  const c = analysis.costOptimal;
  let changed = 0;
  for (let i = 0; i < a.decisions.length; i++) if (a.decisions[i] !== c.decisions[i]) changed++;
  return (
    <Panel title="Decision rule" testId="evaluate.rule">
      <p className="mb-2 text-xs text-fg-muted">
        argmax decides the most probable class; minimum expected cost decides argminⱼ Σᵢ p(i|x)·C(i, j) (Bayes rule).
        With 0/1 costs they agree. The rules differ on{' '}
        <span className="font-semibold tabular-nums" data-testid="evaluate.rule.changed">
          {changed}
        </span>{' '}
        image{changed === 1 ? '' : 's'}.
      </p>
      <div className="mb-3 flex flex-wrap items-center gap-3 text-sm">
        <span className="text-fg-muted">Show in the other panels:</span>
        <ToggleGroup
          label="Rule shown in the confusion matrix, per-class table, costs and galleries"
          value={view.rule}
          onChange={(rule) => onView({ rule })}
          items={RULES.map((r) => ({ value: r, label: RULE_LABELS[r], testId: `evaluate.rule.use.${r}` }))}
        />
      </div>
      <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
        {RULES.map((r) => {
          const res = analysis[r];
          return (
            <div key={r} data-testid={`evaluate.rule.${r}`}>
              <h3 className="mb-1 text-sm font-semibold">{RULE_LABELS[r]}</h3>
              <dl className="mb-2 grid grid-cols-2 gap-x-3 text-xs tabular-nums sm:grid-cols-3">
                <div>
                  <dt className="text-fg-subtle">Accuracy</dt>
                  <dd data-testid={`evaluate.rule.${r}.accuracy`} data-value={res.summary.accuracy ?? ''}>
                    {pct(res.summary.accuracy)}
                  </dd>
                </div>
                <div>
                  <dt className="text-fg-subtle">Balanced accuracy</dt>
                  <dd>{pct(res.summary.balancedAccuracy)}</dd>
                </div>
                <div>
                  <dt className="text-fg-subtle">Total cost</dt>
                  <dd data-testid={`evaluate.rule.${r}.total-cost`} data-value={res.cost.total}>
                    {fmt(res.cost.total, 2)}
                  </dd>
                </div>
                <div>
                  <dt className="text-fg-subtle">Cost / image</dt>
                  <dd>{fmt(res.cost.mean, 3)}</dd>
                </div>
                <div>
                  <dt className="text-fg-subtle">Expected cost / image</dt>
                  <dd data-testid={`evaluate.rule.${r}.expected-cost`} data-value={res.meanExpectedCost}>
                    {fmt(res.meanExpectedCost, 3)}
                  </dd>
                </div>
              </dl>
              <ConfusionGrid
                counts={res.confusion.counts}
                k={res.confusion.k}
                names={analysis.classNames}
                testId={`evaluate.rule.${r}.matrix`}
                compact
              />
            </div>
          );
        })}
      </div>
      <h3 className="mt-3 mb-1 text-xs font-semibold text-fg-muted">Recall per class under each rule</h3>
      <div className="overflow-x-auto">
        <table className="text-xs tabular-nums" data-testid="evaluate.rule.recall">
          <TableHead
            columns={[
              'Rule',
              ...analysis.classNames.map((n, i) => (
                <span key={i} title={n}>
                  {n.length > 9 ? `${n.slice(0, 8)}…` : n}
                </span>
              )),
            ]}
          />
          <tbody>
            {RULES.map((r) => (
              <tr key={r} className="border-t border-border">
                <th scope="row" className="p-1 text-left font-medium">
                  {r === 'argmax' ? 'argmax' : 'min. expected cost'}
                </th>
                {analysis[r].perClass.map((m) => (
                  <NumCell key={m.index} testId={`evaluate.rule.${r}.recall.${m.index}`} value={m.recall}>
                    {pct(m.recall)}
                  </NumCell>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Panel>
  );
}
