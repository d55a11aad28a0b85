/**
 * Where the time of the gradient methods goes (issue #18 items 2b, 2c, 4), run by
 * `npx vitest run -c scripts/bench/vitest.overhead.config.mts` (not `npm test`): on WASM in Node, the bundled fashion-finetuned CNN through the worker core (the path the
 * page and the bench take), with the worker's fast gradients installed as in the browser:
 *   - the forward floor (best ms/image over batch sizes) and the forward+backward cost per image by batch size,
 *   - one gradient pass of 65 images: kernels launched and kernel time by kernel,
 *   - saliency, SmoothGrad (25 samples) and Integrated Gradients (64 steps, even trapezoid; and the adaptive
 *     default) as the bench asks for them (configs without a batch size: the method's default batch), with
 *     model calls and the overhead = time ÷ (forward-equivalents × forward floor),
 *   - the page's path for IG at its full default config (planRun: batch sliced so a call takes ≤ 150 ms):
 *     the planned batch and the longest call measured (what Cancel waits for at most),
 *   - the PyTorch reference (scripts/bench/torch_reference.py, same weights and input, 1 thread) in the same
 *     run, for ours ÷ reference,
 *   - IG's completeness error versus model calls over OVERHEAD_IMAGES test images: the adaptive default against
 *     fixed midpoint / Gauss–Legendre / even trapezoid rules.
 * Prints "[overhead]" lines and, with OVERHEAD_OUT, writes them as JSON: ratios measured in one run, never asserted.
 */
import { it, vi } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { getMethodMeta } from '@/lib/explain/catalog';
import { callMs } from '@/lib/explain/estimate';
import { planRun } from '@/lib/explain/estimate-budget';
import { gradientBatch, targetScores } from '@/lib/explain/gradients';
import type { MethodId } from '@/lib/explain/types';
import { parseManifest } from '@/lib/models/manifest';
import { installFastConvGradient } from '@/lib/runtime/fast-gradients';
import { createWorkerCore } from '@/lib/runtime/worker-core';
import { switchBackend } from '@/lib/testing/backends';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MANIFEST_URL = new URL('../../models/manifest.json', import.meta.url).href;
const MODEL = 'fashion-finetuned';
const REPS = Number(process.env.OVERHEAD_REPS ?? 5);
const OUT = process.env.OVERHEAD_OUT;
/** Test images of the completeness-versus-calls comparison. */
const IMAGES = Number(process.env.OVERHEAD_IMAGES ?? 20);
const PYTHON = process.env.CORPUS_PYTHON || '/usr/bin/python3';
const lines: string[] = [];
const log = (s: string) => {
  lines.push(s);
  console.log('[overhead]', s);
};

async function median(reps: number, fn: () => Promise<unknown>): Promise<number> {
  await fn();
  const t: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await fn();
    t.push(performance.now() - t0);
  }
  t.sort((a, b) => a - b);
  return t[t.length >> 1] as number;
}

