import type { MemoryReport } from '@/lib/runtime';
import { tasksDuring, type TaskSpan } from '@/lib/bench';

/** Wall time, main-thread long tasks and worker memory around one bench step. */
export interface StepTiming {
  wallMs: number;
  longTasks: number;
  longestTaskMs: number;
  memBefore: MemoryReport;
  memAfter: MemoryReport;
}

/** Whether this browser reports long tasks (> 50 ms) to a PerformanceObserver. */
export function longTasksSupported(): boolean {
  return typeof PerformanceObserver !== 'undefined' && PerformanceObserver.supportedEntryTypes.includes('longtask');
}

/** One macrotask: lets the observer deliver a long task that just ended (and lets a paint run apart). */
export const nextTask = () => new Promise((r) => setTimeout(r, 0));

/**
 * Every main-thread long task of the page's life (a PerformanceObserver, buffered from page start), so each
 * bench step can count the ones that happened while it ran.
 */
export class LongTasks {
  private readonly spans: TaskSpan[] = [];

  constructor(log: (line: string) => void) {
    try {
      const obs = new PerformanceObserver((list) => {
        for (const e of list.getEntries()) this.spans.push({ startTime: e.startTime, duration: e.duration });
      });
      obs.observe({ type: 'longtask', buffered: true });
    } catch {
      log('PerformanceObserver "longtask" is not supported in this browser: long tasks read as 0.');
    }
  }

  /** How many long tasks overlap [t0, t1] (`performance.now()` clock) and the longest one's duration. */
  during(t0: number, t1: number): { longTasks: number; longestTaskMs: number } {
    const spans = tasksDuring(this.spans, t0, t1);
    return { longTasks: spans.length, longestTaskMs: spans.reduce((m, t) => Math.max(m, t.duration), 0) };
  }

  /** Runs `fn` and reports its wall time, the long tasks during it and the worker's memory before and after. */
  async timed<T>(memory: () => Promise<MemoryReport>, fn: () => Promise<T>): Promise<{ value: T } & StepTiming> {
    const memBefore = await memory();
    const t0 = performance.now();
    const value = await fn();
    const t1 = performance.now();
    await nextTask();
    const memAfter = await memory();
    return { value, wallMs: t1 - t0, ...this.during(t0, t1), memBefore, memAfter };
  }
}
