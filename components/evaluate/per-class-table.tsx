'use client';

import type { RuleResult } from '@/lib/metrics/analysis';
import { Panel } from '@/components/ui/panel';
import { RULE_LABELS, type RuleId } from '@/lib/evaluate/export';
import { pct } from './download';

/** Precision, recall, F1 and support per class, with the overall accuracy, balanced accuracy and macro-F1. */
export function PerClassTable({ result, names, rule }: { result: RuleResult; names: readonly string[]; rule: RuleId }) {
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
          <div key={id} className="rounded bg-slate-100 p-2 dark:bg-slate-800">
            <dt className="text-xs text-slate-500">{label}</dt>
            <dd className="text-lg font-semibold tabular-nums" data-testid={`evaluate.summary.${id}`} data-value={v ?? ''}>
              {pct(v)}
            </dd>
          </div>
        ))}
      </dl>
      <div className="overflow-x-auto">
        <table className="w-full text-sm tabular-nums" data-testid="evaluate.per-class.table">
          <thead>
            <tr className="text-left text-xs text-slate-500">
              <th scope="col" className="p-1 font-medium">
                Class
              </th>
              <th scope="col" className="p-1 text-right font-medium">
                Precision
              </th>
              <th scope="col" className="p-1 text-right font-medium">
                Recall
              </th>
              <th scope="col" className="p-1 text-right font-medium">
                F1
              </th>
              <th scope="col" className="p-1 text-right font-medium">
                Support
              </th>
            </tr>
          </thead>
          <tbody>
            {result.perClass.map((m) => (
              <tr key={m.index} className="border-t border-slate-100 dark:border-slate-800" data-testid={`evaluate.class.${m.index}`}>
                <td className="p-1">{names[m.index]}</td>
                <td className="p-1 text-right" data-testid={`evaluate.class.${m.index}.precision`} data-value={m.precision ?? ''}>
                  {pct(m.precision)}
                </td>
                <td className="p-1 text-right" data-testid={`evaluate.class.${m.index}.recall`} data-value={m.recall ?? ''}>
                  {pct(m.recall)}
                </td>
                <td className="p-1 text-right" data-testid={`evaluate.class.${m.index}.f1`} data-value={m.f1 ?? ''}>
                  {pct(m.f1)}
                </td>
                <td className="p-1 text-right" data-testid={`evaluate.class.${m.index}.support`}>
                  <span className="inline-flex items-center justify-end gap-1.5">
                    <span aria-hidden className="inline-block h-1.5 rounded bg-slate-400" style={{ width: `${(m.support / maxSupport) * 40}px` }} />
                    {m.support}
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="mt-2 text-xs text-slate-500">
        Precision = TP/(TP+FP), recall = TP/(TP+FN), F1 = 2·TP/(2·TP+FP+FN); balanced accuracy = mean recall; “—” = undefined (nothing to divide by).
      </p>
    </Panel>
  );
}
