// `npm run bench`: builds the production app into .next-bench (when sources changed), serves it, drives
// headless Chromium through the harness page (/bench, components/bench/harness.ts) on each backend, prints
// tables and writes JSON to bench/results/. Ratios within one run are the numbers to read; absolute times
// are context (they depend on the machine and its load). See tmp/README-bench.md.
//
//   node scripts/bench/run.mjs [--url=http://127.0.0.1:3000] [--no-build] [--backends=wasm,cpu,webgl]
//                              [--mobilenet-backends=wasm] [--alpha=1] [--reps=3] [--port=3104] [--budget-s=540]
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';
import { buildIsStale, chromiumArgs, chromiumPath, NEXT_BIN, ROOT as root } from '../lib/app-build.cjs';

const args = Object.fromEntries(
  process.argv.slice(2).map((a) => {
    const m = /^--([^=]+)(?:=(.*))?$/.exec(a);
    if (!m) throw new Error(`unknown argument ${a}`);
    return [m[1], m[2] ?? 'true'];
  }),
);
const PORT = Number(args.port ?? 3104);
const DIST = '.next-bench';
const BACKENDS = (args.backends ?? 'wasm,cpu,webgl').split(',').filter(Boolean);
const MOBILENET_BACKENDS = (args['mobilenet-backends'] ?? 'wasm').split(',').filter(Boolean);
const ALPHA = Number(args.alpha ?? 1);
const REPS = Number(args.reps ?? 3);
const BUDGET_MS = Number(args['budget-s'] ?? 540) * 1000;
const FASHION = 'fashion-finetuned';
/** Cheaper configs on the 224×224 network so the whole run fits ~10 minutes (printed in the table). */
// Batch sizes ≤ 8: the layer interpreter keeps every activation of a batch until its tidy ends, and a batch of
// 16–32 224×224 images exhausts the WASM heap.
const MOBILENET_CONFIGS = {
  smoothgrad: { numSamples: 8, batchSize: 8 },
  'integrated-gradients': { steps: 16, batchSize: 8 },
  occlusion: { windowSize: 32, stride: 32, batchSize: 8 },
  rise: { numMasks: 64, batchSize: 8 },
};
/** On the backends other than the default one: fewer masks for RISE (CPU needs ~10 s for 500). */
const OTHER_BACKEND_CONFIGS = { rise: { numMasks: 100 } };
const started = Date.now();
const elapsed = () => Date.now() - started;
const log = (...a) => console.log(`[bench ${(elapsed() / 1000).toFixed(0).padStart(4)} s]`, ...a);

// ---------------------------------------------------------------------------------------------------
// Build + serve

function buildIfStale() {
  const stale = buildIsStale(DIST);
  spawnSync(process.execPath, [join(root, 'scripts', 'sync-assets.mjs')], { cwd: root, stdio: 'inherit' });
  if (!stale || args['no-build'] === 'true') {
    log(
      stale ? 'sources changed but --no-build: using the existing build' : `production build in ${DIST} is up to date`,
    );
    return { built: false, ms: 0 };
  }
  log(`building the production app into ${DIST} …`);
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [NEXT_BIN, 'build'], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, NEXT_DIST_DIR: DIST, NEXT_TELEMETRY_DISABLED: '1' },
  });
  if (r.status !== 0) throw new Error('next build failed');
  return { built: true, ms: Date.now() - t0 };
}

async function waitForHttp(url, timeoutMs) {
  const t0 = Date.now();
  for (;;) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() - t0 > timeoutMs) throw new Error(`${url} did not answer in ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

async function startServer() {
  const child = spawn(process.execPath, [NEXT_BIN, 'start', '-p', String(PORT), '-H', '127.0.0.1'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NEXT_DIST_DIR: DIST, NEXT_TELEMETRY_DISABLED: '1' },
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const base = `http://127.0.0.1:${PORT}`;
  try {
    await waitForHttp(`${base}/models/manifest.json`, 60_000);
  } catch (e) {
    child.kill('SIGTERM');
    throw new Error(`${e.message}\n${output}`);
  }
  return { base, stop: () => child.kill('SIGTERM') };
}

// ---------------------------------------------------------------------------------------------------
// Measurements

