#!/usr/bin/env node
/**
 * `npm run bench:budget`: the budget bench (issue 12 items 5–6). Runs scripts/bench/budget-corpus.run.ts
 * through Vitest (its own config, not part of `npm test`) on WASM in Node over the corpus models and prints:
 *   1. per model: the measured passes, each offered method's time at the budget-sized defaults with the
 *      estimate made before the run, and IG's completeness error at the default steps;
 *   2. IG's completeness error versus steps for each quadrature rule (median and worst over the models).
 *
 *   node scripts/bench/budget.mjs                    # run (~10–20 min on 2 busy cores) and print Markdown
 *   node scripts/bench/budget.mjs --from=out.json    # only print an earlier run
 *   node scripts/bench/budget.mjs --models=bundled/mnist-cnn,human/emotion
 *   node scripts/bench/budget.mjs --probe [--backends=wasm,cpu]   # 3. the probe and Cancel at 224×224
 *   node scripts/bench/budget.mjs --cancel   # 4. Cancel during one long gradient, in pieces and in one piece
 *
 * 3. (--probe, scripts/bench/probe-cancel.run.ts) on the 224×224 MobileNet-v1 through the worker core: the
 *    capability probe's two phases, and Cancel during a long IG run followed by Grad-CAM.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const args = Object.fromEntries(
  process.argv.slice(2).map((a) => {
    const m = /^--([^=]+)(?:=(.*))?$/.exec(a);
    if (!m) throw new Error(`unknown argument ${a}`);
    return [m[1], m[2] ?? 'true'];
  }),
);

/** Runs one measurement file of the budget bench; its JSON lands in the returned path. */
function run(file, outVar) {
  const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'budget-')), 'budget.json');
  const env = { ...process.env, [outVar]: out };
  if (args.models) env.BUDGET_BENCH_MODELS = args.models;
  if (args.backends) env.PROBE_BENCH_BACKENDS = args.backends;
  console.log(`budget bench: ${file} → ${out}`);
  execFileSync('npx', ['vitest', 'run', '--config', 'scripts/bench/vitest.budget.config.mts', file], {
    stdio: 'inherit',
    env,
  });
  return out;
}

/** Cancel during one long gradient, in pieces and in one piece (scripts/bench/cancel-pieces.run.ts). */
export function renderCancel(data) {
  const lines = [
    '| model | gradient | load | gradient pass (1 image) | pieces | click handled after | Grad-CAM started after | thread held at most | in pieces ÷ one piece |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of data.rows) {
    lines.push(
      `| \`${r.model}\` | ${r.split ? 'in pieces' : 'one piece'} | ${r.load.toFixed(1)} | ${s(r.gradientMs)} | ${r.pieces} | ${s(r.handledMs)} | ${s(r.gradCamStartMs)} | ${s(r.heldMs)} | ${r.ratio === null ? '—' : r.ratio.toFixed(2)} |`,
    );
  }
  return lines.join('\n');
}

/** The probe and Cancel rows (scripts/bench/probe-cancel.run.ts) as Markdown. */
export function renderProbe(data) {
  const lines = [
    '| backend | load | probe phase 1 | probe phase 2 | forward / image | Cancel: click handled after | Grad-CAM started after | longest IG call | Grad-CAM run |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of data.rows) {
    lines.push(
      `| ${r.backend} | ${r.load.toFixed(1)} | ${s(r.phase1Ms)} | ${s(r.phase2Ms)} | ${s(r.forwardMs)} | ${s(r.handledMs)} | ${s(r.gradCamStartMs)} | ${r.longestCallMs === null ? '—' : s(r.longestCallMs)} | ${s(r.gradCamMs)} |`,
    );
  }
  const refused = data.rows.filter((r) => r.refused.length).map((r) => `${r.backend}: ${r.refused.join(', ')}`);
  if (refused.length) lines.push('', `Refused by the probe: ${refused.join('; ')}`);
  return lines.join('\n');
}

