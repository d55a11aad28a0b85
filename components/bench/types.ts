import type { MethodId } from '@/lib/explain';
import type { BenchConnection } from '@/lib/bench';
import type { LongTasks, StepTiming } from './long-tasks';

/** What a bench step needs of the page: the benchmark worker, its ExplainService, the long-task log, a log line. */
export interface BenchContext {
  api: BenchConnection['api'];
  service: BenchConnection['service'];
  tasks: LongTasks;
  log: (line: string) => void;
}

/** A model loaded in the benchmark worker with one image to explain. */
export interface PreparedModel {
  modelId: string;
  imageId: string;
  /** The class the model predicts for the image (explained as the target). */
  target: number;
  inputShape: [number, number, number];
  paramCount: number;
  spatialLayer: string;
}

/** One explanation as the dashboard runs it, then painted. */
export interface MethodRun extends StepTiming {
  method: MethodId;
  workerMs: number;
  modelCalls: number;
  config: Record<string, unknown>;
  /** Time to paint the map on the page (composeView + putImageData at 384 px), inside wallMs. */
  paintMs: number;
  /** Long tasks while painting the result (not the method's: the renderer's). */
  paintLongTasks: number;
  /** Forward-equivalents of this run and how they were counted (lib/bench/accounting.ts). */
  fe: number;
  feFormula: string;
}