/** gzip size of the JS the Explain page's main thread loads before any interaction (worker chunks excluded). */
async function initialJs(browser, base) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const workers = new Set();
  page.on('worker', (w) => workers.add(w.url()));
  const allScripts = new Set();
  context.on('request', (r) => {
    if (r.resourceType() === 'script' || /\.m?js(\?|$)/.test(new URL(r.url()).pathname)) allScripts.add(r.url());
  });
  await page.goto(`${base}/`, { waitUntil: 'load' });
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(1500);
  const mainThread = await page.evaluate(() =>
    performance
      .getEntriesByType('resource')
      .filter(
        (e) =>
          e.initiatorType === 'script' || e.initiatorType === 'link' || /\.m?js(\?|$)/.test(new URL(e.name).pathname),
      )
      .filter((e) => /\.m?js(\?|$)/.test(new URL(e.name).pathname))
      .map((e) => e.name),
  );
  const main = [...new Set(mainThread)].filter((u) => !workers.has(u));
  const workerSide = [...allScripts].filter((u) => !main.includes(u));
  const size = async (u) => {
    const res = await fetch(u, { headers: { 'accept-encoding': 'identity' } });
    const buf = Buffer.from(await res.arrayBuffer());
    return { url: new URL(u).pathname, bytes: buf.length, gzip: gzipSync(buf, { level: 9 }).length };
  };
  const mainFiles = await Promise.all(main.map(size));
  const workerFiles = await Promise.all(workerSide.map(size));
  await context.close();
  const sum = (xs, k) => xs.reduce((a, f) => a + f[k], 0);
  return {
    files: mainFiles.sort((a, b) => b.gzip - a.gzip),
    gzipBytes: sum(mainFiles, 'gzip'),
    rawBytes: sum(mainFiles, 'bytes'),
    workerFiles: workerFiles.sort((a, b) => b.gzip - a.gzip),
    workerGzipBytes: sum(workerFiles, 'gzip'),
    workers: [...workers].map((u) => new URL(u).pathname),
  };
}

function medianOf(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Runs a method `reps` times after one warm-up; keeps the median wall time and the worst memory/long-task numbers. */
async function measureMethod(page, prepared, method, config, reps) {
  const call = () => page.evaluate(([p, m, c]) => window.__bench.method(p, m, c), [prepared, method, config]);
  await call();
  const runs = [];
  for (let i = 0; i < reps; i++) runs.push(await call());
  const last = runs[runs.length - 1];
  return {
    method,
    configOverride: config,
    reps,
    wallMs: medianOf(runs.map((r) => r.wallMs)),
    workerMs: medianOf(runs.map((r) => r.workerMs)),
    paintMs: medianOf(runs.map((r) => r.paintMs)),
    modelCalls: last.modelCalls,
    fe: last.fe,
    feFormula: last.feFormula,
    longTasks: Math.max(...runs.map((r) => r.longTasks)),
    paintLongTasks: Math.max(...runs.map((r) => r.paintLongTasks)),
    longestTaskMs: Math.max(...runs.map((r) => r.longestTaskMs)),
    tensorsDelta: Math.max(...runs.map((r) => r.memAfter.numTensors - r.memBefore.numTensors)),
    bytesDelta: Math.max(...runs.map((r) => r.memAfter.numBytes - r.memBefore.numBytes)),
    tensorsHeld: last.memAfter.numTensors,
  };
}

async function openHarness(browser, base, backend) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(`${base}/bench?backend=${backend}`, { waitUntil: 'load' });
  await page.waitForFunction(() => Boolean(window.__bench), null, { timeout: 60_000 });
  const init = await page.evaluate(() => window.__bench.init());
  return { context, page, init, errors };
}

/** Runs one measurement; on failure records the error on `out.failed` and returns undefined. */
async function step(out, name, fn) {
  try {
    return await fn();
  } catch (e) {
    const msg = String(e?.message ?? e).split('\n')[0];
    out.failed.push(`${name}: ${msg}`);
    log(`FAILED ${out.backend} ${name}: ${msg}`);
    return undefined;
  }
}

