// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { ConfusionGrid } from './confusion-grid';

afterEach(cleanup);
const names = ['cat', 'dog'];
const cell = (id: string, t: number, p: number) => screen.getByTestId(`${id}.cell.${t}.${p}`);

describe('ConfusionGrid', () => {
  it('shows counts with the total on the table', () => {
    render(<ConfusionGrid counts={[3, 1, 0, 4]} k={2} names={names} testId="m" />);
    expect(screen.getByTestId('m').getAttribute('data-total')).toBe('8');
    expect([cell('m', 0, 0), cell('m', 0, 1), cell('m', 1, 0), cell('m', 1, 1)].map((c) => c.textContent)).toEqual([
      '3',
      '1',
      '0',
      '4',
    ]);
    expect(cell('m', 1, 0).getAttribute('data-count')).toBe('0');
  });
  it('shows row rates as recall and column rates as precision, "—" where a row is empty', () => {
    const { rerender } = render(<ConfusionGrid counts={[3, 1, 0, 0]} k={2} names={names} testId="m" mode="recall" />);
    expect([cell('m', 0, 0), cell('m', 0, 1), cell('m', 1, 1)].map((c) => c.textContent)).toEqual([
      '75.0',
      '25.0',
      '—',
    ]);
    rerender(<ConfusionGrid counts={[3, 1, 1, 1]} k={2} names={names} testId="m" mode="precision" />);
    expect([cell('m', 0, 0), cell('m', 1, 0), cell('m', 0, 1)].map((c) => c.textContent)).toEqual([
      '75.0',
      '25.0',
      '50.0',
    ]);
  });
  it('signs differences, blanks zeros and colours better green and worse red', () => {
    render(
      <ConfusionGrid
        counts={[2, -1, 0, -3]}
        k={2}
        names={names}
        testId="d"
        mode="difference"
        title="B − A"
        headers="indices"
      />,
    );
    expect([cell('d', 0, 0), cell('d', 0, 1), cell('d', 1, 0), cell('d', 1, 1)].map((c) => c.textContent)).toEqual([
      '+2',
      '-1',
      '',
      '-3',
    ]);
    expect(['0.0', '0.1', '1.1', '1.0'].map((tp) => cell('d', Number(tp[0]), Number(tp[2])).dataset.tone)).toEqual([
      'better',
      'better',
      'worse',
      undefined,
    ]);
    expect(cell('d', 0, 0).getAttribute('style')).toContain('var(--why-cell-better)');
    expect(cell('d', 1, 1).getAttribute('style')).toContain('var(--why-cell-worse)');
    expect(cell('d', 1, 0).getAttribute('style')).toBeNull();
    expect(screen.getByRole('figure').textContent).toContain('B − A');
    expect(screen.getByTestId('d').getAttribute('aria-label')).toBe('Confusion matrix B − A');
  });
  it('makes cells buttons when they can be picked and marks the chosen one', () => {
    const onCell = vi.fn();
    render(
      <ConfusionGrid counts={[3, 1, 0, 4]} k={2} names={names} testId="m" onCell={onCell} selected={{ t: 0, p: 1 }} />,
    );
    fireEvent.click(cell('m', 1, 1));
    expect(onCell).toHaveBeenCalledWith(1, 1);
    expect(cell('m', 0, 1).getAttribute('aria-pressed')).toBe('true');
    expect(cell('m', 1, 1).getAttribute('aria-pressed')).toBe('false');
  });
  it('is one tab stop (the chosen cell); arrows move the focus inside it, stopping at the edges', () => {
    const onCell = vi.fn();
    render(
      <ConfusionGrid
        counts={[3, 1, 0, 0, 4, 1, 2, 0, 5]}
        k={3}
        names={['a', 'b', 'c']}
        testId="m"
        onCell={onCell}
        selected={{ t: 1, p: 1 }}
      />,
    );
    expect(screen.getByTestId('m').getAttribute('role')).toBe('grid');
    const stops = screen.getAllByRole('button').filter((b) => b.tabIndex === 0);
    expect(stops).toEqual([cell('m', 1, 1)]);
    cell('m', 1, 1).focus();
    fireEvent.keyDown(cell('m', 1, 1), { key: 'ArrowRight' });
    expect(document.activeElement).toBe(cell('m', 1, 2));
    fireEvent.keyDown(cell('m', 1, 2), { key: 'ArrowRight' });
    expect(document.activeElement).toBe(cell('m', 1, 2));
    fireEvent.keyDown(cell('m', 1, 2), { key: 'ArrowDown' });
    expect(document.activeElement).toBe(cell('m', 2, 2));
    fireEvent.keyDown(cell('m', 2, 2), { key: 'Home' });
    expect(document.activeElement).toBe(cell('m', 2, 0));
    fireEvent.keyDown(cell('m', 2, 0), { key: 'ArrowUp' });
    expect(document.activeElement).toBe(cell('m', 1, 0));
    expect(cell('m', 1, 0).tabIndex).toBe(0);
    expect(cell('m', 1, 1).tabIndex).toBe(-1);
    fireEvent.keyDown(cell('m', 1, 0), { key: 'End', ctrlKey: true });
    expect(document.activeElement).toBe(cell('m', 2, 2));
    expect(onCell).not.toHaveBeenCalled();
  });
  it('without a chosen cell the tab stop is the first cell; a read-only matrix has none', () => {
    const { rerender } = render(
      <ConfusionGrid counts={[3, 1, 0, 4]} k={2} names={names} testId="m" onCell={vi.fn()} />,
    );
    expect(screen.getAllByRole('button').filter((b) => b.tabIndex === 0)).toEqual([cell('m', 0, 0)]);
    rerender(<ConfusionGrid counts={[3, 1, 0, 4]} k={2} names={names} testId="m" />);
    expect(screen.queryAllByRole('button')).toEqual([]);
    expect(screen.getByTestId('m').getAttribute('role')).toBeNull();
  });
  it('rejects counts of the wrong length', () => {
    expect(() => render(<ConfusionGrid counts={[1, 2, 3]} k={2} names={names} testId="m" />)).toThrow(
      /3 counts for 2 classes/,
    );
  });
});
