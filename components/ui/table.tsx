import type { ComponentProps, ReactNode } from 'react';
import { cva, type VariantProps } from 'class-variance-authority';
import { cn } from './cn';

/**
 * A table cell: `pad` all round (`cell`) or top and bottom only (`row`, with a gap before each number
 * column); numbers align right and never break ("91.0 %" stays on one line — a narrow table scrolls in
 * its box instead).
 */
export const cellVariants = cva('', {
  variants: {
    pad: { cell: 'p-1', row: 'py-1' },
    align: { left: 'text-left', right: 'text-right whitespace-nowrap tabular-nums' },
  },
  compoundVariants: [{ pad: 'row', align: 'right', className: 'pl-3' }],
  defaultVariants: { pad: 'cell', align: 'left' },
});

type Pad = VariantProps<typeof cellVariants>['pad'];

/** A header row: the first column names the rows (left-aligned), every other one holds numbers (right). */
export function TableHead({
  columns,
  pad,
  className,
}: {
  columns: readonly ReactNode[];
  pad?: Pad;
  className?: string;
}) {
  return (
    <thead>
      <tr className={cn('text-left text-xs text-fg-subtle', className)}>
        {columns.map((c, i) => (
          <th
            key={i}
            scope="col"
            className={cn(cellVariants({ pad, align: i === 0 ? 'left' : 'right' }), 'font-medium whitespace-normal')}
          >
            {c}
          </th>
        ))}
      </tr>
    </thead>
  );
}

/**
 * A right-aligned number cell. `value` (when given) goes to `data-value` for tests, '' for a missing one;
 * the children are its text.
 */
export function NumCell({
  value,
  testId,
  pad,
  className,
  ...props
}: Omit<ComponentProps<'td'>, 'value'> & { value?: number | null; testId?: string; pad?: Pad }) {
  return (
    <td
      className={cn(cellVariants({ pad, align: 'right' }), className)}
      data-testid={testId}
      data-value={value === undefined ? undefined : (value ?? '')}
      {...props}
    />
  );
}