async function benchBackend(browser, base, backend, withMobileNet, budgetLeft, isDefault) {
  const { context, page, init, errors } = await openHarness(browser, base, backend);
  const out = {
    backend,
    requested: backend,
    active: init.backend.backend,
    reason: init.backend.reason,
    renderer: init.backend.renderer ?? null,
    userAgent: init.userAgent,
    longTaskSupported: init.longTaskSupported,
    models: [],
    skipped: [],
    failed: [],
  };
  if (init.backend.backend !== backend) {
    out.skipped.push(`${backend} could not start (${init.backend.reason})`);
    await context.close();
    return out;
  }
  log(`${backend}: ${init.backend.reason}${init.backend.renderer ? ` — renderer ${init.backend.renderer}` : ''}`);

  // --- the Fashion-MNIST CNN (28×28×1)
  const t28 = Date.now();
  const fashion = await page.evaluate((id) => window.__bench.prepareBundled(id), FASHION);
  const fwd28 = await page.evaluate(
    ([id]) => window.__bench.forward(id, [1, 8, 32, 64, 128], 5, true),
    [fashion.modelId],
  );
  const overrides = isDefault ? {} : OTHER_BACKEND_CONFIGS;
  const reps = isDefault ? REPS : 1;
  const m28 = {
    model: FASHION,
    inputShape: fashion.inputShape,
    paramCount: fashion.paramCount,
    forward: fwd28,
    methods: [],
    configNote: isDefault
      ? `default configs, median of ${reps}`
      : `default configs except ${JSON.stringify(overrides)}, 1 run`,
  };
  for (const method of init.methods) {
    const r = await step(out, `${FASHION} ${method}`, () =>
      measureMethod(page, fashion, method, overrides[method] ?? {}, reps),
    );
    if (!r) continue;
    m28.methods.push(r);
    log(`${backend} ${FASHION} ${method}: ${r.wallMs.toFixed(1)} ms (worker ${r.workerMs.toFixed(1)} ms)`);
  }
  m28.occlusion = await step(out, 'occlusion vs naive', () =>
    page.evaluate((p) => window.__bench.occlusionVsNaive(p, { windowSize: 8, stride: 4, batchSize: 32 }), fashion),
  );
  m28.gradCam = await step(out, 'Grad-CAM cached vs rebuild', () =>
    page.evaluate((p) => window.__bench.gradCamCachedVsRebuild(p, 10), fashion),
  );
  if (isDefault)
    m28.evaluation = await step(out, 'evaluation vs inference', () =>
      page.evaluate(
        ([id, set]) => window.__bench.evaluationVsInference(id, set, 256),
        [fashion.modelId, fashion.datasetId],
      ),
    );
  else out.skipped.push('evaluation vs pure inference: only on the default backend');
  m28.memoryEnd = await step(out, 'memory', () => page.evaluate(() => window.__bench.memory()));
  m28.ms = Date.now() - t28;
  out.models.push(m28);
  log(`${backend} ${FASHION} done in ${(m28.ms / 1000).toFixed(0)} s`);

  // --- the MobileNet-sized network (224×224×3)
  if (!withMobileNet) {
    out.skipped.push(
      `MobileNet 224×224 on ${backend}: skipped (not in --mobilenet-backends; too slow for the ~10 min budget)`,
    );
  } else if (budgetLeft() < 150_000) {
    out.skipped.push(
      `MobileNet 224×224 on ${backend}: skipped (time budget: ${(budgetLeft() / 1000).toFixed(0)} s left)`,
    );
  } else {
    const t224 = Date.now();
    const id = `bench-mobilenet-${ALPHA}`;
    const mb = await page.evaluate((o) => window.__bench.prepareMobileNet(o), { id, alpha: ALPHA, inputSize: 224 });
    log(`${backend} mobilenet registered (${mb.paramCount} params, ${mb.buildMs.toFixed(0)} ms)`);
    const fwd224 = await page.evaluate(([mid]) => window.__bench.forward(mid, [1, 4, 8], 2, true), [mb.modelId]);
    log(
      `${backend} mobilenet forward: ${fwd224.map((r) => `${r.batchSize}: ${r.forwardMsPerImage.toFixed(1)}/${r.gradientMsPerImage?.toFixed(1)} ms`).join(', ')}`,
    );
    const m224 = {
      model: `mobilenet-v1 α=${ALPHA} 224 (random weights)`,
      inputShape: mb.inputShape,
      paramCount: mb.paramCount,
      buildMs: mb.buildMs,
      forward: fwd224,
      methods: [],
      configNote: `reduced: ${JSON.stringify(MOBILENET_CONFIGS)}`,
    };
    for (const method of init.methods) {
      if (budgetLeft() < 60_000) {
        out.skipped.push(`MobileNet ${method} on ${backend}: skipped (time budget)`);
        continue;
      }
      const r = await step(out, `mobilenet ${method}`, () =>
        measureMethod(page, mb, method, MOBILENET_CONFIGS[method] ?? {}, 1),
      );
      if (!r) continue;
      m224.methods.push(r);
      log(`${backend} mobilenet ${method}: ${r.wallMs.toFixed(0)} ms (worker ${r.workerMs.toFixed(0)} ms)`);
    }
    if (budgetLeft() > 45_000)
      m224.occlusion = await step(out, 'mobilenet occlusion vs naive', () =>
        page.evaluate((p) => window.__bench.occlusionVsNaive(p, { windowSize: 32, stride: 32, batchSize: 8 }), mb),
      );
    else out.skipped.push('MobileNet naive occlusion: skipped (time budget)');
    if (budgetLeft() > 30_000)
      m224.gradCam = await step(out, 'mobilenet Grad-CAM cached vs rebuild', () =>
        page.evaluate((p) => window.__bench.gradCamCachedVsRebuild(p, 3), mb),
      );
    else out.skipped.push('MobileNet Grad-CAM rebuild: skipped (time budget)');
    await step(out, 'mobilenet dispose', () => page.evaluate((mid) => window.__bench.dispose(mid), mb.modelId));
    m224.memoryEnd = await step(out, 'memory', () => page.evaluate(() => window.__bench.memory()));
    m224.ms = Date.now() - t224;
    out.models.push(m224);
    log(`${backend} mobilenet done in ${(m224.ms / 1000).toFixed(0)} s`);
  }
  out.pageErrors = errors;
  await context.close();
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Report

const f = (x, d = 1) => (x == null || Number.isNaN(x) ? '–' : Number(x).toFixed(d));
const kb = (b) => `${(b / 1024).toFixed(1)} kB`;

function table(headers, rows) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) =>
    cells.map((c, i) => (i === 0 || i === 1 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ');
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** Best (lowest) forward ms per image over the batch sizes measured, and its batch size. */
function bestForward(rows) {
  return rows.reduce((b, r) => (r.forwardMsPerImage < b.forwardMsPerImage ? r : b));
}

function report(result) {
  const lines = [];
  const targets = [];
  lines.push(
    `Machine: ${result.machine.cpu} × ${result.machine.cores} cores, ${result.machine.memGiB} GiB, load avg ${result.machine.loadAvg.join(' / ')} (start) → ${result.machine.loadAvgEnd?.join(' / ') ?? '?'} (end)`,
  );
  lines.push(`Browser: ${result.browser.version} (headless), ${result.browser.userAgent ?? ''}`);
  lines.push(
    `Node ${process.version}; build ${result.build.built ? `rebuilt in ${f(result.build.ms / 1000, 0)} s` : 'reused'}; total ${f(result.totalMs / 1000, 0)} s`,
  );
  lines.push('');
  for (const b of result.backends) {
    lines.push(
      `== backend ${b.requested}${b.active !== b.requested ? ` (got ${b.active})` : ''}: ${b.reason}${b.renderer ? `; renderer: ${b.renderer}` : ''}`,
    );
    for (const m of b.models) {
      const best = bestForward(m.forward);
      lines.push(
        `-- ${m.model} [${m.inputShape.join('×')}], ${m.paramCount.toLocaleString('en')} params; ${m.configNote}`,
      );
      lines.push(
        `   forward ms/image by batch size: ${m.forward.map((r) => `${r.batchSize}: ${f(r.forwardMsPerImage, 2)}`).join(', ')}; ` +
          `fwd+bwd ms/image: ${m.forward.map((r) => `${r.batchSize}: ${f(r.gradientMsPerImage, 2)}`).join(', ')}; ` +
          `measured (fwd+bwd)/fwd at batch ${best.batchSize}: ${f(best.gradientMsPerImage / best.forwardMsPerImage, 2)}`,
      );
      const rows = m.methods.map((r) => {
        // The method's own time in the worker (from request to result, without the RPC and the page's painting).
        const ratio = r.workerMs / (r.fe * best.forwardMsPerImage);
        r.overhead = ratio;
        return [
          r.method,
          Object.keys(r.configOverride).length ? JSON.stringify(r.configOverride).replace(/"/g, '') : 'default',
          f(r.wallMs, 1),
          f(r.workerMs, 1),
          f(r.paintMs, 1),
          r.modelCalls,
          `${r.fe} (${r.feFormula})`,
          f(best.forwardMsPerImage, 3),
          f(ratio, 2),
          `${r.longTasks}${r.longTasks ? ` (max ${f(r.longestTaskMs, 0)} ms)` : ''}`,
          r.paintLongTasks,
          `${r.tensorsDelta} / ${r.bytesDelta}`,
        ];
      });
      lines.push(
        table(
          [
            'method',
            'config',
            'wall ms',
            'worker ms',
            'paint ms',
            'calls',
            'forward-equiv.',
            'fwd ms/img',
            'overhead',
            'long tasks',
            'paint LT',
            'Δtensors / Δbytes',
          ],
          rows,
        ),
      );
      if (m.occlusion) {
        const o = m.occlusion;
        o.speedup = o.naiveMs / o.batchedMs;
        lines.push(
          `   occlusion batched vs naive (${o.windows} windows): ${f(o.batchedMs)} ms (${o.batchedCalls} calls) vs ${f(o.naiveMs)} ms (${o.naiveCalls} calls) → ${f(o.speedup, 1)}× faster; max |Δmap| ${o.maxAbsDiff.toExponential(1)}`,
        );
      }
      if (m.gradCam) {
        const g = m.gradCam;
        g.speedup = g.rebuildMs / g.cachedMs;
        lines.push(
          `   Grad-CAM (${g.layer}) median of ${g.reps}: cached ${f(g.cachedMs, 2)} ms vs rebuild-per-call ${f(g.rebuildMs, 2)} ms → ${f(g.speedup, 2)}× faster; first calls ${f(g.firstCachedMs)} / ${f(g.firstRebuildMs)} ms; max |Δcam| ${g.maxAbsDiff.toExponential(1)}`,
        );
      }
      if (m.evaluation) {
        const e = m.evaluation;
        e.ratio = e.evaluateMs / e.purePredictMs;
        lines.push(
          `   evaluation of ${e.n} images (batch ${e.batchSize}, best of ${e.rounds}): evaluate ${f(e.evaluateMs)} ms (worker ${f(e.evaluateWorkerMs)}: prep ${f(e.prepMs)}, infer ${f(e.inferMs)}) vs pure tidy(predict) ${f(e.purePredictMs)} ms ` +
            `→ ${f(e.ratio, 2)}× (vs adapter-only loop ${f(e.pureAdapterMs)} ms: ${f(e.evaluateMs / e.pureAdapterMs, 2)}×); max |Δp| ${e.maxAbsDiffPredict.toExponential(1)}; long tasks ${e.longTasks}`,
        );
      }
      if (m.memoryEnd)
        lines.push(`   tensors held at the end: ${m.memoryEnd.numTensors} (${kb(m.memoryEnd.numBytes)})`);
    }
    for (const s of b.skipped) lines.push(`   skipped: ${s}`);
    for (const s of b.failed ?? []) lines.push(`   FAILED: ${s}`);
    if (b.pageErrors?.length) lines.push(`   page errors: ${b.pageErrors.slice(0, 3).join(' | ')}`);
    lines.push('');
  }
  const js = result.initialJs;
  lines.push(
    `Initial JavaScript of the Explain page (main thread, before the worker/tfjs chunks): ${js.files.length} files, ${kb(js.gzipBytes)} gzip (${kb(js.rawBytes)} raw)`,
  );
  lines.push(
    `   largest: ${js.files
      .slice(0, 4)
      .map((x) => `${x.url.split('/').pop()} ${kb(x.gzip)}`)
      .join(', ')}`,
  );
  lines.push(`   worker side (not counted): ${js.workerFiles.length} files, ${kb(js.workerGzipBytes)} gzip`);
  lines.push('');

  // Targets (on the default backend = the one a plain page load picks here, wasm under headless Chromium)
  const def = result.backends.find((b) => b.requested === result.defaultBackend && b.models.length);
  const fm = def?.models.find((m) => m.model === FASHION);
  const mb = def?.models.find((m) => m.model !== FASHION);
  const add = (name, value, ok, note = '') => targets.push([name, value, ok ? 'met' : 'MISSED', note]);
  for (const m of [fm, mb].filter(Boolean)) {
    for (const id of ['occlusion', 'integrated-gradients', 'smoothgrad']) {
      const r = m.methods.find((x) => x.method === id);
      if (r) add(`overhead ≤ 1.3: ${id} (${m.model.split(' ')[0]})`, f(r.overhead, 2), r.overhead <= 1.3);
    }
    if (m.occlusion)
      add(
        `batched occlusion ≥ 5× naive (${m.model.split(' ')[0]})`,
        `${f(m.occlusion.speedup, 1)}×`,
        m.occlusion.speedup >= 5,
      );
    if (m.gradCam)
      add(
        `cached Grad-CAM ≥ 2× rebuild (${m.model.split(' ')[0]})`,
        `${f(m.gradCam.speedup, 2)}×`,
        m.gradCam.speedup >= 2,
      );
  }
  const allRuns = result.backends.flatMap((b) =>
    b.models.flatMap((m) => m.methods.map((r) => ({ b: b.requested, m: m.model, r }))),
  );
  const lt = allRuns.filter((x) => x.r.longTasks > 0);
  add(
    '0 main-thread long tasks during explanations (all backends)',
    String(lt.reduce((a, x) => a + x.r.longTasks, 0)),
    lt.length === 0,
    lt.map((x) => `${x.b}/${x.r.method}`).join(', '),
  );
  const leaks = allRuns.filter((x) => x.r.tensorsDelta !== 0);
  add(
    'memory returns to baseline after each method (all backends)',
    `${leaks.length} leaking`,
    leaks.length === 0,
    leaks.map((x) => `${x.b}/${x.r.method}`).join(', '),
  );
  if (fm?.evaluation)
    add('evaluation ≤ 1.2× pure inference', `${f(fm.evaluation.ratio, 2)}×`, fm.evaluation.ratio <= 1.2);
  add('initial JavaScript ≤ 300 kB gzip', kb(js.gzipBytes), js.gzipBytes <= 300 * 1024);
  lines.push(`Targets (default backend: ${result.defaultBackend}):`);
  lines.push(table(['target', 'value', 'status', 'note'], targets));
  result.targets = targets.map(([target, value, status, note]) => ({ target, value, status, note }));
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------------

async function main() {
  const machine = {
    cpu: os.cpus()[0]?.model ?? 'unknown CPU',
    cores: os.cpus().length,
    memGiB: Math.round(os.totalmem() / 2 ** 30),
    loadAvg: os.loadavg().map((x) => Number(x.toFixed(2))),
    platform: `${os.platform()} ${os.release()}`,
  };
  log(`machine: ${machine.cpu} × ${machine.cores}, load ${machine.loadAvg.join(' ')}`);
  let build = { built: false, ms: 0 };
  let server;
  if (args.url) {
    server = { base: args.url.replace(/\/$/, ''), stop: () => undefined };
  } else {
    build = buildIfStale();
    server = await startServer();
  }
  const budgetLeft = () => BUDGET_MS - (elapsed() - build.ms);
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: chromiumArgs() });
  const result = {
    startedAt: new Date(started).toISOString(),
    machine,
    browser: { version: browser.version() },
    build,
    backends: [],
    args,
  };
  try {
    // Which backend does a plain page load pick here?
    const probe = await openHarness(browser, server.base, '');
    result.defaultBackend = probe.init.backend.backend;
    result.defaultReason = probe.init.backend.reason;
    result.browser.userAgent = probe.init.userAgent;
    await probe.context.close();
    log(`default backend: ${result.defaultBackend} (${result.defaultReason})`);
    result.initialJs = await initialJs(browser, server.base);
    log(`initial JS: ${kb(result.initialJs.gzipBytes)} gzip in ${result.initialJs.files.length} files`);
    // The default backend first (it carries the targets), then the others.
    const order = [...new Set([result.defaultBackend, ...BACKENDS])].filter((b) => BACKENDS.includes(b));
    for (const backend of order) {
      if (budgetLeft() < 60_000) {
        result.backends.push({
          requested: backend,
          active: null,
          reason: 'skipped: time budget',
          models: [],
          skipped: ['whole backend: time budget'],
        });
        continue;
      }
      try {
        result.backends.push(
          await benchBackend(
            browser,
            server.base,
            backend,
            MOBILENET_BACKENDS.includes(backend),
            budgetLeft,
            backend === result.defaultBackend,
          ),
        );
      } catch (e) {
        log(`FAILED backend ${backend}: ${e.message}`);
        result.backends.push({
          requested: backend,
          active: null,
          reason: `failed: ${String(e.message).split('\n')[0]}`,
          models: [],
          skipped: [],
          failed: [String(e.message)],
        });
      }
    }
  } finally {
    await browser.close();
    server.stop();
  }
  result.machine.loadAvgEnd = os.loadavg().map((x) => Number(x.toFixed(2)));
  result.totalMs = elapsed();
  const text = report(result);
  console.log(`\n${text}\n`);
  const dir = join(root, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const stamp = result.startedAt.replace(/[:.]/g, '-');
  const json = JSON.stringify({ ...result, report: text }, null, 1);
  writeFileSync(join(dir, `bench-${stamp}.json`), json);
  writeFileSync(join(dir, 'latest.json'), json);
  writeFileSync(join(dir, 'latest.txt'), text + '\n');
  log(`wrote bench/results/bench-${stamp}.json (and latest.json, latest.txt)`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
