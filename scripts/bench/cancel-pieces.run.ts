/**
 * Cancel during one long gradient (run by `node scripts/bench/budget.mjs --cancel`, not by `npm test`): on a
 * MobileNetV2-like LayersModel at 224×224 (inverted residuals, depthwise, ReLU6; random weights) and on the
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

const OUT = process.env.CANCEL_BENCH_OUT;
const MODELS = (process.env.CANCEL_BENCH_MODELS ?? 'mobilenetv2-224,human/mobilefacenet').split(',');

/** MobileNetV2's layout (t, c, n, s) at width 1, on a 224×224 input; seeded random weights. */
function mobileNetV2(size: number): tf.LayersModel {
  let seed = 7;
  const init = () => tf.initializers.heNormal({ seed: seed++ });
  const bnRelu = (x: tf.SymbolicTensor, relu: boolean) => {
    const y = tf.layers.batchNormalization({ epsilon: 1e-3 }).apply(x) as tf.SymbolicTensor;
    return relu ? (tf.layers.reLU({ maxValue: 6 }).apply(y) as tf.SymbolicTensor) : y;
  };
  const conv = (x: tf.SymbolicTensor, filters: number, k: number, strides: number) =>
    tf.layers
      .conv2d({ filters, kernelSize: k, strides, padding: 'same', useBias: false, kernelInitializer: init() })
      .apply(x) as tf.SymbolicTensor;
  const inp = tf.input({ shape: [size, size, 3] });
  let x = bnRelu(conv(inp, 32, 3, 2), true);
  const blocks: [number, number, number, number][] = [
    [1, 16, 1, 1],
    [6, 24, 2, 2],
    [6, 32, 3, 2],
    [6, 64, 4, 2],
    [6, 96, 3, 1],
    [6, 160, 3, 2],
    [6, 320, 1, 1],
  ];
  for (const [t, c, n, s] of blocks) {
    for (let i = 0; i < n; i++) {
      const cin = x.shape[3] as number;
      let y = t === 1 ? x : bnRelu(conv(x, cin * t, 1, 1), true);
      y = tf.layers
        .depthwiseConv2d({
          kernelSize: 3,
          strides: i === 0 ? s : 1,
          padding: 'same',
          useBias: false,
          depthwiseInitializer: init(),
        })
        .apply(y) as tf.SymbolicTensor;
      y = bnRelu(conv(bnRelu(y, true), c, 1, 1), false);
      x = i > 0 && cin === c ? (tf.layers.add({}).apply([x, y]) as tf.SymbolicTensor) : y;
    }
  }
  x = bnRelu(conv(x, 1280, 1, 1), true);
  x = tf.layers.globalAveragePooling2d({}).apply(x) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: 10, kernelInitializer: init() }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: inp, outputs: out });
}

async function register(core: WorkerCore, id: string): Promise<string> {
  if (id === 'mobilenetv2-224') {
    const model = mobileNetV2(224);
    const info = await buildModelInfo(model, {
      id,
      name: 'MobileNetV2-like 224×224 (random weights, bench)',
      source: 'user',
      preset: {
        preprocessing: mobileNetPreprocessing(224),
        labels: Array.from({ length: 10 }, (_, i) => `class ${i}`),
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
      const ig = core.api
        .explain('ig', {
          ...req,
          method: 'integrated-gradients',
          config: { steps: 1024, batchSize: 256, targetError: 0 },
        })
        .then(
          () => 'finished',
          (e: Error) => e.name,
        );
      const clickAt = performance.now() + 1000;
      await new Promise((r) => setTimeout(r, 1000));
      const handledMs = performance.now() - clickAt;
      await core.api.cancel('ig');
      const gc = await core.api.explain('gc', { ...req, method: 'grad-cam', config: {} });
      const gradCamStartMs = performance.now() - gc.timings.totalMs - clickAt;
      const igEnd = await ig;
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
