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

function run() {
  const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'budget-')), 'budget.json');
  const env = { ...process.env, BUDGET_BENCH_OUT: out };
  if (args.models) env.BUDGET_BENCH_MODELS = args.models;
  execFileSync('npx', ['vitest', 'run', '--config', 'scripts/bench/vitest.budget.config.mts'], {
    stdio: 'inherit',
    env,
  });
  return out;
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

export function render(data) {
  const rows = data.rows.filter((r) => !r.refused);
  // Method ids in registry order, as the run recorded them.
  const ids = data.methods ?? [...new Set(rows.flatMap((r) => Object.keys(r.methods)))];
  const methods = ids.filter((m) => rows.some((r) => r.methods[m]));
  const lines = [];
  lines.push(
    `| model | input | fwd / grad (1 image) | ${methods.map((m) => `\`${m}\``).join(' | ')} | IG completeness |`,
  );
  lines.push(`| --- | --- | ---: | ${methods.map(() => '---:').join(' | ')} | ---: |`);
  for (const r of rows) {
    const t = r.basis.timings;
    const ig = r.methods['integrated-gradients'];
    lines.push(
      `| \`${r.model}\` | ${r.input} | ${s(t.forwardMs.one)} / ${s(t.gradientMs.one)} | ${methods.map((m) => cell(r.methods[m])).join(' | ')} | ${pct(ig?.completenessError)}${ig?.stepsUsed ? ` (${ig.stepsUsed} steps)` : ''} |`,
    );
  }
  for (const r of data.rows.filter((x) => x.refused))
    lines.push(`\nRefused at load: \`${r.model}\` (${r.refused.slice(0, 80)})`);
  lines.push('');
  lines.push('IG completeness error versus steps (gradient evaluations), median / worst over the models:');
  lines.push('');
  lines.push(`| rule | ${data.steps.join(' | ')} |`);
  lines.push(`| --- | ${data.steps.map(() => '---:').join(' | ')} |`);
  for (const rule of data.rules) {
    const cols = data.steps.map((n) => {
      const xs = rows.map((r) => r.sweep?.[rule]?.[n]).filter((v) => typeof v === 'number');
      return xs.length ? `${pct(median(xs))} / ${pct(Math.max(...xs))}` : '—';
    });
    lines.push(`| ${rule} | ${cols.join(' | ')} |`);
  }
  return lines.join('\n');
}

const file = args.from ?? run();
console.log(
  `\nload average ${os
    .loadavg()
    .map((v) => v.toFixed(1))
    .join(' ')} on ${os.cpus().length} cores\n`,
);
console.log(render(JSON.parse(readFileSync(file, 'utf8'))));
