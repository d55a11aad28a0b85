/**
 * Cancel frees the worker within 200 ms (issue 12 item 5), measured on the real worker core in Node over the
 * bundled MNIST CNN, on CPU and WASM: a long Integrated Gradients run asked for huge batches (one call of 256
 * path points takes far longer than 200 ms here), the user clicks Cancel, then asks for Grad-CAM. The worker
 * slices the batches from the measured passes, so the click is handled within the one short call in flight
 * and Grad-CAM starts right after (within 200 ms where the calls ran as planned; on tfjs CPU, or on a heavily
 * loaded machine, one image's gradient alone can take longer, and the wait is that one call). The test checks
 * the structure that gives this (sliced batches, at most one call after the click) and prints the times; the
 * run basis (measured passes) is plain data and cached per model and backend.
 *
 * Where one image's gradient is itself long (a 224×224 network on WASM: seconds), the worker takes it in
 * pieces (segmented-gradients.ts) with a yield between them; the second test forces that on the same model
 * (every cut point) and checks that a Cancel handled during a pass runs no further piece.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { callMs, SLICE_MS } from '@/lib/explain/estimate';
import { planRun } from '@/lib/explain/estimate-budget';
import { getMethodMeta } from '@/lib/explain/catalog';
import { parseManifest } from '@/lib/models/manifest';
import { TEST_BACKENDS, switchBackend } from '@/lib/testing/backends';
import { pieceCounter } from './segmented-gradients';
import { CORPUS_DIR, corpusManifest } from '@/lib/models/onnx/test-corpus';
import path from 'node:path';
import { createWorkerCore } from './worker-core';

const MANIFEST_URL = new URL('../../models/manifest.json', import.meta.url).href;

async function fileFetch(input: RequestInfo | URL): Promise<Response> {
  const url = String(input instanceof Request ? input.url : input);
  return new Response(new Uint8Array(await readFile(fileURLToPath(url))), { status: 200 });
}

/** Loads the bundled MNIST CNN into `core` and adds a 28×28 test pattern; returns the image. */
async function loadMnist(core: ReturnType<typeof createWorkerCore>) {
  const manifest = parseManifest(await readFile(fileURLToPath(MANIFEST_URL), 'utf8'));
  const entry = manifest.models.find((m) => m.id === 'mnist-cnn');
  if (!entry) throw new Error('no bundled mnist-cnn');
  await core.api.loadBundled(entry, MANIFEST_URL);
  return core.api.addPixels(
    new Uint8Array(784).map((_, i) => (i * 37) % 256),
    28,
    28,
    1,
    'x',
  );
}

/**
 * IG with every gradient in pieces (the core made with `pieces: { aboveMs: 0, … }`), cancelled 300 ms in:
 * pieces ran before the click, none after it; Grad-CAM then runs; no tensor is left.
 */
async function expectCancelInPieces(
  core: ReturnType<typeof createWorkerCore>,
  modelId: string,
  imageId: string,
  requestId: string,
  label: string,
) {
  const before = tf.memory().numTensors;
  const req = { modelId, imageId, target: 3 };
  const piecesNow = () => pieceCounter.forward + pieceCounter.backward;
  const start = piecesNow();
  const igConfig = { steps: 1024, batchSize: 1, rule: 'trapezoid', targetError: 0 };
  const ig = core.api.explain(requestId, { ...req, method: 'integrated-gradients', config: igConfig }).then(
    () => 'finished',
    (e: Error) => e.name,
  );
  await new Promise((r) => setTimeout(r, 300));
  await core.api.cancel(requestId);
  const atCancel = piecesNow();
  const gc = await core.api.explain(`gc-${requestId}`, { ...req, method: 'grad-cam', config: {} });
  expect(await ig).toBe('AbortError');
  console.log(`${label}: ${atCancel - start} pieces before the click, ${piecesNow() - atCancel} after it`);
  expect(atCancel - start).toBeGreaterThan(2); // the gradients really ran in pieces
  expect(piecesNow()).toBe(atCancel); // no piece ran once the click was handled (Grad-CAM is one call)
  expect(gc.values.some((v) => v !== 0)).toBe(true);
  expect(tf.memory().numTensors).toBe(before);
}

beforeAll(() => vi.stubGlobal('fetch', fileFetch));
afterAll(() => vi.unstubAllGlobals());

