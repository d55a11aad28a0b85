#!/usr/bin/env node
// `npm test`: every check, in stages. The checks inside a stage run at once (most of them use one core:
// tsc, ESLint, the Python training tests; Vitest runs two workers), so a 2-core machine is kept busy.
// A stage starts when the one before it passed; the first failing stage stops the run with its exit code.
// Each line of a parallel check is prefixed with its name; a summary of the times closes the run.
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';

const cores = availableParallelism();
const stages = [
  [
    ['typecheck', 'npm run typecheck'],
    ['lint', 'npm run lint'],
  ],
  [
    // Vitest's default is cores − 1 workers (one, here); the training tests use one thread beside it.
    ['unit', `npm run test:unit -- --maxWorkers=${Math.max(1, cores)}`],
    ['train', 'npm run test:train'],
  ],
  [['e2e', 'npm run test:e2e']],
];

/** Runs one command; with a prefix, each output line is prefixed (parallel checks), else output is passed through. */
function run(name, command, prefixed) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(command, { shell: true, stdio: prefixed ? ['ignore', 'pipe', 'pipe'] : 'inherit' });
    if (prefixed) {
      for (const stream of [child.stdout, child.stderr]) {
        let rest = '';
        stream.setEncoding('utf8');
        stream.on('data', (chunk) => {
          const lines = (rest + chunk).split('\n');
          rest = lines.pop() ?? '';
          for (const line of lines) process.stdout.write(`[${name}] ${line}\n`);
        });
        stream.on('end', () => rest && process.stdout.write(`[${name}] ${rest}\n`));
      }
    }
    child.on('close', (code, signal) =>
      resolve({ name, code: code ?? (signal ? 1 : 0), seconds: (Date.now() - started) / 1000 }),
    );
  });
}

const times = [];
let failed = null;
for (const stage of stages) {
  const results = await Promise.all(stage.map(([name, command]) => run(name, command, stage.length > 1)));
  times.push(...results);
  failed = results.find((r) => r.code !== 0) ?? null;
  if (failed) break;
}
const summary = times.map((t) => `${t.name} ${t.seconds.toFixed(0)} s${t.code ? ` (exit ${t.code})` : ''}`);
console.log(`[test] ${summary.join(' · ')}`);
if (failed) {
  console.log(`[test] FAILED: ${failed.name}`);
  process.exit(failed.code || 1);
}
console.log('[test] all passed');
