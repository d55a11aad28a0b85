/**
 * Runs one bench file through Vitest with its own config (for the `@/` alias; not part of `npm test`) and
 * returns the JSON it wrote to the path given in env var `outVar`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function runBenchJson(config, outVar) {
  const out = join(mkdtempSync(join(tmpdir(), 'bench-')), 'out.json');
  execFileSync('npx', ['vitest', 'run', '-c', config], { stdio: 'inherit', env: { ...process.env, [outVar]: out } });
  return JSON.parse(readFileSync(out, 'utf8'));
}
