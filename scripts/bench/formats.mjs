#!/usr/bin/env node
// Part of `npm run bench`: the slow browser checks of e2e/bench/*.bench.ts — the ONNX load / per-method
// checks (formats.bench.ts) and every method against the PyTorch reference (reference.bench.ts, which runs
// scripts/bench/torch_reference.py on the same weights) — too slow for CI. Makes sure the corpus (.corpus/onnx) and the 178 MB model (.corpus/onnx-big, made by
// scripts/corpus/export_big.py) exist, then runs Playwright with e2e/bench/playwright.config.ts (its own
// port and build folder). Prints "[formats-bench]" lines; writes bench/results/formats.json.
//
//   node scripts/bench/formats.mjs [--port=3106] [reference]   (names: only those bench files)
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureCorpus } from '../corpus/ensure-corpus.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const argv = process.argv.slice(2);
const port = argv.map((a) => /^--port=(\d+)$/.exec(a)?.[1]).find(Boolean) ?? '3106';
const only = argv.filter((a) => !a.startsWith('--'));
const python = process.env.CORPUS_PYTHON || '/usr/bin/python3';

ensureCorpus();
if (!existsSync(join(root, '.corpus', 'onnx-big', 'manifest.json'))) {
  const r = spawnSync(python, [join(root, 'scripts', 'corpus', 'export_big.py')], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
const r = spawnSync(
  process.execPath,
  [
    join(root, 'node_modules', '@playwright', 'test', 'cli.js'),
    'test',
    '-c',
    'e2e/bench/playwright.config.ts',
    ...only,
  ],
  {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, E2E_PORT: port, E2E_DIST_DIR: process.env.E2E_DIST_DIR ?? '.next-e2e-bench' },
  },
);
process.exit(r.status ?? 1);
