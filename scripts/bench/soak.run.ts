/**
 * Soak (issue #19, bench only, not CI): 300 explanations across every registered method and two bundled
 * models through the real worker core (tfjs WASM in Node), switching models and cancelling at random
 * (seeded). Asserts no error other than the cancels, tensors back to the baseline, and bounded memory;
 * writes its figures to SOAK_OUT (JSON) for scripts/bench/soak.mjs. Heavy methods run at reduced sizes
 * (RISE 64 masks, IG/Guided IG 16 steps, SmoothGrad 8 samples): the soak measures leaks, not maps.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { setFlagsFromString, writeHeapSnapshot } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { fileURLToPath } from 'node:url';
import { expect, it, vi } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { parseManifest } from '@/lib/models/manifest';
import { METHOD_IDS } from '@/lib/explain/catalog';
import { mulberry32 } from '@/lib/random';
import { switchBackend } from '@/lib/testing/backends';
import { createWorkerCore } from '@/lib/runtime/worker-core';

/** A real garbage collection before each heap reading (V8's gc, exposed at run time). */
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const heapAfterGc = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

const RUNS = Number(process.env.SOAK_RUNS ?? 300);
/** SOAK_METHODS=a,b limits the methods (to find which one holds memory); default: every registered one. */
const METHODS = process.env.SOAK_METHODS ? process.env.SOAK_METHODS.split(',') : [...METHOD_IDS];
/** The JS heap after GC is read every CHECK runs, to tell a plateau from steady growth. */
const CHECK = Math.max(1, Math.floor(RUNS / 6));
const MODELS = ['mnist-cnn', 'fashion-scratch'];
const SMALL: Record<string, Record<string, unknown>> = {
  rise: { numMasks: 64 },
  'integrated-gradients': { steps: 16 },
  'guided-ig': { steps: 16 },
  smoothgrad: { numSamples: 8 },
};
const MANIFEST_URL = new URL('../../models/manifest.json', import.meta.url).href;

async function fileFetch(input: RequestInfo | URL): Promise<Response> {
  const url = String(input instanceof Request ? input.url : input);
  try {
    return new Response(new Uint8Array(await readFile(fileURLToPath(url))), { status: 200 });
  } catch {
    return new Response('missing', { status: 404 });
  }
}

it(`soak: ${RUNS} explanations, random switches and cancels`, async () => {
  await switchBackend('wasm');
  vi.stubGlobal('fetch', fileFetch);
  const manifest = parseManifest(await readFile(fileURLToPath(MANIFEST_URL), 'utf8'));
  const core = createWorkerCore();
  const ds = manifest.datasets.find((d) => d.id === 'mnist-test-2k');
  if (!ds) throw new Error('no mnist-test-2k');
  const pixels = new Uint8Array(await readFile(fileURLToPath(new URL(ds.imagesUrl, MANIFEST_URL))));
  const size = ds.width * ds.height * ds.channels;
  const rnd = mulberry32(19);
  const entry = (id: string) => {
    const m = manifest.models.find((x) => x.id === id);
    if (!m) throw new Error(id);
    return m;
  };
  // Warm up (first loads compile kernels), then the baseline.
  for (const id of MODELS) await core.api.loadBundled(entry(id), MANIFEST_URL);
  for (const id of MODELS) await core.api.unload(id);
  const base = { tensors: tf.memory().numTensors, bytes: tf.memory().numBytes, heap: heapAfterGc() };
  let peakBytes = 0;
  let peakHeap = 0;
  const heapAt: { runs: number; heap: number }[] = [];
  const counts = { done: 0, cancelled: 0, switches: 0, errors: [] as string[] };
  const t0 = Date.now();
  let current = MODELS[0] as string;
  await core.api.loadBundled(entry(current), MANIFEST_URL);
  for (let r = 0; r < RUNS; r++) {
    if (rnd() < 0.1) {
      await core.api.unload(current);
      current = MODELS[(MODELS.indexOf(current) + 1) % MODELS.length] as string;
      await core.api.loadBundled(entry(current), MANIFEST_URL);
      counts.switches++;
    }
    const method = METHODS[Math.floor(rnd() * METHODS.length)] as string;
    const k = Math.floor(rnd() * 2000);
    const img = await core.api.addPixels(pixels.slice(k * size, (k + 1) * size), ds.width, ds.height, 1, `#${k}`);
    const id = `soak#${r}`;
    const cancel = rnd() < 0.2;
    if (cancel) setTimeout(() => void core.api.cancel(id), Math.floor(rnd() * 5));
    try {
      await core.api.explain(id, {
        modelId: current,
        imageId: img.id,
        method: method as never,
        target: Math.floor(rnd() * 10),
        config: SMALL[method] ?? {},
      });
      counts.done++;
    } catch (e) {
      if (e instanceof Error && e.name === 'AbortError') counts.cancelled++;
      else counts.errors.push(`${method}: ${e instanceof Error ? e.message : String(e)}`);
    }
    await core.api.removeImage(img.id);
    peakBytes = Math.max(peakBytes, tf.memory().numBytes);
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
    if ((r + 1) % CHECK === 0) {
      heapAt.push({ runs: r + 1, heap: heapAfterGc() });
      // SOAK_SNAPSHOTS=dir: a V8 heap snapshot at each check, to diff what grows (DevTools "Comparison").
      if (process.env.SOAK_SNAPSHOTS) writeHeapSnapshot(`${process.env.SOAK_SNAPSHOTS}/soak-${r + 1}.heapsnapshot`);
    }
  }
  await core.api.unload(current);
  const end = { tensors: tf.memory().numTensors, bytes: tf.memory().numBytes, heap: heapAfterGc() };
  const out = {
    runs: RUNS,
    methods: METHODS.length,
    models: MODELS,
    seconds: (Date.now() - t0) / 1000,
    ...counts,
    base,
    end,
    peakBytes,
    peakHeap,
    heapAt,
  };
  if (process.env.SOAK_OUT) await writeFile(process.env.SOAK_OUT, JSON.stringify(out, null, 2));
  console.log(JSON.stringify(out));
  expect(counts.errors).toEqual([]);
  expect(end.tensors).toBe(base.tensors);
  expect(end.bytes).toBe(base.bytes);
  // Bounded, not zero: the JS heap after GC grows ~2 MB over 300 runs, mostly warm-up (README, Security section).
  expect(end.heap - base.heap).toBeLessThan(16 * 1024 * 1024);
  vi.unstubAllGlobals();
});
