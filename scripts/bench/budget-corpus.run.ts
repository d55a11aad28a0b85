/**
 * Measurements of the budget bench (run by scripts/bench/budget.mjs, not by `npm test`): for every corpus
 * model (lib/testing/corpus.ts) on WASM in Node, the measured passes, each offered method's time at the
 * budget-sized defaults (the worker's planRun) beside its estimate, IG's completeness error at the default
 * steps, and IG's completeness error versus steps for each quadrature rule. Writes JSON to BUDGET_BENCH_OUT.
 */
import { it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { estimateMs } from '@/lib/explain/estimate';
import { planRun, type RunBasis } from '@/lib/explain/estimate-budget';
import { compatibleMethods, listMethods } from '@/lib/explain/registry';
import type { ImageInput } from '@/lib/explain/types';
import { integratedGradients } from '@/lib/explain/methods/integrated-gradients/run';
import { createGraphAdapter, createLayersAdapter } from '@/lib/models/adapter';
import { loadModelFromFiles } from '@/lib/models/load';
import { isGraphModel } from '@/lib/models/validate';
import { maxBatchFor } from '@/lib/runtime/batch-cap';
import { measurePassTimings } from '@/lib/runtime/pass-timing';
import { switchBackend } from '@/lib/testing/backends';
import { CORPUS } from '@/lib/testing/corpus';

/** 'adaptive' is the trapezoid with a target below reach: it spends all steps + 1 points where the path bends. */
const RULES = ['gauss-legendre', 'trapezoid', 'midpoint', 'adaptive'] as const;
const STEPS = (process.env.BUDGET_BENCH_STEPS ?? '4,8,16,32,64').split(',').map(Number);
/** Runs estimated above this are not run (said in the table). */
const SKIP_ABOVE_MS = Number(process.env.BUDGET_BENCH_SKIP_MS ?? 60_000);
/** A model's steps sweep estimated above this is not run (said under the table). */
const SWEEP_SKIP_ABOVE_MS = Number(process.env.BUDGET_BENCH_SWEEP_SKIP_MS ?? 120_000);
const ONLY = process.env.BUDGET_BENCH_MODELS?.split(',');
/** Only these methods (default: every offered one). */
const ONLY_METHODS = process.env.BUDGET_BENCH_METHODS?.split(',');
/** 1: run each method at its own defaults (batch still sliced), not sized to the budget. */
const UNSIZED = process.env.BUDGET_BENCH_UNSIZED === '1';
const OUT = process.env.BUDGET_BENCH_OUT;

/** A smooth test picture in [0.1, 0.9]: two soft spots on a diagonal gradient. */
function picture(h: number, w: number, c: number): ImageInput {
  const data = new Float32Array(h * w * c);
  for (let i = 0; i < data.length; i++) {
    const y = Math.floor(i / (w * c)) / h;
    const x = (Math.floor(i / c) % w) / w;
    const spot =
      Math.exp(-((y - 0.4) ** 2 + (x - 0.35) ** 2) * 30) - 0.7 * Math.exp(-((y - 0.7) ** 2 + (x - 0.6) ** 2) * 20);
    data[i] = Math.min(0.9, Math.max(0.1, 0.35 + (0.3 * (x + y)) / 2 + 0.4 * spot + 0.05 * (i % c)));
  }
  return { height: h, width: w, channels: c, data };
}

it('budget bench over the corpus (WASM)', async () => {
  await switchBackend('wasm');
  const rows: unknown[] = [];
  for (const entry of CORPUS) {
    if (ONLY && !ONLY.includes(entry.id)) continue;
    let loaded;
    try {
      loaded = await loadModelFromFiles(
        await entry.files(),
        entry.card ? { card: entry.card, name: entry.id } : { name: entry.id },
      );
    } catch (e) {
      rows.push({ model: entry.id, refused: (e as Error).message });
      continue;
    }
    const { model, info } = loaded as {
      model: tf.GraphModel | tf.LayersModel;
      info: Parameters<typeof createLayersAdapter>[1];
    };
    const adapter = isGraphModel(model) ? createGraphAdapter(model, info) : createLayersAdapter(model, info);
    const [h, w, c] = info.inputShape;
    const img = picture(h, w, c);
    const target = tf.tidy(
      () =>
        adapter
          .scores(tf.tensor4d(img.data, [1, h, w, c]))
          .argMax(1)
          .dataSync()[0] as number,
    );
    const basis: RunBasis = { timings: await measurePassTimings(adapter), maxBatch: maxBatchFor(h, w, c) };
    const methods: Record<string, unknown> = {};
    for (const m of compatibleMethods(info)) {
      if (ONLY_METHODS && !ONLY_METHODS.includes(m.id)) continue;
      const sized = planRun(m, m.defaultConfig, info.inputShape, basis);
      const plan = UNSIZED
        ? {
            ...sized,
            config: { ...m.defaultConfig, ...('batchSize' in m.defaultConfig ? { batchSize: sized.batch } : {}) },
            overrides: {},
            estimateMs: estimateMs(m, m.defaultConfig, info.inputShape, basis.timings, sized.batch),
          }
        : sized;
      if (plan.estimateMs > SKIP_ABOVE_MS) {
        methods[m.id] = { estimateMs: plan.estimateMs, skipped: true };
        continue;
      }
      try {
        const t0 = performance.now();
        const a = await m.run(adapter, img, target, plan.config);
        const ms = performance.now() - t0;
        const ex = a.extras as Record<string, number> | undefined;
        methods[m.id] = {
          ms,
          estimateMs: plan.estimateMs,
          overrides: plan.overrides,
          batch: plan.batch,
          completenessError: ex?.completenessError,
          absoluteCompletenessError: ex?.absoluteCompletenessError,
          scoreDelta: ex?.scoreDelta,
          scoreVariation: ex?.scoreVariation,
          stepsUsed: ex?.stepsUsed,
        };
      } catch (e) {
        methods[m.id] = { error: (e as Error).message.slice(0, 120) };
      }
    }
    const sweep: Record<string, Record<number, number>> = {};
    // The sweep's gradient evaluations (every rule at every step count), timed from the measured pass.
    const sweepPoints = RULES.length * STEPS.reduce((t, n) => t + n + 1, 0);
    const sweepEstimateMs = sweepPoints * basis.timings.gradientMs.one;
    const sweepSkipped = sweepEstimateMs > SWEEP_SKIP_ABOVE_MS;
    if (!sweepSkipped && compatibleMethods(info).some((m) => m.id === 'integrated-gradients')) {
      const batch = planRun(integratedGradients, integratedGradients.defaultConfig, info.inputShape, basis).batch;
      for (const rule of RULES) {
        sweep[rule] = {};
        for (const steps of STEPS) {
          try {
            const a = await integratedGradients.run(adapter, img, target, {
              rule: rule === 'adaptive' ? 'trapezoid' : rule,
              steps,
              batchSize: batch,
              targetError: rule === 'adaptive' ? 1e-9 : 0,
            });
            (sweep[rule] as Record<number, number>)[steps] = a.extras.completenessError;
          } catch {
            /* recorded as missing */
          }
        }
      }
    }
    rows.push({
      unsized: UNSIZED,
      model: entry.id,
      input: `${h}×${w}×${c}`,
      outputs: info.numClasses,
      basis,
      methods,
      sweep,
      ...(sweepSkipped ? { sweepSkipped: sweepEstimateMs } : {}),
      load: os.loadavg()[0],
    });
    adapter.dispose();
    // Written after every model, so an interrupted run keeps what it measured.
    if (OUT)
      writeFileSync(
        OUT,
        JSON.stringify({ steps: STEPS, rules: RULES, methods: listMethods().map((m) => m.id), rows }, null, 1),
      );
  }
  if (!OUT) console.log(JSON.stringify(rows));
});
