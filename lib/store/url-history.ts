/**
 * Whether a change of the view's query string is a new history entry (back returns to the view before
 * it) or rewrites the current one. Deliberate changes (method, image, class, tab, colour map…) push;
 * drags (opacity, clip) and the strip's contents replace, and so does a change that follows a push
 * within `CASCADE_MS` (one user action that updates the view in a few steps is one entry) and a change
 * the page made by itself with no recent user gesture (defaults filled in, a first-visit sample), so
 * back never lands on a half-built view. Pure.
 */

/** Parameters whose changes rewrite the current entry. */
export const REPLACE_PARAMS: readonly string[] = ['alpha', 'clip', 'strip'];
/** Changes this soon after a push belong to the same action. */
export const CASCADE_MS = 600;

export type HistoryStep = 'none' | 'push' | 'replace';

/** Names of the parameters that differ between two query strings (with or without "?"). */
export function changedParams(prev: string, next: string): string[] {
  const a = new URLSearchParams(prev);
  const b = new URLSearchParams(next);
  const names = new Set([...a.keys(), ...b.keys()]);
  return [...names].filter((n) => a.getAll(n).join('\u0000') !== b.getAll(n).join('\u0000'));
}

/**
 * The step for `prev` → `next`, `msSincePush` after the last push (Infinity when none); `byUser`: whether
 * the user acted just before (the browser's transient user activation).
 */
export function historyStep(prev: string, next: string, msSincePush: number, byUser = true): HistoryStep {
  const changed = changedParams(prev, next);
  if (!changed.length) return 'none';
  if (!byUser || changed.every((n) => REPLACE_PARAMS.includes(n)) || msSincePush < CASCADE_MS) return 'replace';
  return 'push';
}

/** Whether the user acted in this page moments ago (true where the browser cannot tell). */
export function userJustActed(nav: { userActivation?: { isActive: boolean } } | undefined): boolean {
  return nav?.userActivation?.isActive ?? true;
}
