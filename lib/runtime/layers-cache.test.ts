/**
 * tfjs-layers' topological-sort caches keep a disposed model's graph reachable; releaseLayersGraphCache
 * lets it go. Known answer with a WeakRef and a forced GC: reachable without the release, gone with it.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { switchBackend } from '@/lib/testing/backends';
import { releaseLayersGraphCache } from './layers-cache';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

beforeAll(() => switchBackend('cpu'));

/** Builds, runs and disposes a small model; returns a weak reference to its first layer and the tensor count change. */
function useAndDispose(): { ref: WeakRef<object>; leaked: number } {
  const before = tf.memory().numTensors;
  const model = tf.sequential({
    layers: [tf.layers.dense({ inputShape: [4], units: 3, activation: 'relu' }), tf.layers.dense({ units: 2 })],
  });
  tf.tidy(() => {
    // execute() (as the adapters use for activations and sub-graphs) goes through the cached sort.
    model.execute(
      tf.ones([1, 4]),
      model.outputs.map((o) => o.name),
    );
  });
  model.dispose();
  // The layers (and their variables) are what the cache keeps, through the graph's symbolic tensors.
  return { ref: new WeakRef(model.layers[0] as object), leaked: tf.memory().numTensors - before };
}

async function collected(ref: WeakRef<object>): Promise<boolean> {
  await new Promise((r) => setTimeout(r, 0));
  gc();
  return ref.deref() === undefined;
}

describe('releaseLayersGraphCache', () => {
  it('a disposed model stays reachable through the cache until it is released; no tensor either way', async () => {
    const kept = useAndDispose();
    expect(kept.leaked).toBe(0);
    expect(await collected(kept.ref)).toBe(false);
    releaseLayersGraphCache();
    expect(await collected(kept.ref)).toBe(true);
    expect(tf.env().getNumber('TOPOLOGICAL_SORT_CACHE_MAX_ENTRIES')).toBe(100);
  });
});
