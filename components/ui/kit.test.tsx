// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { useState } from 'react';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { cn } from './cn';
import { rovingTarget } from './roving';
import { Button } from './button';
import { Field } from './field';
import { Input } from './input';
import { ToggleGroup } from './toggle-group';
import { Tabs } from './tabs';
import { Alert } from './alert';

afterEach(cleanup);

describe('cn', () => {
  it('lets a later Tailwind class override an earlier one of its kind', () => {
    expect(cn('px-3 py-1.5 text-sm', 'px-2')).toBe('py-1.5 text-sm px-2');
    expect(cn('bg-surface text-fg', 'bg-primary')).toBe('text-fg bg-primary');
  });
  it('keeps a font size and a token colour together (both are text-*)', () => {
    expect(cn('text-sm text-fg', 'text-fg-muted')).toBe('text-sm text-fg-muted');
  });
  it('skips falsy parts and flattens conditionals', () => {
    expect(cn('a', false, null, undefined, { b: true, c: false }, ['d'])).toBe('a b d');
  });
});

describe('rovingTarget', () => {
  const none = [false, false, false, false];
  it('moves forward and back with wrap-around', () => {
    expect(rovingTarget('ArrowRight', 0, none)).toBe(1);
    expect(rovingTarget('ArrowDown', 3, none)).toBe(0);
    expect(rovingTarget('ArrowLeft', 0, none)).toBe(3);
    expect(rovingTarget('ArrowUp', 2, none)).toBe(1);
  });
  it('skips disabled items, Home and End go to the first / last enabled one', () => {
    const d = [true, false, true, false];
    expect(rovingTarget('ArrowRight', 1, d)).toBe(3);
    expect(rovingTarget('ArrowRight', 3, d)).toBe(1);
    expect(rovingTarget('Home', 3, d)).toBe(1);
    expect(rovingTarget('End', 1, d)).toBe(3);
  });
  it('ignores other keys and groups with nothing enabled', () => {
    expect(rovingTarget('a', 0, none)).toBeNull();
    expect(rovingTarget('ArrowRight', 0, [true, true])).toBeNull();
  });
});

describe('Button', () => {
  it('is type="button" and merges overrides over its variant classes', () => {
    render(
      <Button variant="primary" size="sm" className="px-4">
        Go
      </Button>,
    );
    const b = screen.getByRole('button', { name: 'Go' });
    expect(b.getAttribute('type')).toBe('button');
    expect(b.className).toContain('bg-primary');
    expect(b.className).toContain('px-4');
    expect(b.className).not.toContain('px-2');
  });
});

describe('Field', () => {
  it('wires label, help and error to the control', () => {
    render(
      <Field label="Steps" help="How many" error="Too many">
        {(p) => <Input {...p} defaultValue="9" />}
      </Field>,
    );
    const input = screen.getByLabelText('Steps');
    const described = (input.getAttribute('aria-describedby') ?? '').split(' ');
    expect(described).toHaveLength(2);
    expect(described.map((id) => document.getElementById(id)?.textContent)).toEqual(['How many', 'Too many']);
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByRole('alert').textContent).toBe('Too many');
  });
  it('has no description and is not invalid without help or error', () => {
    render(<Field label="Name">{(p) => <Input {...p} />}</Field>);
    const input = screen.getByLabelText('Name');
    expect(input.hasAttribute('aria-describedby')).toBe(false);
    expect(input.hasAttribute('aria-invalid')).toBe(false);
  });
});

function Group({ disabled }: { disabled?: 'b' }) {
  const [v, setV] = useState<'a' | 'b' | 'c'>('a');
  return (
    <ToggleGroup
      label="Letters"
      value={v}
      onChange={setV}
      items={(['a', 'b', 'c'] as const).map((x) => ({
        value: x,
        label: x.toUpperCase(),
        testId: `t.${x}`,
        disabled: x === disabled,
      }))}
    />
  );
}

describe('ToggleGroup', () => {
  it('has radio-group semantics with one tab stop', () => {
    render(<Group />);
    expect(screen.getByRole('radiogroup', { name: 'Letters' })).toBeTruthy();
    const radios = screen.getAllByRole('radio');
    expect(radios.map((r) => r.getAttribute('aria-checked'))).toEqual(['true', 'false', 'false']);
    expect(radios.map((r) => r.tabIndex)).toEqual([0, -1, -1]);
  });
  it('arrow keys move the choice and the focus, skipping disabled items', () => {
    render(<Group disabled="b" />);
    fireEvent.keyDown(screen.getByTestId('t.a'), { key: 'ArrowRight' });
    expect(screen.getByTestId('t.c').getAttribute('aria-checked')).toBe('true');
    expect(document.activeElement).toBe(screen.getByTestId('t.c'));
    fireEvent.keyDown(screen.getByTestId('t.c'), { key: 'ArrowRight' });
    expect(screen.getByTestId('t.a').getAttribute('aria-checked')).toBe('true');
  });
  it('a click chooses', () => {
    render(<Group />);
    fireEvent.click(screen.getByTestId('t.b'));
    expect(screen.getByTestId('t.b').getAttribute('aria-checked')).toBe('true');
    expect(screen.getByTestId('t.a').getAttribute('aria-checked')).toBe('false');
  });
});

describe('Tabs', () => {
  it('links tabs to panels and switches with the arrow keys', () => {
    function T() {
      const [v, setV] = useState<'x' | 'y'>('x');
      return (
        <Tabs
          label="Views"
          idPrefix="v"
          value={v}
          onChange={setV}
          items={[
            { value: 'x', label: 'X' },
            { value: 'y', label: 'Y' },
          ]}
        />
      );
    }
    render(<T />);
    const [x, y] = screen.getAllByRole('tab');
    expect(x?.getAttribute('aria-controls')).toBe('v-panel-x');
    expect(x?.id).toBe('v-tab-x');
    fireEvent.keyDown(x!, { key: 'End' });
    expect(y?.getAttribute('aria-selected')).toBe('true');
    expect(y?.tabIndex).toBe(0);
  });
});

describe('Alert', () => {
  it('announces errors at once and other tones politely', () => {
    render(
      <>
        <Alert tone="error">bad</Alert>
        <Alert tone="warn">careful</Alert>
      </>,
    );
    expect(screen.getByRole('alert').textContent).toBe('bad');
    expect(screen.getByRole('status').textContent).toBe('careful');
  });
});
