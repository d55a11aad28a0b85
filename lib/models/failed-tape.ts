import * as tf from '@tensorflow/tfjs';

/**
 * After a gradient threw during backpropagation, tfjs 4.22 leaves the tape's saved tensors (kept clones of
 * every taped kernel's inputs/outputs) alive and the tape attached: release them as a successful
 * `tf.grad` would. No-op when no tape is left (or inside an outer gradient).
 */
export function releaseFailedTape(): void {
  const state = (
    tf.engine() as unknown as { state: { gradientDepth: number; activeTape: { saved?: tf.Tensor[] }[] | null } }
  ).state;
  if (state.gradientDepth !== 0 || !state.activeTape) return;
  for (const node of state.activeTape) for (const t of node.saved ?? []) t.dispose();
  state.activeTape = null;
}
