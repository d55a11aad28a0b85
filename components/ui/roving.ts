import { useRef, type KeyboardEvent } from 'react';

/**
 * Keyboard movement inside a radio group or tab list (WAI-ARIA APG): arrows move to the next / previous
 * enabled item and wrap, Home / End go to the first / last enabled one. Returns the index to move to, or
 * null when the key is not a movement key (or nothing is enabled).
 */
export function rovingTarget(key: string, current: number, disabled: readonly boolean[]): number | null {
  const n = disabled.length;
  const enabled = (i: number) => disabled[i] === false;
  if (!disabled.some((d) => !d)) return null;
  const step = (from: number, dir: 1 | -1) => {
    let i = from;
    for (let s = 0; s < n; s++) {
      i = (i + dir + n) % n;
      if (enabled(i)) return i;
    }
    return null;
  };
  switch (key) {
    case 'ArrowRight':
    case 'ArrowDown':
      return step(current, 1);
    case 'ArrowLeft':
    case 'ArrowUp':
      return step(current, -1);
    case 'Home':
      return step(n - 1, 1);
    case 'End':
      return step(0, -1);
    default:
      return null;
  }
}

/**
 * Roving focus for a row of buttons: `ref(i)` registers button i; `onKeyDown(e, i)` moves the choice (and the
 * focus) as `rovingTarget` says, skipping disabled items, and reports the new value.
 */
export function useRoving<T>(items: readonly { value: T; disabled?: boolean }[], onChange: (v: T) => void) {
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  return {
    ref: (i: number) => (el: HTMLButtonElement | null) => {
      refs.current[i] = el;
    },
    onKeyDown: (e: KeyboardEvent, i: number) => {
      const next = rovingTarget(
        e.key,
        i,
        items.map((it) => it.disabled === true),
      );
      const item = next === null ? undefined : items[next];
      if (next === null || !item) return;
      e.preventDefault();
      refs.current[next]?.focus();
      onChange(item.value);
    },
  };
}
