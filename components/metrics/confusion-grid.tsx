'use client';

import { colNormalized, rowNormalized } from '@/lib/metrics';
import { Button } from '@/components/ui/button';
import { cn } from '@/components/ui/cn';
import { useRovingGrid } from '@/components/ui/roving-grid';
import { ScrollBox } from '@/components/ui/scroll-box';
import { pct } from '@/lib/format';

/** What the cells show: counts, row rates (recall), column rates (precision), or a signed difference. */
export type MatrixMode = 'counts' | 'recall' | 'precision' | 'difference';

const CAPTION: Record<MatrixMode, string> = {
  counts: ' (counts)',
  recall: ' (each row divided by its total: recall)',
  precision: ' (each column divided by its total: precision)',
  difference: ' (difference of counts)',
};

/** Which fill a cell gets: blue on the diagonal, red off it; for a difference green where it got better. */
function cellTone(mode: MatrixMode, diag: boolean, v: number): 'diag' | 'off' | 'better' | 'worse' | null {
  if (mode === 'difference') return v === 0 ? null : (diag ? v > 0 : v < 0) ? 'better' : 'worse';
  return diag ? 'diag' : v === 0 ? null : 'off';
}

/** Background of one cell: the tone's colour token (light/dark in globals.css) at an alpha ≤ 0.8 from the shade. */
function cellStyle(tone: ReturnType<typeof cellTone>, shade: number) {
  if (!tone) return undefined;
  const alpha = tone === 'diag' ? 0.08 + 0.72 * shade : tone === 'off' ? 0.1 + 0.7 * shade : 0.15 + 0.6 * shade;
  return { backgroundColor: `rgb(var(--why-cell-${tone}) / ${alpha.toFixed(3)})` };
}

/**
 * A K×K confusion matrix as a table (rows = true class, columns = decision), for Evaluate and Compare.
 * Shading follows the shown value (counts relative to the largest cell, rates as they are, differences
 * relative to the largest change). Cells are buttons when `onCell` is given. `headers="indices"` numbers
 * the columns (for small matrices side by side); `title` puts the table in a captioned figure.
 */
export function ConfusionGrid({
  counts,
  k,
  names,
  testId,
  mode = 'counts',
  title,
  headers = 'names',
  onCell,
  selected,
  compact = false,
}: {
  /** [K·K] row-major counts (or count differences for mode "difference"). */
  counts: ArrayLike<number>;
  k: number;
  names: readonly string[];
  testId: string;
  mode?: MatrixMode;
  title?: string;
  headers?: 'names' | 'indices';
  onCell?: (t: number, p: number) => void;
  selected?: { t: number; p: number } | null;
  compact?: boolean;
}) {
  const roving = useRovingGrid(k, k, selected ? { row: selected.t, col: selected.p } : null);
  if (counts.length !== k * k)
    throw new Error(`ConfusionGrid: ${counts.length} counts for ${k} classes (expected ${k * k})`);
  let n = 0;
  let max = mode === 'difference' ? 0 : 1;
  for (let i = 0; i < counts.length; i++) {
    const v = counts[i] as number;
    n += v;
    max = Math.max(max, Math.abs(v));
  }
  const cm = { k, n, counts: Int32Array.from(counts) };
  const rates = mode === 'recall' ? rowNormalized(cm) : mode === 'precision' ? colNormalized(cm) : null;
  const small = compact || headers === 'indices';
  const short = (s: string) => (compact && s.length > 8 ? `${s.slice(0, 7)}…` : s);
  const table = (
    <table
      className={cn('border-collapse tabular-nums', headers === 'indices' ? 'text-[11px]' : 'text-xs')}
      data-testid={testId}
      data-total={mode === 'difference' ? undefined : n}
      role={onCell ? 'grid' : undefined}
      aria-label={title ? `Confusion matrix ${title}` : undefined}
    >
      <caption className="sr-only">
        Confusion matrix, rows are the true class and columns the decision{CAPTION[mode]}
      </caption>
      <thead>
        <tr>
          <th scope="col" className="p-1 text-left font-normal text-fg-subtle">
            {headers === 'names' ? 'true ↓ / decision →' : ''}
          </th>
          {names.slice(0, k).map((name, p) => (
            <th
              key={p}
              scope="col"
              title={name}
              className={cn(
                'p-1 text-center align-bottom font-medium break-words text-fg-muted',
                headers === 'names' ? 'max-w-20' : 'w-8 px-0.5 font-normal',
              )}
            >
              {headers === 'names' ? short(name) : p}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {Array.from({ length: k }, (_, t) => (
          <tr key={t}>
            <th
              scope="row"
              title={names[t]}
              className={cn(
                'p-1 pr-2 text-right font-medium whitespace-nowrap text-fg-muted',
                headers === 'indices' && 'max-w-24 truncate font-normal',
              )}
            >
              {headers === 'names' ? short(names[t] ?? String(t)) : `${t} ${names[t] ?? ''}`}
            </th>
            {Array.from({ length: k }, (_, p) => {
              const v = counts[t * k + p] as number;
              const rate = rates ? (rates[t]?.[p] ?? null) : null;
              const shade = rates ? (rate ?? 0) : max > 0 ? Math.abs(v) / max : 0;
              const text =
                mode === 'difference'
                  ? v > 0
                    ? `+${v}`
                    : v === 0
                      ? ''
                      : String(v)
                  : rates
                    ? rate === null
                      ? '—'
                      : (rate * 100).toFixed(compact ? 0 : 1)
                    : String(v);
              const label = `true ${names[t]}, decision ${names[p]}: ${mode === 'difference' ? `${text || '0'}` : `${v} image${v === 1 ? '' : 's'}`}${rate !== null ? `, ${pct(rate)}` : ''}`;
              const tone = cellTone(mode, t === p, v);
              const common = {
                'data-testid': `${testId}.cell.${t}.${p}`,
                'data-count': v,
                'data-tone': tone ?? undefined,
                style: cellStyle(tone, shade),
              };
              const at = { row: t, col: p };
              return (
                <td key={p} className={cn('p-0', headers === 'indices' && 'border border-border')}>
                  {onCell ? (
                    <Button
                      variant="bare"
                      {...common}
                      aria-label={label}
                      aria-pressed={selected?.t === t && selected?.p === p}
                      ref={roving.ref(at)}
                      tabIndex={roving.tabIndex(at)}
                      onFocus={() => roving.onFocus(at)}
                      onKeyDown={(e) => roving.onKeyDown(e, at)}
                      onClick={() => onCell(t, p)}
                      className={cn(
                        'block h-9 w-full min-w-11 rounded-none px-1 text-center text-fg',
                        selected?.t === t && selected?.p === p && 'ring-2 ring-amber-500 ring-inset',
                      )}
                    >
                      {text}
                    </Button>
                  ) : (
                    <div
                      {...common}
                      title={label}
                      className={cn(
                        'min-w-8 px-1 text-center text-fg',
                        small ? 'h-6 leading-6' : 'h-9 leading-9',
                        t === p && headers === 'indices' && 'font-semibold',
                      )}
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
  );
  const body = <ScrollBox label={title ? `Confusion matrix ${title}` : 'Confusion matrix'}>{table}</ScrollBox>;
  if (!title) return body;
  return (
    <figure className="flex max-w-full min-w-0 flex-col gap-1">
      <figcaption className="text-xs font-medium text-fg-muted">{title}</figcaption>
      {body}
    </figure>
  );
}
