#!/usr/bin/env node
// Part of `npm run bench`: the ONNX load / per-method browser checks (e2e/bench/formats.bench.ts) that are
// too slow for CI. Makes sure the corpus (.corpus/onnx) and the 178 MB model (.corpus/onnx-big, made by
// scripts/corpus/export_big.py) exist, then runs Playwright with e2e/bench/playwright.config.ts (its own
// port and build folder). Prints "[formats-bench]" lines; writes bench/results/formats.json.
//
//   node scripts/bench/formats.mjs [--port=3106]
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureCorpus } from '../corpus/ensure-corpus.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const port = /^--port=(\d+)$/.exec(process.argv[2] ?? '')?.[1] ?? '3106';
const python = process.env.CORPUS_PYTHON || '/usr/bin/python3';

ensureCorpus();
if (!existsSync(join(root, '.corpus', 'onnx-big', 'manifest.json'))) {
  const r = spawnSync(python, [join(root, 'scripts', 'corpus', 'export_big.py')], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
const r = spawnSync(
  process.execPath,
  [join(root, 'node_modules', '@playwright', 'test', 'cli.js'), 'test', '-c', 'e2e/bench/playwright.config.ts'],
  {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, E2E_PORT: port, E2E_DIST_DIR: process.env.E2E_DIST_DIR ?? '.next-e2e-bench' },
  },
);
process.exit(r.status ?? 1);
