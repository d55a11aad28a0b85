'use client';

import { Panel } from '@/components/ui/panel';
import { ScrollBox } from '@/components/ui/scroll-box';
import { NumCell, TableHead } from '@/components/ui/table';
import { RULE_LABELS, ruleOf, type RuleId } from '@/lib/evaluate';
import { RuleFigures, TWO_COSTS } from './rule-figures';
import { ConfusionGrid } from '@/components/metrics/confusion-grid';
import { ToggleGroup } from '@/components/ui/toggle-group';
import type { EvaluatePanelProps } from './panel-contract';
import { pct } from '@/lib/format';

/** argmax vs minimum expected cost, side by side: confusion matrices, summary, costs and per-class recall. */
export function DecisionRulePanel({ analysis, view, onView }: EvaluatePanelProps) {
  if (!analysis) return null;
  const a = analysis.argmax;
  const c = analysis.costOptimal;
  const RULES: RuleId[] = analysis.threshold ? ['argmax', 'costOptimal', 'threshold'] : ['argmax', 'costOptimal'];
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
      <p className="mb-2 text-xs text-fg-subtle" data-testid="evaluate.rule.two-costs">
        {TWO_COSTS}
      </p>
      <div
        className={
          RULES.length === 3 ? 'grid grid-cols-1 gap-4 lg:grid-cols-3' : 'grid grid-cols-1 gap-4 lg:grid-cols-2'
        }
      >
        {RULES.map((r) => {
          const res = ruleOf(analysis, r);
          return (
            <div key={r} data-testid={`evaluate.rule.${r}`}>
              <h3 className="mb-1 text-sm font-semibold">{RULE_LABELS[r]}</h3>
              <RuleFigures analysis={analysis} rule={res} id={r} />
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
      <ScrollBox label="Recall per class under each rule">
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
                  {r === 'argmax' ? 'argmax' : r === 'costOptimal' ? 'min. expected cost' : 'threshold'}
                </th>
                {ruleOf(analysis, r).perClass.map((m) => (
                  <NumCell key={m.index} testId={`evaluate.rule.${r}.recall.${m.index}`} value={m.recall}>
                    {pct(m.recall)}
                  </NumCell>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollBox>
    </Panel>
  );
}
