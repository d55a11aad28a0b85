/**
 * tfjs-layers keeps two LRU caches of topological sorts (`TOPOLOGICAL_SORT_CACHE_MAX_ENTRIES`, 100 entries
 * by default), keyed by symbolic-tensor names that are new with every model load. Each entry holds that
 * model's symbolic graph (layers, LayerVariables, SymbolicTensors: JS objects, no tensor memory), so a
 * disposed model stays reachable until 100 newer entries push it out — the soak's slow JS-heap growth
 * (issue #19). Worker-only: imports tfjs.
 */
import * as tf from '@tensorflow/tfjs';

const FLAG = 'TOPOLOGICAL_SORT_CACHE_MAX_ENTRIES';

/**
 * Empties both caches (setting the size to 0 evicts every entry; then the size is restored), so unloaded
 * models can be collected. Loaded models sort again on their next call (microseconds). No-op when the flag
 * is not registered.
 */
export function releaseLayersGraphCache(): void {
  const env = tf.env();
  if (!(FLAG in (env as unknown as { flagRegistry: Record<string, unknown> }).flagRegistry)) return;
  const size = env.getNumber(FLAG);
  env.set(FLAG, 0);
  env.set(FLAG, size);
}
