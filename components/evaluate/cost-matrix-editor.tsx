'use client';

import { setCell } from '@/lib/evaluate';
import { NumberCell } from './number-cell';
import { CellError, useCellErrors } from './cell-errors';

/** A dense K×K cost matrix (rows = true class, columns = decision) with its class labels, and its setter. */
export interface CostMatrixProps {
  labels: readonly string[];
  matrix: number[][];
  onMatrix: (m: number[][]) => void;
}

/** The K×K cost matrix as editable cells (rows = true class, columns = decision). */
export function CostMatrixEditor({ labels, matrix, onMatrix, merged }: CostMatrixProps & { merged: boolean }) {
  const cellErrors = useCellErrors();
  return (
    <div className="overflow-x-auto">
      <CellError message={cellErrors.first} testId="evaluate.cost.cell-error" />
      <table className="border-collapse text-xs" data-testid="evaluate.cost.matrix">
        <caption className="sr-only">Cost matrix, rows = true class, columns = decision</caption>
        <thead>
          <tr>
            <th scope="col" className="p-1 text-left font-normal text-fg-subtle">
              true ↓ / decision →
            </th>
            {labels.map((l, j) => (
              <th key={j} scope="col" title={l} className="max-w-14 truncate p-1 font-medium">
                {l.length > 7 ? `${l.slice(0, 6)}…` : l}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {labels.map((l, i) => (
            <tr key={i}>
              <th scope="row" className="p-1 pr-2 text-right font-medium whitespace-nowrap">
                {l}
              </th>
              {labels.map((lj, j) => (
                <td key={j} className="p-0.5">
                  <NumberCell
                    value={matrix[i]?.[j] ?? 0}
                    label={`Cost of deciding ${lj} when the truth is ${l}`}
                    testId={`evaluate.cost.cell.${i}.${j}`}
                    className={i === j ? 'bg-accent-soft' : undefined}
                    onCommit={(v) => onMatrix(setCell(matrix, i, j, v))}
                    onInvalid={cellErrors.report(`${i}.${j}`)}
                  />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {merged && (
        <p className="mt-1 max-w-md text-xs text-fg-subtle">
          With merged classes the panels use a merged matrix: rows are averaged over the group (weighted by the class
          priors), columns averaged, confusions inside a group cost nothing.
        </p>
      )}
    </div>
  );
}
