/**
 * The Cancel measurement shared by the budget bench's probe and cancel runs (probe-cancel.run.ts,
 * cancel-pieces.run.ts): a long Integrated Gradients run (every step, the user's huge batch), Cancel clicked
 * `clickAfterMs` in, then Grad-CAM on the same image. Plain numbers; the worker API is the real one.
 */
import type { WorkerApi } from '@/lib/runtime/protocol';

export interface CancelClick {
  /** How long the click waited for the thread (the timer fires once the thread is free). */
  handledMs: number;
  /** When Grad-CAM started, from the click. */
  gradCamStartMs: number;
  gradCamMs: number;
  /** 'AbortError' when the IG run was cancelled. */
  igEnd: string;
  /** How long each of IG's model calls held the thread (from its progress ticks). */
  calls: number[];
}

export async function cancelDuringIg(
  api: Pick<WorkerApi, 'explain' | 'cancel'>,
  req: { modelId: string; imageId: string; target: number },
  clickAfterMs = 1000,
): Promise<CancelClick> {
  const ticks: number[] = [performance.now()];
  const ig = api
    .explain(
      'ig',
      { ...req, method: 'integrated-gradients', config: { steps: 1024, batchSize: 256, targetError: 0 } },
      () => ticks.push(performance.now()),
    )
    .then(
      () => 'finished',
      (e: Error) => e.name,
    );
  const clickAt = performance.now() + clickAfterMs;
  await new Promise((r) => setTimeout(r, clickAfterMs));
  const handledMs = performance.now() - clickAt;
  await api.cancel('ig');
  const gc = await api.explain('gc', { ...req, method: 'grad-cam', config: {} });
  const gradCamStartMs = performance.now() - gc.timings.totalMs - clickAt;
  const igEnd = await ig;
  const calls = ticks.slice(1).map((x, i) => x - (ticks[i] as number));
  return { handledMs, gradCamStartMs, gradCamMs: gc.timings.totalMs, igEnd, calls };
}
