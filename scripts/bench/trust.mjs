#!/usr/bin/env node
/**
 * `node scripts/bench/trust.mjs`: the Trust bench (issue 15). Runs scripts/bench/trust.run.ts through Vitest
 * (its own config, not part of `npm test`) on WASM in Node — the production worker core and its Trust jobs,
 * the code the Trust tab calls — over the bundled fashion-finetuned model, and prints Markdown:
 *   1. which methods pass the sanity check (cascading randomisation), with the lowest ρ / SSIM reached;
 *   2. deletion / insertion AUC per method averaged over 100 evaluation images, against the random floor;
 *   3. accuracy at FGSM ε = 1, 2, 4, 8 /255 and Gaussian σ, and the median flip ε;
 *   4. the median flip ε by FGSM and by the PGD search (bisection, 10 PGD steps per radius) on the same images;
 *   5. feature visualisation: each spatial layer's first channels, with and without the regularisers.
 *
 *   node scripts/bench/trust.mjs                          # run (~10–20 min on 2 busy cores) and print
 *   node scripts/bench/trust.mjs --from=out.json          # only print an earlier run
 *   node scripts/bench/trust.mjs --images=100 --sanity=5 --robust=500 --pgd=100 --vis=8
 *   node scripts/bench/trust.mjs --parts=pgd,vis           # only some parts (sanity, faith, robust, pgd, vis)
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: Object.fromEntries(
    ['from', 'images', 'sanity', 'robust', 'model', 'pgd', 'vis', 'parts'].map((k) => [k, { type: 'string' }]),
  ),
});

function run() {
  const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'trust-')), 'trust.json');
  const env = { ...process.env, TRUST_BENCH_OUT: out };
  if (args.images) env.TRUST_BENCH_IMAGES = args.images;
  if (args.sanity) env.TRUST_BENCH_SANITY = args.sanity;
  if (args.robust) env.TRUST_BENCH_ROBUST = args.robust;
  if (args.model) env.TRUST_BENCH_MODEL = args.model;
  if (args.pgd) env.TRUST_BENCH_PGD = args.pgd;
  if (args.vis) env.TRUST_BENCH_VIS = args.vis;
  if (args.parts) env.TRUST_BENCH_PARTS = args.parts;
  execFileSync('npx', ['vitest', 'run', '--config', 'scripts/bench/vitest.trust.config.mts'], {
    stdio: 'inherit',
    env,
  });
  return out;
}

const f3 = (v) => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(3) : '—');
const pct = (v) => (typeof v === 'number' && Number.isFinite(v) ? `${(v * 100).toFixed(1)} %` : '—');
const levels = (e) => `${Math.round(e * 255)}/255`;
const flip = (e) => (e === null || e === undefined ? '> 32/255' : `${(e * 255).toFixed(1)}/255`);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const file = args.from ?? run();
const r = JSON.parse(readFileSync(file, 'utf8'));
const lines = [];
lines.push(`Trust bench — ${r.model} on ${r.dataset} (WASM in Node, the worker core's Trust jobs)`, '');
if (r.sanity.length > 0) {
  lines.push(`### Sanity check (cascading randomisation, ${r.sanityImages} images, predicted class)`, '');
  lines.push('| Method | Verdicts | Lowest ρ (median) | Lowest SSIM (median) |', '|---|---|---:|---:|');
  for (const s of r.sanity) {
    const counts = ['passes', 'partly', 'fails']
      .map((v) => [v, s.verdicts.filter((x) => x === v).length])
      .filter(([, n]) => n > 0);
    lines.push(
      `| ${s.method} | ${counts.map(([v, n]) => `${v} ${n}`).join(', ')} | ${f3(median(s.minSpearman))} | ${f3(median(s.minSsim))} |`,
    );
  }
  lines.push('');
}
if (r.faith) {
  lines.push(`### Deletion / insertion (${r.faith.n} images, ${r.faith.steps} steps, predicted class)`, '');
  lines.push('| Method | Deletion AUC ↓ | Insertion AUC ↑ | Beats random (del / ins) |', '|---|---:|---:|---:|');
  for (const m of r.faith.methods)
    lines.push(
      `| ${m.method} | ${f3(m.deletion)} | ${f3(m.insertion)} | ${pct(m.beatsDeletion)} / ${pct(m.beatsInsertion)} |${m.error ? ` ${m.error}` : ''}`,
    );
  lines.push(`| random order (floor) | ${f3(r.faith.randomDeletion)} | ${f3(r.faith.randomInsertion)} | |`, '');
}
if (r.robust) {
  lines.push(`### Robustness (${r.robust.n} images, true labels)`, '');
  lines.push(`Clean accuracy ${pct(r.robust.cleanAccuracy)}; median FGSM flip ε ${flip(r.robust.medianFlip)}.`, '');
  lines.push(
    `| FGSM ε | ${r.robust.epsilons.map(levels).join(' | ')} |`,
    `|---|${r.robust.epsilons.map(() => '---:').join('|')}|`,
  );
  lines.push(`| accuracy | ${r.robust.fgsmAccuracy.map(pct).join(' | ')} |`, '');
  lines.push(`| Gaussian σ | ${r.robust.sigmas.join(' | ')} |`, `|---|${r.robust.sigmas.map(() => '---:').join('|')}|`);
  lines.push(`| accuracy | ${r.robust.noiseAccuracy.map(pct).join(' | ')} |`, '');
}
if (r.pgd) {
  lines.push(`### Smallest flip ε, FGSM vs PGD (${r.pgd.n} images, decision away from the clean prediction)`, '');
  lines.push('| Search | Median flip ε |', '|---|---:|');
  lines.push(`| FGSM (one step, ε = 1 … 32/255) | ${flip(r.pgd.medianFlip)} |`);
  lines.push(`| PGD (10 steps per radius, bisection) | ${flip(r.pgd.medianFlipPgd)} |`);
  lines.push(`| ratio PGD / FGSM | ${f3(r.pgd.medianFlipPgd / r.pgd.medianFlip)} |`, '');
}
if (r.vis?.length) {
  lines.push('### Feature visualisation (from grey, 48 steps; channels whose mean rose / searched)', '');
  lines.push(
    '| Layer | Rose, jitter + blur | Rose, plain | Mean before → after, plain (median) | ms per run |',
    '|---|---:|---:|---|---:|',
  );
  for (const layer of [...new Set(r.vis.map((v) => v.layer))]) {
    const rows = r.vis.filter((v) => v.layer === layer);
    const [reg, plain] = [rows.filter((v) => v.regularise), rows.filter((v) => !v.regularise)];
    const rose = (xs) => `${xs.filter((v) => v.last > v.first).length}/${xs.length}`;
    lines.push(
      `| ${layer} | ${rose(reg)} | ${rose(plain)} | ${f3(median(plain.map((v) => v.first)))} → ${f3(median(plain.map((v) => v.last)))} | ${Math.round(median(rows.map((v) => v.ms)))} |`,
    );
  }
}
console.log(lines.join('\n'));
console.log(`\n(JSON: ${file})`);
