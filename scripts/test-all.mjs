#!/usr/bin/env node
// `npm test`: every check, in stages. The checks inside a stage run at once (most of them use one core:
// tsc, ESLint, the Python training tests; Vitest runs a worker per core), so a 2-core machine is kept busy.
// A stage starts when the one before it passed; the first failing stage stops the run with its exit code.
// Each line of a parallel check is prefixed with its name; a summary of the times closes the run.
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';

const cores = availableParallelism();
// The e2e suite's production build (its own folder, with the test-only hooks) is made in the first stage,
// once the type check has read the project (tsc globs .next-e2e/types at its start), beside the lint's
// one-core tail; the e2e stage then only starts the server (E2E_PREBUILT). The training tests (one torch
// thread) run beside the e2e suite, whose browser and server leave a core mostly idle; Vitest gets every core.
const E2E_BUILD_ENV = 'NEXT_DIST_DIR=.next-e2e NEXT_PUBLIC_TEST_HOOKS=1 NEXT_TELEMETRY_DISABLED=1';
const stages = [
  [
    ['typecheck', 'npm run typecheck'],
    ['lint', 'npm run lint'],
    ['build', `${E2E_BUILD_ENV} npm run build`, { after: 'typecheck' }],
  ],
  [['unit', `npm run test:unit -- --maxWorkers=${Math.max(1, cores)}`]],
  [
    ['e2e', 'E2E_PREBUILT=1 npm run test:e2e'],
    ['train', 'npm run test:train'],
  ],
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
  const done = new Map();
  const start = ([name, command, opts]) => {
    const prefixed = stage.length > 1;
    const p = opts?.after
      ? done.get(opts.after).then((r) => (r.code === 0 ? run(name, command, prefixed) : { name, code: 1, seconds: 0 }))
      : run(name, command, prefixed);
    done.set(name, p);
    return p;
  };
  const results = await Promise.all(stage.map(start));
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
