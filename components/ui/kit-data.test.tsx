// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { SelectField, classOptions } from './select';
import { NumCell, TableHead } from './table';
import { AttributionImage } from './attribution-canvas';
import { DEFAULT_LOOK } from '@/lib/render';
import type { ImageInput } from '@/lib/explain';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

describe('SelectField', () => {
  it('labels its select, draws children before options, keeps disabled options unchoosable', () => {
    const onChange = vi.fn();
    render(
      <SelectField
        label="Class"
        help="Which class"
        data-testid="sel"
        value=""
        onChange={(e) => onChange(e.target.value)}
        options={[
          { value: 'a', label: 'Alpha' },
          { value: 'b', label: 'Beta', disabled: true, title: 'not here' },
        ]}
      >
        <option value="">None</option>
      </SelectField>,
    );
    const select = screen.getByLabelText('Class');
    expect(select).toBe(screen.getByTestId('sel'));
    expect(select.getAttribute('aria-describedby')).toBeTruthy();
    const options = Array.from(select.querySelectorAll('option'));
    expect(options.map((o) => [o.value, o.textContent, o.disabled])).toEqual([
      ['', 'None', false],
      ['a', 'Alpha', false],
      ['b', 'Beta', true],
    ]);
    fireEvent.change(select, { target: { value: 'a' } });
    expect(onChange).toHaveBeenCalledWith('a');
  });
});

describe('classOptions', () => {
  it('values each label by its index, and is empty without labels', () => {
    expect(classOptions(['cat', 'dog'])).toEqual([
      { value: 0, label: 'cat' },
      { value: 1, label: 'dog' },
    ]);
    expect(classOptions(undefined)).toEqual([]);
  });
});

describe('TableHead and NumCell', () => {
  it('aligns the first column left and numbers right; data-value is "" for a missing number, absent when not given', () => {
    render(
      <table>
        <TableHead columns={['Class', 'Recall']} />
        <tbody>
          <tr>
            <NumCell testId="none" value={null}>
              —
            </NumCell>
            <NumCell testId="half" value={0.5}>
              50 %
            </NumCell>
            <NumCell testId="text">7</NumCell>
          </tr>
        </tbody>
      </table>,
    );
    const heads = screen.getAllByRole('columnheader');
    expect(heads.map((h) => [h.textContent, h.getAttribute('scope')])).toEqual([
      ['Class', 'col'],
      ['Recall', 'col'],
    ]);
    expect(heads[0]?.className).toContain('text-left');
    expect(heads[1]?.className).toContain('text-right');
    expect(screen.getByTestId('none').getAttribute('data-value')).toBe('');
    expect(screen.getByTestId('half').getAttribute('data-value')).toBe('0.5');
    expect(screen.getByTestId('text').hasAttribute('data-value')).toBe(false);
    expect(screen.getByTestId('text').className).toContain('tabular-nums');
    // Numbers never break between the value and its unit.
    expect(screen.getByTestId('half').className).toContain('whitespace-nowrap');
  });
});

describe('AttributionImage', () => {
  it('is a grey box of its size until the image exists, then a labelled canvas', () => {
    const { container, rerender } = render(
      <AttributionImage image={undefined} attribution={undefined} look={DEFAULT_LOOK} size={64} label="map" />,
    );
    expect(screen.queryByRole('img')).toBeNull();
    const box = container.firstElementChild as HTMLElement;
    expect([box.style.width, box.style.height]).toEqual(['64px', '64px']);
    // jsdom has no 2D context: the canvas is drawn into only where one exists.
    vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null);
    vi.stubGlobal('ImageData', class {});
    const image: ImageInput = { data: new Float32Array(2 * 2 * 3), width: 2, height: 2, channels: 3 };
    rerender(<AttributionImage image={image} attribution={undefined} look={DEFAULT_LOOK} size={64} label="map" />);
    expect(screen.getByRole('img', { name: 'map' }).tagName).toBe('CANVAS');
  });
});
