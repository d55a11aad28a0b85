/**
 * Cancel during one long gradient (run by `node scripts/bench/budget.mjs --cancel`, not by `npm test`): on a
 * MobileNetV2 LayersModel at 224×224 (scripts/bench/mobilenet-v2.ts: Keras' topology, random weights) and on the
 * corpus graph model with the slowest gradient (`human/mobilefacenet`, 112×112, fused depthwise convs), through
 * the real worker core in Node on WASM, twice per model: with the gradient in pieces (the worker's default,
 * lib/runtime/segmented-gradients.ts) and as one piece (splitting off). Each run: a long Integrated Gradients
 * run (every step, one image per call), Cancel clicked 1 s in, then Grad-CAM. Measured in the same run:
 *   - how long the click waited for the thread, and when Grad-CAM started (the claim: within 200 ms);
 *   - the longest the thread was held while IG ran (a 5 ms timer's largest gap): one piece, or one call;
 *   - one image's gradient in pieces ÷ in one piece (the cost of the re-run forward passes).
 * Writes JSON to CANCEL_BENCH_OUT.
 */
import { it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { gradientBatch } from '@/lib/explain/gradients';
import { buildModelInfo } from '@/lib/models/load';
import { mobileNetPreprocessing } from '@/lib/bench/worker-bench';
import { PIECE_MS, SEGMENT_ABOVE_MS, pieceCounter, withGradientPieces } from '@/lib/runtime/segmented-gradients';
import { createWorkerCore, type WorkerCore } from '@/lib/runtime/worker-core';
import { switchBackend } from '@/lib/testing/backends';
import { CORPUS } from '@/lib/testing/corpus';
import { cancelDuringIg } from './cancel-click';
import { mobileNetV2 } from './mobilenet-v2';

const OUT = process.env.CANCEL_BENCH_OUT;
const MODELS = (process.env.CANCEL_BENCH_MODELS ?? 'mobilenetv2-224,human/mobilefacenet').split(',');

async function register(core: WorkerCore, id: string): Promise<string> {
  if (id === 'mobilenetv2-224') {
    const model = mobileNetV2(224);
    const classes = model.outputs[0]?.shape[1] as number;
    const info = await buildModelInfo(model, {
      id,
      name: 'MobileNetV2 224×224 (random weights, bench)',
      source: 'user',
      preset: {
        preprocessing: mobileNetPreprocessing(224),
        labels: Array.from({ length: classes }, (_, i) => `class ${i}`),
        outputKind: 'logits',
      },
      provenance: 'Built by the cancel bench with seeded random weights.',
    });
    core.models.adoptLayersModel(model, info);
    return id;
  }
  const entry = CORPUS.find((e) => e.id === id);
  if (!entry) throw new Error(`no corpus model ${id}`);
  const files = (await entry.files()) as unknown as File[];
  const loaded = await core.api.loadFromFiles(files, { name: id });
  return loaded.info.id;
}

it('Cancel during one long gradient, in pieces and in one piece (WASM)', async () => {
  await switchBackend('wasm');
  const rows: unknown[] = [];
  for (const id of MODELS) {
    for (const split of [true, false]) {
      const core = createWorkerCore(split ? {} : { pieces: { aboveMs: Number.POSITIVE_INFINITY, pieceMs: PIECE_MS } });
      const modelId = await register(core, id);
      const imageId = await addNoise(core, modelId);
      const { input, adapter } = core.modelInputFor(modelId, imageId);
      const basis = await core.api.runBasis(modelId);
      const load = os.loadavg()[0];
      const req = { modelId, imageId, target: 1 };
      // The thread's longest hold while IG runs: the largest gap of a 5 ms timer.
      let last = performance.now();
      let held = 0;
      const timer = setInterval(() => {
        const t = performance.now();
        held = Math.max(held, t - last);
        last = t;
      }, 5);
      const { handledMs, gradCamStartMs, igEnd } = await cancelDuringIg(core.api, req);
      clearInterval(timer);
      let ratio: number | null = null;
      let cut = 1;
      if (split) {
        // One image's gradient in pieces ÷ in one piece, back to back (best of 2 each).
        const pieces = withGradientPieces(adapter, new AbortController().signal, basis.timings.gradientMs.one, {
          aboveMs: 0,
          pieceMs: PIECE_MS,
        });
        const time = async (a: typeof adapter) => {
          let best = Number.POSITIVE_INFINITY;
          for (let i = 0; i < 2; i++) {
            const t0 = performance.now();
            await gradientBatch(a, input.data, 1, input, 1);
            best = Math.min(best, performance.now() - t0);
          }
          return best;
        };
        const one = await time(adapter);
        const counted = pieceCounter.backward;
        ratio = (await time(pieces)) / one;
        cut = (pieceCounter.backward - counted) / 2; // two timed runs
      }
      rows.push({
        model: id,
        split,
        load,
        gradientMs: basis.timings.gradientMs.one,
        piecesAsked: split ? Math.ceil(basis.timings.gradientMs.one / PIECE_MS) : 1,
        pieces: cut,
        handledMs,
        gradCamStartMs,
        heldMs: held,
        igEnd,
        ratio,
        aboveMs: SEGMENT_ABOVE_MS,
      });
      console.log(JSON.stringify(rows[rows.length - 1]));
      await core.api.unload(modelId);
      if (OUT) writeFileSync(OUT, JSON.stringify({ rows, numTensors: tf.memory().numTensors }, null, 1));
    }
  }
});

/** A seeded noise picture at the model's input size; returns its image id. */
async function addNoise(core: WorkerCore, modelId: string): Promise<string> {
  const [h, w, c] = core.models.get(modelId).info.inputShape;
  const pixels = Uint8Array.from({ length: h * w * c }, (_, i) => (i * 53) % 256);
  return (await core.api.addPixels(pixels, w, h, c as 1 | 3, 'noise.png')).id;
}
