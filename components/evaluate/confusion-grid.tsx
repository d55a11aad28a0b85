'use client';

import { colNormalized, rowNormalized, type ConfusionMatrix } from '@/lib/metrics/confusion';
import { cn } from '@/components/ui/cn';

export type MatrixMode = 'counts' | 'recall' | 'precision';

/**
 * A K×K confusion matrix as a table (rows = true class, columns = decision). Shading follows the shown
 * value (counts relative to the largest cell; rates as they are). Cells are buttons when `onCell` is given.
 */
export function ConfusionGrid({
  cm,
  names,
  mode = 'counts',
  onCell,
  selected,
  testId,
  compact = false,
}: {
  cm: ConfusionMatrix;
  names: readonly string[];
  mode?: MatrixMode;
  onCell?: (t: number, p: number) => void;
  selected?: { t: number; p: number } | null;
  testId: string;
  compact?: boolean;
}) {
  const k = cm.k;
  const rates = mode === 'recall' ? rowNormalized(cm) : mode === 'precision' ? colNormalized(cm) : null;
  let max = 1;
  for (let i = 0; i < cm.counts.length; i++) max = Math.max(max, cm.counts[i] as number);
  const short = (s: string) => (compact && s.length > 8 ? `${s.slice(0, 7)}…` : s);
  return (
    <div className="overflow-x-auto">
      <table className="border-collapse text-xs tabular-nums" data-testid={testId} data-total={cm.n}>
        <caption className="sr-only">
          Confusion matrix, rows are the true class and columns the decision{mode === 'counts' ? ' (counts)' : mode === 'recall' ? ' (each row divided by its total: recall)' : ' (each column divided by its total: precision)'}
        </caption>
        <thead>
          <tr>
            <th scope="col" className="p-1 text-left font-normal text-slate-500">
              true ↓ / decision →
            </th>
            {names.map((n, p) => (
              <th key={p} scope="col" title={n} className="max-w-20 p-1 text-center align-bottom font-medium break-words text-slate-600 dark:text-slate-300">
                {short(n)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {names.map((n, t) => (
            <tr key={t}>
              <th scope="row" title={n} className="p-1 pr-2 text-right font-medium whitespace-nowrap text-slate-600 dark:text-slate-300">
                {short(n)}
              </th>
              {Array.from({ length: k }, (_, p) => {
                const count = cm.counts[t * k + p] as number;
                const rate = rates ? (rates[t]?.[p] ?? null) : null;
                const shade = rates ? (rate ?? 0) : count / max;
                const text = rates ? (rate === null ? '—' : (rate * 100).toFixed(compact ? 0 : 1)) : String(count);
                const diag = t === p;
                const isSel = selected?.t === t && selected?.p === p;
                const style = {
                  backgroundColor: diag ? `rgba(14,165,233,${0.08 + 0.72 * shade})` : `rgba(244,63,94,${count === 0 ? 0 : 0.1 + 0.7 * shade})`,
                };
                const label = `true ${n}, decision ${names[p]}: ${count} image${count === 1 ? '' : 's'}${rate !== null ? `, ${(rate * 100).toFixed(1)} %` : ''}`;
                return (
                  <td key={p} className="p-0">
                    {onCell ? (
                      <button
                        type="button"
                        data-testid={`${testId}.cell.${t}.${p}`}
                        data-count={count}
                        aria-label={label}
                        aria-pressed={isSel}
                        onClick={() => onCell(t, p)}
                        className={cn(
                          'block h-9 w-full min-w-11 px-1 text-center text-slate-900 focus-visible:outline-2 focus-visible:outline-sky-600 dark:text-slate-50',
                          isSel && 'ring-2 ring-amber-500 ring-inset',
                        )}
                        style={style}
                      >
                        {text}
                      </button>
                    ) : (
                      <div
                        data-testid={`${testId}.cell.${t}.${p}`}
                        data-count={count}
                        title={label}
                        className={cn('min-w-8 px-1 text-center text-slate-900 dark:text-slate-50', compact ? 'h-6 leading-6' : 'h-9 leading-9')}
                        style={style}
                      >
                        {text}
                      </div>
                    )}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
