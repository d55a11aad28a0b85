/**
 * Prints how long loading each Keras fixture takes in Node (tfjs CPU and WASM backends): file read +
 * unzip + HDF5 (read), conversion + tfjs build + weights (build), and `inspectModel`'s probe and summary
 * (inspect). The first load of the process also starts h5wasm (reported separately). A measurement
 * script, not a test: `npx jiti lib/models/keras/measure-load.ts [runs=5] [--large]`. `--large` also
 * writes and loads a ~92 MB legacy .h5 (a 23M-parameter conv net at 4×4 input, written with h5wasm in
 * the Keras 2 layout) on WASM, with the peak resident memory of the process.
 */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import path from 'node:path';
import { loadH5wasm } from './h5';
import { loadKerasModel } from './load';
import { bytesFile, FIXTURE_NAMES, fixtureFile } from './__fixtures__/fixtures';
import { writeKeras2H5 } from './__fixtures__/keras2-writer';

const args = process.argv.slice(2);
const runs = Math.max(1, Number(args.find((a) => /^\d+$/.test(a)) ?? 5));
const large = args.includes('--large');
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
  if (large) await measureLarge();
}

/** A ~92 MB legacy .h5: conv 3→256, 256→1024, 1024→1024 ×2, GAP, dense 1024→1000 at 4×4 input. */
async function measureLarge(): Promise<void> {
  await tf.setBackend('wasm');
  const input = tf.input({ shape: [4, 4, 3], name: 'image' });
  let x = input as tf.SymbolicTensor;
  [256, 1024, 1024, 1024].forEach((filters, i) => {
    x = tf.layers.conv2d({ filters, kernelSize: 3, padding: 'same', activation: 'relu', name: `conv${i}` }).apply(x) as tf.SymbolicTensor;
  });
  x = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(x) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: 1000, activation: 'softmax', name: 'fc' }).apply(x) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: out });
  const params = model.countParams();
  const bytes = await writeKeras2H5(model);
  model.dispose();
  const rssBefore = process.memoryUsage().rss;
  let peak = rssBefore;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const file = bytesFile('large.h5', bytes);
  const s = performance.now();
  let progressCalls = 0;
  const m = await loadKerasModel([file], { onProgress: () => (progressCalls += 1) });
  const total = performance.now() - s;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  m.model.dispose();
  const mb = (b: number): string => (b / 2 ** 20).toFixed(0);
  console.log(
    `wasm  large.h5 (${(params / 1e6).toFixed(1)}M params) ${mb(bytes.length)} MiB  total ${total.toFixed(0)}  read ${m.timings.readMs.toFixed(0)}  build ${m.timings.buildMs.toFixed(0)}  inspect ${m.timings.inspectMs.toFixed(0)} ms; ` +
      `${progressCalls} progress calls; RSS ${mb(rssBefore)} → peak ${mb(peak)} MiB`,
  );
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
