// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { gridTarget } from './roving-grid';
import { Toolbar } from './toolbar';
import { ScrollBox } from './scroll-box';

afterEach(cleanup);

describe('gridTarget', () => {
  const at = { row: 1, col: 1 };
  it('moves one cell with the arrows and stops at the edges', () => {
    expect(gridTarget('ArrowRight', at, 3, 3)).toEqual({ row: 1, col: 2 });
    expect(gridTarget('ArrowLeft', at, 3, 3)).toEqual({ row: 1, col: 0 });
    expect(gridTarget('ArrowUp', at, 3, 3)).toEqual({ row: 0, col: 1 });
    expect(gridTarget('ArrowDown', at, 3, 3)).toEqual({ row: 2, col: 1 });
    expect(gridTarget('ArrowRight', { row: 0, col: 2 }, 3, 3)).toEqual({ row: 0, col: 2 });
    expect(gridTarget('ArrowUp', { row: 0, col: 2 }, 3, 3)).toEqual({ row: 0, col: 2 });
  });
  it('Home / End go along the row, with Ctrl to the grid corners; PageUp / PageDown to the first / last row', () => {
    expect(gridTarget('Home', at, 3, 4)).toEqual({ row: 1, col: 0 });
    expect(gridTarget('End', at, 3, 4)).toEqual({ row: 1, col: 3 });
    expect(gridTarget('Home', at, 3, 4, true)).toEqual({ row: 0, col: 0 });
    expect(gridTarget('End', at, 3, 4, true)).toEqual({ row: 2, col: 3 });
    expect(gridTarget('PageUp', at, 3, 4)).toEqual({ row: 0, col: 1 });
    expect(gridTarget('PageDown', at, 3, 4)).toEqual({ row: 2, col: 1 });
  });
  it('ignores other keys and empty grids', () => {
    expect(gridTarget('Enter', at, 3, 3)).toBeNull();
    expect(gridTarget('a', at, 3, 3)).toBeNull();
    expect(gridTarget('ArrowRight', at, 0, 0)).toBeNull();
  });
});

describe('Toolbar', () => {
  const bar = (onB = vi.fn()) =>
    render(
      <Toolbar label="Export">
        <button type="button">A</button>
        <button type="button" disabled>
          X
        </button>
        <button type="button" onClick={onB}>
          B
        </button>
        <button type="button">C</button>
      </Toolbar>,
    );
  const btn = (name: string) => screen.getByRole('button', { name });
  it('is one named tab stop; arrows move the focus past disabled buttons and wrap', () => {
    bar();
    expect(screen.getByRole('toolbar', { name: 'Export' })).toBeTruthy();
    expect([btn('A'), btn('B'), btn('C')].map((b) => b.tabIndex)).toEqual([0, -1, -1]);
    btn('A').focus();
    fireEvent.keyDown(btn('A'), { key: 'ArrowRight' });
    expect(document.activeElement).toBe(btn('B'));
    expect([btn('A'), btn('B'), btn('C')].map((b) => b.tabIndex)).toEqual([-1, 0, -1]);
    fireEvent.keyDown(btn('B'), { key: 'End' });
    expect(document.activeElement).toBe(btn('C'));
    fireEvent.keyDown(btn('C'), { key: 'ArrowRight' });
    expect(document.activeElement).toBe(btn('A'));
    fireEvent.keyDown(btn('A'), { key: 'ArrowLeft' });
    expect(document.activeElement).toBe(btn('C'));
  });
  it('leaves the buttons their clicks, and a clicked button becomes the tab stop', () => {
    const onB = vi.fn();
    bar(onB);
    fireEvent.focus(btn('B'));
    fireEvent.click(btn('B'));
    expect(onB).toHaveBeenCalledTimes(1);
    expect(btn('B').tabIndex).toBe(0);
    expect(btn('A').tabIndex).toBe(-1);
  });
});

describe('ScrollBox', () => {
  const box = () =>
    render(
      <ScrollBox label="Wide table">
        <table />
      </ScrollBox>,
    ).container.firstElementChild as HTMLDivElement;
  it('is a plain box, not a tab stop, while its content fits', () => {
    const el = box();
    expect(el.className).toContain('overflow-x-auto');
    expect(el.hasAttribute('tabindex')).toBe(false);
    expect(screen.queryByRole('region')).toBeNull();
  });
  it('is a named, focusable region while its content is wider than the box', () => {
    const sw = vi.spyOn(HTMLElement.prototype, 'scrollWidth', 'get').mockReturnValue(800);
    const cw = vi.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockReturnValue(390);
    try {
      const el = box();
      expect(el.tabIndex).toBe(0);
      expect(screen.getByRole('region', { name: 'Wide table (scrolls sideways)' })).toBe(el);
    } finally {
      sw.mockRestore();
      cw.mockRestore();
    }
  });
});
