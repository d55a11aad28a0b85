/**
 * `node scripts/bench/formats.mjs threads` (not CI) — issue #18 item 3: WASM on 1 thread versus one thread per
 * core, in the same run on the same machine, through the /bench harness (the dashboard's worker; `?threads=N`
 * starts WASM on N threads, lib/runtime/wasm-threads.ts):
 *   - the bundled fashion-finetuned CNN (28×28×1),
 *   - the bench's MobileNet-v1 α = 1 at 224×224×3 (random weights, the same seed on every page).
 * Each thread count gets a fresh page (a new worker, so a new WASM module); the counts alternate
 * (1, N, N, 1) and each number is the median of those pages' medians, so slow drift on a shared machine falls
 * on both sides. Prints "[threads-bench]" lines (ms per image: forward at batch 1 and 8, an input gradient at batch 1,
 * Grad-CAM and occlusion through the service) and ms(1 thread) ÷ ms(N threads); writes bench/results/threads.json.
 * It asserts only that the comparison is sound (the page is isolated and WASM started the threads asked for,
 * and both sides predict the same class), never a time.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures/test';

const ROOT = join(__dirname, '..', '..');
const REPS = Number(process.env.THREADS_REPS ?? 5);
type Prepared = { modelId: string; imageId: string; target: number; spatialLayer: string };
type Bench = {
  init(): Promise<{ backend: { backend: string; threads?: number } }>;
  prepareBundled(id: string): Promise<Prepared>;
  prepareMobileNet(o: { id: string; alpha: number; inputSize: number }): Promise<Prepared>;
  forward(
    id: string,
    batchSizes: number[],
    reps: number,
    gradient: boolean,
  ): Promise<{ batchSize: number; forwardMsPerImage: number; gradientMsPerImage?: number }[]>;
  method(p: Prepared, method: string, config: Record<string, unknown>): Promise<{ workerMs: number }>;
};
declare const window: { __bench: Bench };

type Row = Record<string, number>;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

/** One page on `threads` threads: the numbers of both models (ms), and each model's predicted class. */
async function measure(page: Page, threads: number): Promise<{ rows: Record<string, Row>; targets: number[] }> {
  await page.goto(`/bench?backend=wasm&threads=${threads}`);
  await page.waitForFunction(() => Boolean((window as unknown as { __bench?: unknown }).__bench));
  const report = await page.evaluate(() => window.__bench.init());
  expect(report.backend.backend).toBe('wasm');
  expect(report.backend.threads).toBe(threads);
  const rows: Record<string, Row> = {};
  const targets: number[] = [];
  const models: [string, () => Promise<Prepared>, { occlusion: Record<string, unknown>; reps: number }][] = [
    [
      'fashion-finetuned 28×28',
      () => page.evaluate(() => window.__bench.prepareBundled('fashion-finetuned')),
      { occlusion: { windowSize: 4, stride: 2, fill: 'zero' }, reps: REPS * 4 },
    ],
    [
      'MobileNet-v1 224×224',
      () => page.evaluate(() => window.__bench.prepareMobileNet({ id: 'bench-mobilenet', alpha: 1, inputSize: 224 })),
      { occlusion: { windowSize: 64, stride: 32, fill: 'zero' }, reps: Math.max(3, Math.round(REPS / 2)) },
    ],
  ];
  for (const [name, prepare, o] of models) {
    const p = await prepare();
    targets.push(p.target);
    const fw = await page.evaluate(([id, reps]) => window.__bench.forward(id, [1, 8], reps, false), [
      p.modelId,
      o.reps,
    ] as const);
    const grad = await page.evaluate(([id, reps]) => window.__bench.forward(id, [1], reps, true), [
      p.modelId,
      o.reps,
    ] as const);
    const row: Row = {
      'forward b1': fw[0]?.forwardMsPerImage ?? NaN,
      'forward b8': fw[1]?.forwardMsPerImage ?? NaN,
      'gradient b1': grad[0]?.gradientMsPerImage ?? NaN,
    };
    for (const [method, config] of [
      ['grad-cam', {}],
      ['occlusion', o.occlusion],
    ] as const) {
      const runs: number[] = [];
      for (let i = 0; i < 3; i++) {
        runs.push(
          (await page.evaluate(([pp, m, c]) => window.__bench.method(pp, m, c), [p, method, config] as const)).workerMs,
        );
      }
      row[method] = median(runs);
    }
    rows[name] = row;
  }
  return { rows, targets };
}

test('WASM: 1 thread versus one per core, on the bundled 28×28 CNN and a 224×224 MobileNet', async ({ browser }) => {
  test.setTimeout(1_500_000);
  const probe = await browser.newPage();
  await probe.goto('/bench?backend=wasm');
  const { isolated, cores } = await probe.evaluate(() => ({
    isolated: self.crossOriginIsolated,
    cores: navigator.hardwareConcurrency,
  }));
  await probe.close();
  expect(isolated, 'the page must be cross-origin isolated for WASM threads').toBe(true);
  const many = Math.max(2, cores);
  const order = [1, many, many, 1];
  const load = [loadavg()[0] ?? 0];
  const seen: Record<number, Record<string, Row>[]> = { 1: [], [many]: [] };
  let targets: number[] | null = null;
  for (const threads of order) {
    const page = await browser.newPage();
    const r = await measure(page, threads);
    await page.close();
    if (targets) expect(r.targets, 'both thread counts predict the same classes').toEqual(targets);
    targets = r.targets;
    seen[threads]?.push(r.rows);
    load.push(loadavg()[0] ?? 0);
    console.log(`[threads-bench] page on ${threads} thread(s) done; load ${load.at(-1)?.toFixed(1)}`);
  }
  const result: { model: string; step: string; oneMs: number; manyMs: number; ratio: number }[] = [];
  const first = seen[1]?.[0] ?? {};
  for (const model of Object.keys(first)) {
    for (const step of Object.keys(first[model] ?? {})) {
      const pick = (t: number) => median((seen[t] ?? []).map((rows) => rows[model]?.[step] ?? NaN));
      const oneMs = pick(1);
      const manyMs = pick(many);
      result.push({ model, step, oneMs, manyMs, ratio: oneMs / manyMs });
    }
  }
  console.log(
    `[threads-bench] ${cores} logical cores; load average ${load.map((l) => l.toFixed(1)).join(' → ')} (1-minute, over the run)`,
  );
  console.log(`[threads-bench] | model | step | 1 thread ms | ${many} threads ms | 1 ÷ ${many} |`);
  console.log('[threads-bench] | --- | --- | ---: | ---: | ---: |');
  for (const r of result) {
    console.log(
      `[threads-bench] | ${r.model} | ${r.step} | ${r.oneMs.toFixed(1)} | ${r.manyMs.toFixed(1)} | ${r.ratio.toFixed(2)}× |`,
    );
  }
  mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
  writeFileSync(
    join(ROOT, 'bench', 'results', 'threads.json'),
    JSON.stringify({ cores, threads: many, load, reps: REPS, result }, null, 2),
  );
});
