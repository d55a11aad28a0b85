/**
 * Measurements of the budget bench (run by scripts/bench/budget.mjs --probe, not by `npm test`): on the
 * 224×224 MobileNet-v1 (α = 1, random weights, lib/bench/mobilenet.ts) through the real worker core in
 * Node, per backend (WASM, CPU):
 *   - the capability probe's two phases (FAST_CHECKS: forward + layer gradient; then the input gradient),
 *     first probe of the freshly registered model — the README's "probe < 2 s at 224×224";
 *   - Cancel: a long Integrated Gradients run (every step, the user's huge batch), Cancel clicked 1 s in, then
 *     Grad-CAM: how long the click waited for the thread, and when Grad-CAM started — "Cancel frees the worker
 *     within 200 ms"; beside them the longest single model call of the cancelled run (the wait is bounded by it).
 * Writes JSON to PROBE_BENCH_OUT.
 */
import { it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { createBenchWorkerApi } from '@/lib/bench/worker-api';
import { FAST_CHECKS } from '@/lib/runtime/probe';
import { createWorkerCore } from '@/lib/runtime/worker-core';
import { switchBackend, type TestBackend } from '@/lib/testing/backends';
import { cancelDuringIg } from './cancel-click';

const BACKENDS = (process.env.PROBE_BENCH_BACKENDS ?? 'wasm,cpu').split(',') as TestBackend[];
const OUT = process.env.PROBE_BENCH_OUT;
const SIZE = 224;

it('probe and Cancel at 224×224 (MobileNet-v1 α = 1)', async () => {
  const rows: unknown[] = [];
  for (const backend of BACKENDS) {
    await switchBackend(backend);
    const core = createWorkerCore();
    const api = createBenchWorkerApi(core);
    const load = os.loadavg()[0];
    await api.benchRegisterMobileNet({ id: 'mb', alpha: 1, inputSize: SIZE, numClasses: 10, seed: 1 });
    let t = performance.now();
    const phase1 = await api.probe('mb', FAST_CHECKS);
    const phase1Ms = performance.now() - t;
    t = performance.now();
    const full = await api.probe('mb');
    const phase2Ms = performance.now() - t;
    const refused = Object.entries(full.checks)
      .filter(([, c]) => c && !c.ok)
      .map(([k]) => k);

    const pixels = Uint8Array.from({ length: SIZE * SIZE * 3 }, (_, i) => (i * 53) % 256);
    const img = await api.addPixels(pixels, SIZE, SIZE, 3, 'noise.png');
    await api.runBasis('mb'); // measured passes (the page asks before the first run)
    const req = { modelId: 'mb', imageId: img.id, target: 1 };
    const { handledMs, gradCamStartMs, gradCamMs, igEnd, calls } = await cancelDuringIg(api, req);
    rows.push({
      backend,
      load,
      phase1Ms,
      phase2Ms,
      phase1Checks: Object.keys(phase1.checks),
      refused,
      forwardMs: full.forwardMs,
      handledMs,
      gradCamStartMs,
      gradCamMs,
      igEnd,
      igCallsBeforeCancel: calls.length,
      longestCallMs: calls.length ? Math.max(...calls) : null,
    });
    await api.benchDispose('mb');
    console.log(JSON.stringify(rows[rows.length - 1]));
    if (OUT) writeFileSync(OUT, JSON.stringify({ rows, numTensors: tf.memory().numTensors }, null, 1));
  }
});
