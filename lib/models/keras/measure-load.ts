/**
 * Prints how long loading each Keras fixture takes in Node (tfjs CPU and WASM backends): file read +
 * unzip + HDF5 (read), conversion + tfjs build + weights (build), and `inspectModel`'s probe and summary
 * (inspect). The first load of the process also starts h5wasm (reported separately). A measurement
 * script, not a test: `npx jiti lib/models/keras/measure-load.ts [runs=5]`.
 */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import path from 'node:path';
import { loadH5wasm } from './h5';
import { loadKerasModel } from './load';
import { FIXTURE_NAMES, fixtureFile } from './__fixtures__/fixtures';

const runs = Math.max(1, Number(process.argv[2] ?? 5));
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
};

async function main(): Promise<void> {
  const req = createRequire(import.meta.url);
  setWasmPaths(path.dirname(req.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm')) + path.sep);
  const t0 = performance.now();
  await loadH5wasm();
  console.log(`h5wasm start (import + WASM instantiate): ${(performance.now() - t0).toFixed(0)} ms`);
  console.log(`median of ${runs} loads (after one warm-up), ms: total = read + build + inspect`);
  for (const backend of ['cpu', 'wasm']) {
    await tf.setBackend(backend);
    await tf.ready();
    for (const name of FIXTURE_NAMES) {
      for (const ext of ['keras', 'h5']) {
        const file = fixtureFile(`${name}.${ext}`);
        const rows: { total: number; read: number; build: number; inspect: number }[] = [];
        for (let i = 0; i <= runs; i++) {
          const s = performance.now();
          const m = await loadKerasModel([file]);
          const total = performance.now() - s;
          m.model.dispose();
          if (i > 0) rows.push({ total, read: m.timings.readMs, build: m.timings.buildMs, inspect: m.timings.inspectMs });
        }
        const f = (k: keyof (typeof rows)[number]): string => median(rows.map((r) => r[k])).toFixed(0).padStart(5);
        console.log(`${backend.padEnd(5)} ${`${name}.${ext}`.padEnd(26)} ${(file.size / 1024).toFixed(0).padStart(5)} KiB  total ${f('total')}  read ${f('read')}  build ${f('build')}  inspect ${f('inspect')}`);
      }
    }
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
