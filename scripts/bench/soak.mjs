#!/usr/bin/env node
/**
 * `node scripts/bench/soak.mjs`: the soak bench (issue #19). Runs scripts/bench/soak.run.ts (300 explanations,
 * every method, two models, seeded random switches and cancels, tfjs WASM in Node) and prints its figures as
 * Markdown, with the JS heap after GC at six points (a plateau or steady growth). SOAK_RUNS=N changes the count,
 * SOAK_METHODS=a,b the methods, SOAK_SNAPSHOTS=dir writes V8 heap snapshots at those points. Fails (exit 1)
 * on an error, a leaked tensor or leaked bytes.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const out = join(mkdtempSync(join(tmpdir(), 'soak-')), 'soak.json');
execFileSync('npx', ['vitest', 'run', '-c', 'scripts/bench/vitest.soak.config.mts'], {
  stdio: 'inherit',
  env: { ...process.env, SOAK_OUT: out },
});
const r = JSON.parse(readFileSync(out, 'utf8'));
const mb = (b) => `${(b / 1024 / 1024).toFixed(1)} MB`;
console.log(`| Runs | Done | Cancelled | Model switches | Errors | Tensors before → after | tfjs bytes before → after (peak) | JS heap before → after (peak) | Time |
| --- | --- | --- | --- | --- | --- | --- | --- | --- |
| ${r.runs} (${r.methods} methods × ${r.models.join(', ')}) | ${r.done} | ${r.cancelled} | ${r.switches} | ${r.errors.length} | ${r.base.tensors} → ${r.end.tensors} | ${mb(r.base.bytes)} → ${mb(r.end.bytes)} (${mb(r.peakBytes)}) | ${mb(r.base.heap)} → ${mb(r.end.heap)} (${mb(r.peakHeap)}) | ${r.seconds.toFixed(0)} s |`);
// Plateau or steady growth: the heap after GC at each check.
console.log(`\nJS heap after GC by runs: ${r.heapAt.map((h) => `${h.runs}: ${mb(h.heap)}`).join(' · ')}`);