const s = (ms) =>
  ms >= 10_000 ? `${(ms / 1000).toFixed(0)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
const pct = (v) => (typeof v === 'number' && Number.isFinite(v) ? `${(v * 100).toFixed(v < 0.01 ? 2 : 1)} %` : '—');
const median = (xs) => {
  const a = [...xs].sort((x, y) => x - y);
  const m = Math.floor(a.length / 2);
  return a.length % 2 ? a[m] : (a[m - 1] + a[m]) / 2;
};

function cell(c) {
  if (!c) return '—';
  if (c.error) return `error: ${c.error.replace(/\|/g, '\\|').slice(0, 60)}`;
  if (c.skipped) return `not run (est. ${s(c.estimateMs)})`;
  return `${s(c.ms)} (est. ${s(c.estimateMs)})`;
}

/**
 * IG's completeness at the defaults: the relative error and the steps used; when the ends of the path nearly
 * cancel (|Δ| < 5 % of Σ|ΔS| along it, lib/explain's readCompleteness) the relative figure is meaningless, so
 * the absolute error and its share of the score's movement are printed beside it.
 */
function nearZero(ig) {
  const v = ig?.scoreVariation;
  return typeof v === 'number' && (v === 0 || Math.abs(ig.scoreDelta) < 0.05 * v);
}

function completenessCell(ig) {
  if (!ig || typeof ig.completenessError !== 'number') return '—';
  const steps = ig.stepsUsed ? ` (${ig.stepsUsed} steps)` : '';
  const v = ig.scoreVariation;
  if (v === 0) {
    return `Δ = 0, the score never moves (saturated): nothing to share out (abs. ${ig.absoluteCompletenessError.toPrecision(2)})${steps}`;
  }
  if (nearZero(ig)) {
    const abs = ig.absoluteCompletenessError;
    return `Δ ≈ 0: ${abs.toPrecision(2)} abs. = ${pct(abs / v)} of the path's Σ\|ΔS\| ${v.toPrecision(2)} (Δ ${ig.scoreDelta.toPrecision(2)}; rel. ${pct(ig.completenessError)})${steps}`;
  }
  return `${pct(ig.completenessError)}${steps}`;
}

export function render(data) {
  const rows = data.rows.filter((r) => !r.refused);
  // Method ids in registry order, as the run recorded them.
  const ids = data.methods ?? [...new Set(rows.flatMap((r) => Object.keys(r.methods)))];
  const methods = ids.filter((m) => rows.some((r) => r.methods[m]));
  const lines = [];
  lines.push(
    `| model | input | load | fwd / grad (1 image) | ${methods.map((m) => `\`${m}\``).join(' | ')} | IG completeness |`,
  );
  lines.push(`| --- | --- | ---: | ---: | ${methods.map(() => '---:').join(' | ')} | ---: |`);
  for (const r of rows) {
    const t = r.basis.timings;
    const ig = r.methods['integrated-gradients'];
    lines.push(
      `| \`${r.model}\` | ${r.input} | ${typeof r.load === 'number' ? r.load.toFixed(1) : '—'} | ${s(t.forwardMs.one)} / ${s(t.gradientMs.one)} | ${methods.map((m) => cell(r.methods[m])).join(' | ')} | ${completenessCell(ig)} |`,
    );
  }
  for (const r of data.rows.filter((x) => x.refused))
    lines.push(`\nRefused at load: \`${r.model}\` (${r.refused.slice(0, 80)})`);
  lines.push('');
  // Models whose path ends nearly cancel (see completenessCell) would only measure that division.
  const swept = rows.filter((r) => !r.sweepSkipped && !nearZero(r.methods['integrated-gradients']));
  const left = rows.filter((r) => nearZero(r.methods['integrated-gradients'])).map((r) => `\`${r.model}\``);
  for (const r of rows.filter((x) => x.sweepSkipped))
    lines.push(`\nSweep not run on \`${r.model}\` (est. ${s(r.sweepSkipped)} of gradients).`);
  lines.push(
    `IG completeness error versus steps (intervals; points for Gauss–Legendre and midpoint), median / worst over ${swept.length} models` +
      (left.length ? ` (not ${left.join(', ')}: Δ ≈ 0, see above)` : '') +
      ':',
  );
  lines.push('');
  lines.push(`| rule | ${data.steps.join(' | ')} |`);
  lines.push(`| --- | ${data.steps.map(() => '---:').join(' | ')} |`);
  for (const rule of data.rules) {
    const cols = data.steps.map((n) => {
      const xs = swept.map((r) => r.sweep?.[rule]?.[n]).filter((v) => typeof v === 'number');
      return xs.length ? `${pct(median(xs))} / ${pct(Math.max(...xs))}` : '—';
    });
    lines.push(`| ${rule} | ${cols.join(' | ')} |`);
  }
  return lines.join('\n');
}

const probe = args.probe === 'true';
const cancel = args.cancel === 'true';
const file =
  args.from ??
  (cancel
    ? run('scripts/bench/cancel-pieces.run.ts', 'CANCEL_BENCH_OUT')
    : probe
      ? run('scripts/bench/probe-cancel.run.ts', 'PROBE_BENCH_OUT')
      : run('scripts/bench/budget-corpus.run.ts', 'BUDGET_BENCH_OUT'));
console.log(
  `\nload average ${os
    .loadavg()
    .map((v) => v.toFixed(1))
    .join(' ')} on ${os.cpus().length} cores\n`,
);
const data = JSON.parse(readFileSync(file, 'utf8'));
console.log(
  data.rows[0]?.heldMs !== undefined
    ? renderCancel(data)
    : data.rows[0]?.phase1Ms !== undefined
      ? renderProbe(data)
      : render(data),
);
