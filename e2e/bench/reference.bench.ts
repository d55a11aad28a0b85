/**
 * `npm run bench` (scripts/bench/reference.mjs), not CI — issue #18's yardstick: every method in the browser
 * (the /bench harness, the dashboard's worker on WASM) against the PyTorch reference a user would run instead
 * (scripts/bench/torch_reference.py: autograd, batched, one thread), on identical weights and the identical
 * model input, in the same run on the same machine:
 *   - the bundled fashion-finetuned CNN (28×28×1; PyTorch rebuilds it from its model.json),
 *   - a 224×224×3 MobileNetV3-small of the ONNX corpus (the browser loads the .onnx; PyTorch rebuilds it with
 *     the corpus's seeded weights, logits checked against the recorded outputs).
 * Prints "[reference-bench]" lines (a table: reference ms, ours ms, ours ÷ reference, map parity) and writes
 * bench/results/reference.json. Ours runs on one WASM thread, as the reference (REFERENCE_THREADS=N for more). It asserts only that the comparison is sound (the maps of the deterministic
 * methods agree), never a time.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures/test';
import { CORPUS, corpusModel, ROOT } from '../fixtures/formats';

const PYTHON = process.env.CORPUS_PYTHON || '/usr/bin/python3';
const REPS = Number(process.env.REFERENCE_REPS ?? 3);
/** Our WASM threads: 1 by default, as the reference's `torch.set_num_threads(1)` (REFERENCE_THREADS=2: both cores). */
const THREADS = Number(process.env.REFERENCE_THREADS ?? 1);
type Prepared = {
  modelId: string;
  imageId: string;
  target: number;
  inputShape: [number, number, number];
  spatialLayer: string;
};
type Bench = {
  init(): Promise<{ backend: { backend: string; threads?: number } }>;
  prepareBundled(id: string): Promise<Prepared>;
  prepareUpload(name: string, url: string, o: { imageSize: number }): Promise<Prepared>;
  modelInput(p: Prepared): Promise<{ data: number[]; height: number; width: number; channels: number }>;
  methodValues(
    p: Prepared,
    m: string,
    c: Record<string, unknown>,
  ): Promise<{ values: number[]; workerMs: number; config: Record<string, unknown> }>;
};
declare const window: { __bench: Bench };

/** One row per method: our method id, its config (both sides), the reference's key, deterministic or not. */
interface Case {
  method: string;
  config: Record<string, unknown>;
  reference: string;
  deterministic: boolean;
}

function cases(size: 28 | 224): Case[] {
  const small = size === 28;
  const occ = small ? { windowSize: 8, stride: 4 } : { windowSize: 32, stride: 16 };
  return [
    { method: 'saliency', config: {}, reference: 'saliency', deterministic: true },
    { method: 'gradient-x-input', config: {}, reference: 'gradient-x-input', deterministic: true },
    { method: 'smoothgrad', config: { numSamples: small ? 25 : 8 }, reference: 'smoothgrad', deterministic: false },
    {
      method: 'integrated-gradients',
      // targetError 0: exactly `steps` intervals, as the reference (the adaptive default is in the bench table).
      config: { steps: small ? 64 : 16, rule: 'trapezoid', targetError: 0 },
      reference: 'integrated-gradients',
      deterministic: true,
    },
    { method: 'grad-cam', config: {}, reference: 'grad-cam', deterministic: true },
    { method: 'occlusion', config: { ...occ, fill: 'zero' }, reference: 'occlusion@1', deterministic: true },
    { method: 'occlusion', config: { ...occ, fill: 'zero' }, reference: 'occlusion@64', deterministic: true },
    { method: 'rise', config: { numMasks: small ? 500 : 64 }, reference: 'rise', deterministic: false },
  ];
}

/** Pearson correlation of two equally long maps (NaN when either is constant). */
function pearson(a: number[], b: number[]): number {
  const n = a.length;
  const ma = a.reduce((s, v) => s + v, 0) / n;
  const mb = b.reduce((s, v) => s + v, 0) / n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  a.forEach((va, i) => {
    const vb = b[i] ?? Number.NaN;
    sab += (va - ma) * (vb - mb);
    saa += (va - ma) ** 2;
    sbb += (vb - mb) ** 2;
  });
  return sab / Math.sqrt(saa * sbb);
}

function runReference(
  args: string[],
  input: { data: number[] },
): Record<string, unknown> & {
  methods: Record<string, { ms: number; values?: number[]; config: Record<string, unknown> }>;
  logitParity: number | null;
  target: number;
} {
  const file = join(tmpdir(), `reference-input-${process.pid}.f32`);
  writeFileSync(file, Buffer.from(new Float32Array(input.data).buffer));
  const r = spawnSync(PYTHON, [join(ROOT, 'scripts', 'bench', 'torch_reference.py'), ...args, '--input', file], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`torch_reference.py failed (${r.status}): ${r.stderr}`);
  const line = r.stdout.split('\n').find((l) => l.startsWith('REFERENCE '));
  if (!line) throw new Error(`torch_reference.py printed no REFERENCE line:\n${r.stdout}`);
  return JSON.parse(line.slice('REFERENCE '.length));
}

