import { useRef, useState, type KeyboardEvent } from 'react';

/** A cell of a rows × cols grid. */
export interface GridCell {
  row: number;
  col: number;
}

/**
 * Where a key moves the focus inside a rows × cols grid (WAI-ARIA APG "grid"): arrows move one cell and
 * stop at the edges, Home / End go to the first / last cell of the row, Ctrl+Home / Ctrl+End to the first /
 * last cell of the grid, PageUp / PageDown to the first / last row. Returns null for any other key.
 */
export function gridTarget(key: string, at: GridCell, rows: number, cols: number, ctrl = false): GridCell | null {
  if (rows <= 0 || cols <= 0) return null;
  const clamp = (row: number, col: number) => ({
    row: Math.min(rows - 1, Math.max(0, row)),
    col: Math.min(cols - 1, Math.max(0, col)),
  });
  switch (key) {
    case 'ArrowRight':
      return clamp(at.row, at.col + 1);
    case 'ArrowLeft':
      return clamp(at.row, at.col - 1);
    case 'ArrowDown':
      return clamp(at.row + 1, at.col);
    case 'ArrowUp':
      return clamp(at.row - 1, at.col);
    case 'Home':
      return ctrl ? { row: 0, col: 0 } : clamp(at.row, 0);
    case 'End':
      return ctrl ? clamp(rows - 1, cols - 1) : clamp(at.row, cols - 1);
    case 'PageUp':
      return clamp(0, at.col);
    case 'PageDown':
      return clamp(rows - 1, at.col);
    default:
      return null;
  }
}

/**
 * Roving focus for a grid of buttons: one tab stop (`tabIndex(cell)` is 0 for the active cell, -1 for the
 * rest), arrow keys move it as `gridTarget` says and focus the new cell; Enter / Space stay the buttons' own
 * (they click). `initial` is where the tab stop starts (e.g. the selected cell); a cell that was focused
 * keeps it. Out-of-range positions (the grid shrank) fall back to the first cell.
 */
export function useRovingGrid(rows: number, cols: number, initial?: GridCell | null) {
  const refs = useRef(new Map<string, HTMLElement>());
  const [moved, setMoved] = useState<GridCell | null>(null);
  const inRange = (c: GridCell | null | undefined): c is GridCell =>
    !!c && c.row >= 0 && c.col >= 0 && c.row < rows && c.col < cols;
  const active = inRange(moved) ? moved : inRange(initial) ? initial : { row: 0, col: 0 };
  return {
    active,
    tabIndex: (c: GridCell) => (c.row === active.row && c.col === active.col ? 0 : -1),
    ref: (c: GridCell) => (el: HTMLElement | null) => {
      const key = `${c.row}.${c.col}`;
      if (el) refs.current.set(key, el);
      else refs.current.delete(key);
    },
    onFocus: (c: GridCell) => setMoved(c),
    onKeyDown: (e: KeyboardEvent, c: GridCell) => {
      const next = gridTarget(e.key, c, rows, cols, e.ctrlKey || e.metaKey);
      if (!next) return;
      e.preventDefault();
      setMoved(next);
      refs.current.get(`${next.row}.${next.col}`)?.focus();
    },
  };
}
