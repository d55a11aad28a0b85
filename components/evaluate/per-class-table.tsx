'use client';

import { Panel } from '@/components/ui/panel';
import { NumCell, TableHead } from '@/components/ui/table';
import { RULE_LABELS } from '@/lib/evaluate';
import { pct } from '@/lib/format';
import type { EvaluatePanelProps } from './panel-contract';

/** Precision, recall, F1 and support per class, with the overall accuracy, balanced accuracy and macro-F1. */
export function PerClassTable({ analysis, view }: EvaluatePanelProps) {
  if (!analysis) return null;
  const rule = view.rule;
  const result = analysis[rule];
  const names = analysis.classNames;
  const maxSupport = Math.max(1, ...result.perClass.map((m) => m.support));
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
      <div className="overflow-x-auto">
        <table className="w-full text-sm tabular-nums" data-testid="evaluate.per-class.table">
          <TableHead columns={['Class', 'Precision', 'Recall', 'F1', 'Support']} />
          <tbody>
            {result.perClass.map((m) => (
              <tr key={m.index} className="border-t border-border" data-testid={`evaluate.class.${m.index}`}>
                <td className="p-1">{names[m.index]}</td>
                {(['precision', 'recall', 'f1'] as const).map((key) => (
                  <NumCell key={key} testId={`evaluate.class.${m.index}.${key}`} value={m[key]}>
                    {pct(m[key])}
                  </NumCell>
                ))}
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
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="mt-2 text-xs text-fg-subtle">
        Precision = TP/(TP+FP), recall = TP/(TP+FN), F1 = 2·TP/(2·TP+FP+FN); balanced accuracy = mean recall; “—” =
        undefined (nothing to divide by).
      </p>
    </Panel>
  );
}
