'use client';

import { cn } from '@/components/ui/cn';

/**
 * A K×K count matrix as a table (rows = true class, columns = decision). Sequential shading by count, or
 * for a difference matrix (`diverging`) green where B is better (more on the diagonal, fewer off it) and red
 * where it is worse.
 */
export function ConfusionGrid({
  title,
  counts,
  k,
  names,
  testId,
  diverging = false,
}: {
  title: string;
  counts: ArrayLike<number>;
  k: number;
  names: readonly string[];
  testId: string;
  diverging?: boolean;
}) {
  let max = 0;
  for (let i = 0; i < counts.length; i++) max = Math.max(max, Math.abs(counts[i] as number));
  return (
    <figure className="flex flex-col gap-1">
      <figcaption className="text-xs font-medium text-slate-600 dark:text-slate-300">{title}</figcaption>
      <table className="border-collapse text-[11px] tabular-nums" data-testid={testId} aria-label={`Confusion matrix ${title}`}>
        <thead>
          <tr>
            <th />
            {Array.from({ length: k }, (_, j) => (
              <th key={j} scope="col" title={names[j]} className="w-8 px-0.5 font-normal text-slate-500">
                {j}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {Array.from({ length: k }, (_, i) => (
            <tr key={i}>
              <th scope="row" title={names[i]} className="max-w-24 truncate pr-1 text-right font-normal text-slate-500">
                {i} {names[i]}
              </th>
              {Array.from({ length: k }, (_, j) => {
                const v = counts[i * k + j] as number;
                const t = max > 0 ? Math.abs(v) / max : 0;
                const good = diverging ? (i === j ? v > 0 : v < 0) : false;
                const style = diverging
                  ? v === 0
                    ? undefined
                    : { backgroundColor: good ? `rgba(16, 185, 129, ${0.15 + 0.6 * t})` : `rgba(239, 68, 68, ${0.15 + 0.6 * t})` }
                  : v === 0
                    ? undefined
                    : { backgroundColor: `rgba(14, 165, 233, ${0.08 + 0.8 * t})` };
                return (
                  <td
                    key={j}
                    style={style}
                    title={`true ${names[i]}, decided ${names[j]}: ${v}`}
                    className={cn('h-7 w-8 border border-slate-100 text-center dark:border-slate-800', i === j && 'font-semibold')}
                  >
                    {diverging && v > 0 ? `+${v}` : v === 0 && diverging ? '' : v}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
