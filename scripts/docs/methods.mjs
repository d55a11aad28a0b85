#!/usr/bin/env node
/**
 * Rewrites the README's generated "Explanation methods" section from the method catalog
 * (lib/explain/methods/<id>/meta.ts), or with --check only verifies it is current (exit 1 when stale).
 * The rendering lives in lib/explain-view/method-docs.ts (TypeScript); this script runs its test, which
 * compares the README with the generated text and, with UPDATE_README=1, writes it first.
 *   node scripts/docs/methods.mjs          # refresh README.md
 *   node scripts/docs/methods.mjs --check  # verify only
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const check = process.argv.includes('--check');
const r = spawnSync('npx', ['vitest', 'run', 'lib/explain-view/method-docs.test.ts'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, UPDATE_README: check ? '0' : '1' },
});
if (r.error) throw r.error;
process.exit(r.status ?? 1);