async function ours(page: Page, p: Prepared, c: Case) {
  const call = () =>
    page.evaluate(([pp, m, cc]) => window.__bench.methodValues(pp, m, cc), [p, c.method, c.config] as const);
  let last = await call(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < REPS; i++) {
    last = await call();
    times.push(last.workerMs);
  }
  times.sort((x, y) => x - y);
  return { ms: times[times.length >> 1] ?? Number.NaN, values: last.values, config: last.config };
}

const results: Record<string, unknown> = { at: new Date().toISOString(), loadStart: loadavg() };
test.afterAll(() => {
  const dir = join(ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'reference.json'), JSON.stringify({ ...results, loadEnd: loadavg() }, null, 1));
});

/**
 * `sameLayer`: the reference can hook Grad-CAM's layer by our name (the rebuilt TF.js model); for an ONNX
 * graph it hooks its last convolution, which need not be the layer we pick, so that map is not a parity check.
 */
async function compare(
  page: Page,
  label: string,
  p: Prepared,
  size: 28 | 224,
  sourceArgs: string[],
  sameLayer: boolean,
) {
  const input = await page.evaluate((pp) => window.__bench.modelInput(pp), p);
  const all = cases(size);
  const refArgs = [
    ...sourceArgs,
    '--target',
    String(p.target),
    '--reps',
    String(REPS),
    '--ig-steps',
    String(all.find((c) => c.method === 'integrated-gradients')?.config.steps),
    '--sg-samples',
    String(all.find((c) => c.method === 'smoothgrad')?.config.numSamples),
    '--rise-masks',
    String(all.find((c) => c.method === 'rise')?.config.numMasks),
    '--occlusion',
    size === 28 ? '8,4' : '32,16',
    ...(sameLayer ? ['--grad-cam-layer', p.spatialLayer] : []),
  ];
  const ref = runReference(refArgs, input);
  const rows: Record<string, unknown>[] = [];
  console.log(
    `[reference-bench] ${label}: load ${loadavg()
      .map((v) => v.toFixed(2))
      .join(
        ' / ',
      )}; PyTorch ${String(ref.torch)} (${String(ref.threads)} thread), logit parity ${ref.logitParity ?? 'n/a'}`,
  );
  console.log('[reference-bench] method                     reference ms   ours ms   ours ÷ ref   map r     note');
  for (const c of all) {
    const r = ref.methods[c.reference];
    if (!r) throw new Error(`the reference printed no ${c.reference}`);
    const o = await ours(page, p, c);
    const rv = r.values ?? [];
    const corr = rv.length === o.values.length ? pearson(o.values, rv) : Number.NaN;
    const ratio = o.ms / r.ms;
    const parity = c.deterministic && (c.method !== 'grad-cam' || sameLayer);
    const note = !c.deterministic
      ? 'different random draws (r not a parity check)'
      : parity
        ? ''
        : 'the reference hooks its last convolution (r not a parity check)';
    rows.push({ method: c.method, reference: c.reference, referenceMs: r.ms, oursMs: o.ms, ratio, r: corr, note });
    console.log(
      `[reference-bench] ${c.reference.padEnd(26)} ${r.ms.toFixed(1).padStart(12)} ${o.ms.toFixed(1).padStart(9)} ${ratio.toFixed(2).padStart(11)}×  ${corr.toFixed(4).padStart(7)}   ${note}`,
    );
    if (parity) expect(corr, `${label} ${c.reference}: our map and PyTorch's disagree`).toBeGreaterThan(0.99);
  }
  results[label] = { target: p.target, logitParity: ref.logitParity, rows };
}

test('every method in the browser (WASM) against the PyTorch reference on identical weights', async ({ page }) => {
  test.setTimeout(1_500_000);
  // One thread, as the reference (WASM runs one thread per core by default where the page is isolated).
  await page.goto('/bench?backend=wasm&threads=1');
  await page.waitForFunction(() => Boolean((window as unknown as { __bench?: unknown }).__bench));
  const init = await page.evaluate(() => window.__bench.init());
  expect(init.backend.backend).toBe('wasm');
  results.threads = init.backend.threads ?? 1;
  console.log(`[reference-bench] ours: WASM, ${String(results.threads)} thread(s) (REFERENCE_THREADS=${THREADS})`);

  const fashion = await page.evaluate(() => window.__bench.prepareBundled('fashion-finetuned'));
  await compare(
    page,
    'fashion-finetuned 28×28×1',
    fashion,
    28,
    ['--model', join(ROOT, 'public', 'models', 'fashion-finetuned')],
    true,
  );

  const name = 'mobilenet_v3_small_224';
  const [onnxPath] = corpusModel(name, CORPUS).paths;
  if (!onnxPath) throw new Error(`${name}: the corpus lists no file`);
  const body = readFileSync(onnxPath);
  await page.route('**/__reference/model.onnx', (route) => route.fulfill({ body }));
  const mobile = await page.evaluate(
    ([n]) => window.__bench.prepareUpload(`${n}.onnx`, '/__reference/model.onnx', { imageSize: 224 }),
    [name] as const,
  );
  await compare(page, `${name} 224×224×3`, mobile, 224, ['--corpus', name], false);
});
