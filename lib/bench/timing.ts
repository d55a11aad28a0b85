/**
 * Timing helpers of the benchmark that the page needs too: medians and long-task attribution. Pure and
 * tfjs-free (the /bench page imports them on the main thread).
 */

/** Median of a non-empty list (mean of the two middle values for even length). Throws on an empty list. */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) throw new Error('median of an empty list');
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/** A long task as PerformanceObserver reports it (milliseconds on the page's `performance.now()` clock). */
export interface TaskSpan {
  startTime: number;
  duration: number;
}

/** The long tasks that overlap the window [t0, t1] (same clock). */
export function tasksDuring(tasks: readonly TaskSpan[], t0: number, t1: number): TaskSpan[] {
  return tasks.filter((t) => t.startTime < t1 && t.startTime + t.duration > t0);
}