/** The reference's median ms per method on the same input (null when PyTorch is missing). */
function reference(data: Float32Array, target: number): Record<string, number> | null {
  const file = path.join(os.tmpdir(), `overhead-input-${process.pid}.f32`);
  writeFileSync(file, Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  const args = ['--model', path.join(ROOT, 'models', MODEL), '--input', file, '--target', String(target)];
  const r = spawnSync(
    PYTHON,
    [
      path.join(ROOT, 'scripts', 'bench', 'torch_reference.py'),
      ...args,
      ...['--reps', String(REPS), '--no-values', '--methods', 'saliency,smoothgrad,integrated-gradients'],
    ],
    { encoding: 'utf8' },
  );
  const line = r.stdout?.split('\n').find((l) => l.startsWith('REFERENCE '));
  if (r.status !== 0 || !line) return null;
  const methods = JSON.parse(line.slice('REFERENCE '.length)).methods as Record<string, { ms: number }>;
  return Object.fromEntries(Object.entries(methods).map(([k, v]) => [k, v.ms]));
}

it('overhead profile (WASM)', async () => {
  vi.stubGlobal(
    'fetch',
    async (u: RequestInfo | URL) => new Response(new Uint8Array(await readFile(fileURLToPath(String(u))))),
  );
  await switchBackend('wasm');
  installFastConvGradient(['wasm']); // as the worker's chooseBackend does
  const manifest = parseManifest(await readFile(fileURLToPath(MANIFEST_URL), 'utf8'));
  const entry = manifest.models.find((m) => m.id === MODEL);
  const ds = manifest.datasets?.find((d) => d.id === entry?.datasetId);
  if (!entry || !ds) throw new Error(`${MODEL} or its evaluation set is not in the manifest`);
  const core = createWorkerCore();
  await core.api.loadBundled(entry, MANIFEST_URL);
  await core.api.loadBundledDataset(ds, MANIFEST_URL);
  const img = await core.api.addDatasetImage(ds.id, 0);
  const { input, adapter } = core.modelInputFor(MODEL, img.id);
  const size = input.data.length;
  const load = () =>
    os
      .loadavg()
      .map((v) => v.toFixed(2))
      .join(' / ');
  log(`load ${load()}; ${MODEL} [${input.height}×${input.width}×${input.channels}], median of ${REPS}`);

  let floor = Number.POSITIVE_INFINITY;
  const fwd: string[] = [];
  const grad: string[] = [];
  for (const b of [1, 16, 65]) {
    const f = (await median(REPS, () => targetScores(adapter, Array(b).fill(input.data), input, 0))) / b;
    floor = Math.min(floor, f);
    fwd.push(`${b}: ${f.toFixed(3)}`);
    const stack = new Float32Array(b * size);
    for (let k = 0; k < b; k++) stack.set(input.data, k * size);
    grad.push(`${b}: ${((await median(REPS, () => gradientBatch(adapter, stack, b, input, 0))) / b).toFixed(3)}`);
  }
  log(`forward ms/image ${fwd.join(', ')} (floor ${floor.toFixed(3)}); fwd+bwd ms/image ${grad.join(', ')}`);

  {
    const b = 65;
    const x = tf.tensor4d(new Float32Array(b * size).fill(0.5), [b, input.height, input.width, input.channels]);
    const prof = await tf.profile(() => tf.tidy(() => adapter.inputGradients(x, 0).grads));
    tf.dispose([prof.result as tf.Tensor, x]);
    const byKernel = new Map<string, [number, number]>();
    let total = 0;
    for (const k of prof.kernels) {
      const ms = (await k.kernelTimeMs) as number;
      const [n, s] = byKernel.get(k.name) ?? [0, 0];
      byKernel.set(k.name, [n + 1, s + ms]);
      total += ms;
    }
    const top = [...byKernel]
      .sort((a, c) => c[1][1] - a[1][1])
      .map(([k, [n, s]]) => `${k} ×${n} ${((100 * s) / total).toFixed(0)} %`)
      .join(', ');
    log(`one gradient pass of ${b}: ${prof.kernels.length} kernels, ${total.toFixed(0)} ms kernel time: ${top}`);
  }

  const target = 0;
  const ref = reference(input.data, target);
  const runs: [MethodId, Record<string, unknown>, string, number][] = [
    ['saliency', {}, 'saliency', 3],
    ['smoothgrad', { numSamples: 25 }, 'smoothgrad', 75],
    ['integrated-gradients', { steps: 64, rule: 'trapezoid', targetError: 0 }, 'integrated-gradients', 195],
    ['integrated-gradients', {}, '', 195],
  ];
  for (const [method, config, refKey, fe] of runs) {
    let a: Awaited<ReturnType<typeof core.api.explain>> | undefined;
    const ms = await median(REPS, async () => {
      a = await core.api.explain('p', { modelId: MODEL, imageId: img.id, method, target, config });
    });
    const used = (a?.extras as { stepsUsed?: number } | undefined)?.stepsUsed;
    const r = refKey ? ref?.[refKey] : undefined;
    log(
      `${method} ${JSON.stringify(config)}: ${ms.toFixed(1)} ms, ${a?.timings.forwardPasses} calls of ≤ ${String(a?.config.batchSize ?? 1)}, ` +
        `overhead ${(ms / (fe * floor)).toFixed(2)}` +
        (used !== undefined ? `, ${used} steps used` : '') +
        (r !== undefined ? `; PyTorch ${r.toFixed(1)} ms → ours ÷ PyTorch ${(ms / r).toFixed(2)}` : ''),
    );
  }

  // The page's path: the full default config, batch planned from the measured passes (Cancel between calls).
  const meta = getMethodMeta('integrated-gradients');
  const basis = await core.api.runBasis(MODEL);
  const full = { ...meta.defaultConfig, targetError: 0 };
  const plan = planRun(meta, full, [input.height, input.width, input.channels], basis);
  const ticks: number[] = [performance.now()];
  await core.api.explain('page', { modelId: MODEL, imageId: img.id, method: meta.id, target, config: full }, () =>
    ticks.push(performance.now()),
  );
  const longest = Math.max(...ticks.slice(1).map((t, i) => t - (ticks[i] as number)));
  log(
    `page path, IG at its full default config (every step): batch ${plan.batch} planned at ` +
      `${callMs(basis.timings.gradientMs, basis.timings.batch, plan.batch).toFixed(0)} ms per call, ` +
      `${ticks.length - 1} calls, longest call ${longest.toFixed(0)} ms (Cancel waits at most one call)`,
  );
  // Completeness error versus model calls over IMAGES test images (each for its predicted class): the adaptive
  // default (8 intervals, then bisections, one call per round) against fixed rules in one gradient call (+ one
  // forward call for the end points where the rule lacks them).
  const rules: [string, Record<string, unknown>][] = [
    ['adaptive trapezoid (default, 1 %)', {}],
    ['midpoint 16', { rule: 'midpoint', steps: 16 }],
    ['Gauss–Legendre 16', { rule: 'gauss-legendre', steps: 16 }],
    ['midpoint 32', { rule: 'midpoint', steps: 32 }],
    ['Gauss–Legendre 32', { rule: 'gauss-legendre', steps: 32 }],
    ['even trapezoid 32', { rule: 'trapezoid', steps: 32, targetError: 0 }],
  ];
  const stats = rules.map(() => ({ errors: [] as number[], calls: [] as number[], points: [] as number[] }));
  for (let index = 1; index <= IMAGES; index++) {
    const im = await core.api.addDatasetImage(ds.id, index * 7);
    const pred = await core.api.predict(MODEL, im.id);
    const cls = pred.probs.indexOf(Math.max(...pred.probs));
    for (const [k, [, config]] of rules.entries()) {
      const a = await core.api.explain('c', { modelId: MODEL, imageId: im.id, method: meta.id, target: cls, config });
      const ex = a.extras as { completenessError: number; stepsUsed: number };
      const st = stats[k] as (typeof stats)[number];
      st.errors.push(ex.completenessError);
      st.calls.push(a.timings.forwardPasses);
      st.points.push(
        config.rule === 'midpoint' || config.rule === 'gauss-legendre' ? ex.stepsUsed + 2 : ex.stepsUsed + 1,
      );
    }
    await core.api.removeImage(im.id);
  }
  const q = (v: number[], f: number) =>
    [...v].sort((a, b) => a - b)[Math.min(v.length - 1, Math.floor(f * v.length))] as number;
  for (const [k, [label]] of rules.entries()) {
    const st = stats[k] as (typeof stats)[number];
    const mean = (v: number[]) => v.reduce((x, y) => x + y, 0) / v.length;
    log(
      `IG ${label} over ${IMAGES} images: completeness error median ${(100 * q(st.errors, 0.5)).toFixed(2)} %, ` +
        `worst ${(100 * Math.max(...st.errors)).toFixed(2)} %, within 1 % on ${st.errors.filter((e) => e <= 0.01).length}; ` +
        `model calls mean ${mean(st.calls).toFixed(2)} (max ${Math.max(...st.calls)}), images per run mean ${mean(st.points).toFixed(1)}`,
    );
  }
  log(`load at the end ${load()}`);
  if (OUT) writeFileSync(OUT, JSON.stringify({ at: new Date().toISOString(), lines }, null, 1));
});