describe.each(TEST_BACKENDS)('Cancel on %s', (backend) => {
  beforeAll(async () => switchBackend(backend));

  it('the next run starts within 200 ms of the click; no tensor left behind', async () => {
    const core = createWorkerCore();
    const img = await loadMnist(core);
    const basis = await core.api.runBasis('mnist-cnn');
    expect(basis.timings.backend).toBe(backend);
    expect(basis.timings.gradientMs.one).toBeGreaterThan(0);
    expect((await core.api.runBasis('mnist-cnn')).timings).toBe(basis.timings); // measured once
    // Unsliced, one call of 256 path points would hold the worker well past 200 ms.
    const igConfig = { steps: 1024, batchSize: 256, rule: 'trapezoid', targetError: 0 }; // every step: no early stop
    expect(callMs(basis.timings.gradientMs, basis.timings.batch, 256)).toBeGreaterThan(200);
    const plan = planRun(getMethodMeta('integrated-gradients'), igConfig, [28, 28, 1], basis);
    const sliceMs = callMs(basis.timings.gradientMs, basis.timings.batch, plan.batch);
    if (plan.batch > 1) expect(sliceMs).toBeLessThanOrEqual(SLICE_MS);
    expect(plan.config.steps).toBe(1024); // the user's value is kept

    const before = tf.memory().numTensors;
    const req = { modelId: 'mnist-cnn', imageId: img.id, target: 3 };
    // One tick per finished call: the gaps are how long each call actually held the thread.
    const ticks: number[] = [performance.now()];
    const piecesAtStart = pieceCounter.forward + pieceCounter.backward;
    const ig = core.api.explain('ig#1', { ...req, method: 'integrated-gradients', config: igConfig }, () =>
      ticks.push(performance.now()),
    );
    const igSettled = ig.then(
      () => 'finished',
      (e: Error) => e.name,
    );
    // The user clicks Cancel once two calls have finished (at least 300 ms in): a loaded machine can make one
    // call far longer than planned, so a fixed 300 ms could fall inside the first call. The timer fires as
    // soon as the worker's thread is free.
    const clickAt = performance.now() + 300;
    await new Promise((r) => setTimeout(r, 300));
    while (ticks.length < 3 && pieceCounter.forward + pieceCounter.backward === piecesAtStart)
      await new Promise((r) => setTimeout(r, 20));
    const handledAt = performance.now();
    await core.api.cancel('ig#1');
    const pieces = pieceCounter.forward + pieceCounter.backward - piecesAtStart;
    const gc = await core.api.explain('gc#1', { ...req, method: 'grad-cam', config: {} });
    const startedAt = performance.now() - gc.timings.totalMs;
    expect(await igSettled).toBe('AbortError');
    const longestCall = Math.max(...ticks.slice(1).map((t, i) => t - (ticks[i] as number)));
    console.log(
      `${backend}: slice ${plan.batch} images (planned ${sliceMs.toFixed(0)} ms, longest call ${longestCall.toFixed(0)} ms, ${pieces} pieces), click handled after ${(handledAt - clickAt).toFixed(0)} ms, Grad-CAM started after ${(startedAt - clickAt).toFixed(0)} ms`,
    );
    // It ran in several calls before the click, or (one image's pass measured over 150 ms: tfjs CPU under
    // load) in pieces of one call, with the click handled between two of them.
    expect(ticks.length > 2 || pieces > 0).toBe(true);
    // No timings are asserted (a shared machine makes them noisy; the figures are printed above and in
    // `npm run bench:budget`). What makes Cancel fast is structural: the batches are sliced below the
    // unsliced 256 points, the run stops after at most the one call in flight when the click is handled, and
    // Grad-CAM runs only after the cancelled run has settled (it never waits for the rest of it).
    expect(plan.batch).toBeLessThan(256);
    expect(ticks.filter((t) => t > handledAt).length).toBeLessThanOrEqual(1);
    expect(ticks.length - 1).toBeLessThan(Math.ceil(1025 / plan.batch));
    expect(gc.values.some((v) => v !== 0)).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
    await core.api.unload('mnist-cnn');
  });
  it('a cancelled job yields before the next piece of one gradient; the next run starts', async () => {
    // Every pass split at every cut point, as a 224×224 network's would be at the defaults.
    const core = createWorkerCore({ pieces: { aboveMs: 0, pieceMs: 1e-6 } });
    const img = await loadMnist(core);
    await core.api.runBasis('mnist-cnn');
    await expectCancelInPieces(core, 'mnist-cnn', img.id, 'ig#2', backend);
    await core.api.unload('mnist-cnn');
  });

  it('an ONNX model too: its gradient runs in pieces and a Cancel runs no further piece', async () => {
    const core = createWorkerCore({ pieces: { aboveMs: 0, pieceMs: 1e-6 } });
    const entry = corpusManifest().models.find((m) => m.bundledId === 'mnist-cnn');
    if (!entry) throw new Error('the ONNX corpus has no export of mnist-cnn');
    const files = await Promise.all(
      entry.files.map(async (f) => new File([new Uint8Array(await readFile(path.join(CORPUS_DIR, f)))], f)),
    );
    const { info } = await core.api.loadFromFiles(files, {});
    expect(info.format).toBe('onnx');
    const img = await core.api.addPixels(
      new Uint8Array(784).map((_, i) => (i * 37) % 256),
      28,
      28,
      1,
      'x',
    );
    await core.api.runBasis(info.id);
    await expectCancelInPieces(core, info.id, img.id, 'ig#3', `${backend} ONNX`);
    await core.api.unload(info.id);
  });
});
