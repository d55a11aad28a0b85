#!/usr/bin/env node
/**
 * `node scripts/bench/ood.mjs`: calibration of the out-of-distribution check (issue #14 item 4). Runs
 * scripts/bench/ood.run.ts (each bundled model through the real worker job, tfjs WASM in Node: reference on
 * one half of its set, scored on the other half, the other bundled set and tinted colour versions) and
 * prints the rates as Markdown. OOD_MODELS=a,b limits the models.
 */
import { runBenchJson } from './run-vitest.mjs';

const rows = runBenchJson('scripts/bench/vitest.ood.config.mts', 'OOD_OUT');
const pc = (v) => `${(v * 100).toFixed(1)} %`;
console.log(`| Model (reference: half of its set) | Threshold | Flagged, held-in half | False alarms, held-out half (input stats only) | Other bundled set flagged (input stats only) | Tinted colour versions flagged | Time |
| --- | --- | --- | --- | --- | --- | --- |`);
for (const r of rows)
  console.log(
    `| ${r.model} (${r.n.toLocaleString('en')} of ${r.set}) | ${r.threshold.toFixed(2)} | ${pc(r.heldIn)} | ${pc(r.falseAlarm)} (${pc(r.falseAlarmInput)}) | ${r.other}: ${pc(r.otherSet)} (${pc(r.otherSetInput)}) | ${pc(r.tinted)} | ${r.seconds.toFixed(0)} s |`,
  );
