/**
 * Shared by the README generators (methods.mjs, onnx-ops.mjs): runs the vitest file that renders a
 * generated README section and compares it with README.md — with UPDATE_README=1 (no --check) it writes
 * the fresh section first. Exits with the test's status (1 when the README is stale under --check).
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Runs `testFile` (relative to the repo root); refreshes README.md unless the command line has --check. */
export function runDocsTest(testFile) {
  const check = process.argv.includes('--check');
  const r = spawnSync('npx', ['vitest', 'run', testFile], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, UPDATE_README: check ? '0' : '1' },
  });
  if (r.error) throw r.error;
  process.exit(r.status ?? 1);
}
