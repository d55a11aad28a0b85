'use client';

import { useState } from 'react';
import { Panel } from '@/components/ui/panel';
import { ScrollBox } from '@/components/ui/scroll-box';
import { NumCell, TableHead } from '@/components/ui/table';
import { ToggleGroup } from '@/components/ui/toggle-group';
import { RULE_LABELS, ruleOf } from '@/lib/evaluate';
import { SMALL_CLASS_SUPPORT, wilsonInterval, type ClassMetrics } from '@/lib/metrics';
import { num as fmt, pct } from '@/lib/format';
import type { EvaluatePanelProps } from './panel-contract';

type SortKey = 'class' | 'support' | 'cost';
const SORTS: { value: SortKey; label: string }[] = [
  { value: 'class', label: 'Class order' },
  { value: 'support', label: 'Fewest images first' },
  { value: 'cost', label: 'Costliest first' },
];

/** A rate, with its 95 % Wilson interval when the class has fewer than 30 images. */
function Rate({ m, k, n, testId }: { m: ClassMetrics; k: number; n: number; testId: string }) {
  const v = n === 0 ? null : k / n;
  const ci = m.support < SMALL_CLASS_SUPPORT ? wilsonInterval(k, n) : null;
  return (
    <NumCell testId={testId} value={v}>
      {pct(v)}
      {ci && (
        <span
          className="block text-[10px] text-fg-subtle"
          title={`95 % Wilson interval: ${k} of ${n}`}
          data-testid={`${testId}.ci`}
          data-lower={ci.lower}
          data-upper={ci.upper}
        >
          {`${(ci.lower * 100).toFixed(0)}–${(ci.upper * 100).toFixed(0)} %`}
        </span>
      )}
    </NumCell>
  );
}

/** Precision, recall, F1, support and cost per class, sortable; small classes carry Wilson intervals. */
export function PerClassTable({ analysis, view }: EvaluatePanelProps) {
  const [sort, setSort] = useState<SortKey>('class');
  if (!analysis) return null;
  const rule = view.rule;
  const result = ruleOf(analysis, rule);
  const names = analysis.classNames;
  const maxSupport = Math.max(1, ...result.perClass.map((m) => m.support));
  const costOf = (m: ClassMetrics) => result.cost.perClass[m.index]?.total ?? 0;
  const rows = [...result.perClass].sort((a, b) =>
    sort === 'support'
      ? a.support - b.support || a.index - b.index
      : sort === 'cost'
        ? costOf(b) - costOf(a) || a.index - b.index
        : a.index - b.index,
  );
  const small = result.perClass.some((m) => m.support > 0 && m.support < SMALL_CLASS_SUPPORT);
  return (
    <Panel title={`Per class (${RULE_LABELS[rule]})`} testId="evaluate.per-class">
      <dl className="mb-3 grid grid-cols-3 gap-2 text-center">
        {(
          [
            ['Accuracy', result.summary.accuracy, 'accuracy'],
            ['Balanced accuracy', result.summary.balancedAccuracy, 'balanced-accuracy'],
            ['Macro-F1', result.summary.macroF1, 'macro-f1'],
          ] as const
        ).map(([label, v, id]) => (
          <div key={id} className="rounded bg-muted p-2">
            <dt className="text-xs text-fg-subtle">{label}</dt>
            <dd
              className="text-lg font-semibold tabular-nums"
              data-testid={`evaluate.summary.${id}`}
              data-value={v ?? ''}
            >
              {pct(v)}
            </dd>
          </div>
        ))}
      </dl>
      <div className="mb-2">
        <ToggleGroup
          label="Sort the classes"
          value={sort}
          onChange={setSort}
          items={SORTS.map((s) => ({ ...s, testId: `evaluate.per-class.sort.${s.value}` }))}
        />
      </div>
      <ScrollBox label="Per-class table">
        <table className="w-full text-sm tabular-nums" data-testid="evaluate.per-class.table">
          <TableHead columns={['Class', 'Precision', 'Recall', 'F1', 'Support', 'Cost']} />
          <tbody>
            {rows.map((m) => (
              <tr key={m.index} className="border-t border-border" data-testid={`evaluate.class.${m.index}`}>
                <td className="p-1">{names[m.index]}</td>
                <Rate m={m} k={m.tp} n={m.tp + m.fp} testId={`evaluate.class.${m.index}.precision`} />
                <Rate m={m} k={m.tp} n={m.support} testId={`evaluate.class.${m.index}.recall`} />
                <NumCell testId={`evaluate.class.${m.index}.f1`} value={m.f1}>
                  {pct(m.f1)}
                </NumCell>
                <NumCell testId={`evaluate.class.${m.index}.support`}>
                  <span className="inline-flex items-center justify-end gap-1.5">
                    <span
                      aria-hidden
                      className="inline-block h-1.5 rounded bg-fg-subtle"
                      style={{ width: `${(m.support / maxSupport) * 40}px` }}
                    />
                    {m.support}
                  </span>
                </NumCell>
                <NumCell testId={`evaluate.class.${m.index}.cost`} value={costOf(m)}>
                  {fmt(costOf(m), 2)}
                </NumCell>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollBox>
      <p className="mt-2 text-xs text-fg-subtle">
        Precision = TP/(TP+FP), recall = TP/(TP+FN), F1 = 2·TP/(2·TP+FP+FN); balanced accuracy = mean recall; cost =
        realised cost of the class’s images; “—” = undefined (nothing to divide by).
        {small &&
          ' Classes with fewer than 30 images show a 95 % Wilson interval under each rate: with so few images a bare percentage says little.'}
      </p>
    </Panel>
  );
}
