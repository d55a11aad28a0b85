/**
 * Measurements of the Trust bench (run by scripts/bench/trust.mjs, not by `npm test`): the production worker
 * core (createWorkerCore, the same Trust jobs the page calls) on WASM in Node over the bundled
 * fashion-finetuned model and its evaluation set, read from models/ through a file:// fetch:
 *   1. the sanity check of every method on TRUST_BENCH_SANITY images (verdict per image, lowest ρ / SSIM);
 *   2. deletion / insertion AUC per method averaged over TRUST_BENCH_IMAGES images (default 100);
 *   3. accuracy against FGSM at ε = 1, 2, 4, 8 /255 and Gaussian noise, and the median flip ε, over
 *      TRUST_BENCH_ROBUST images (default 500);
 *   4. the median smallest flip ε by FGSM and by the PGD search on the same TRUST_BENCH_PGD images (default 100);
 *   5. feature visualisation of the first TRUST_BENCH_VIS channels (default 8) of every spatial layer: the
 *      channel's mean activation from grey before and after 48 steps, with and without the regularisers.
 * TRUST_BENCH_PARTS (comma-separated: sanity, faith, robust, pgd, vis; default all) picks the parts.
 * Writes JSON to TRUST_BENCH_OUT.
 */
import { it, vi } from 'vitest';
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { METHOD_IDS } from '@/lib/explain/catalog';
import { parseManifest } from '@/lib/models/manifest';
import { createWorkerCore } from '@/lib/runtime/worker-core';
import { switchBackend } from '@/lib/testing/backends';
import { sampleIndices } from '@/lib/trust/faithfulness';

const MANIFEST_URL = new URL('../../models/manifest.json', import.meta.url).href;
const MODEL = process.env.TRUST_BENCH_MODEL ?? 'fashion-finetuned';
const IMAGES = Number(process.env.TRUST_BENCH_IMAGES ?? 100);
const SANITY = Number(process.env.TRUST_BENCH_SANITY ?? 5);
const ROBUST = Number(process.env.TRUST_BENCH_ROBUST ?? 500);
const PGD = Number(process.env.TRUST_BENCH_PGD ?? 100);
const VIS = Number(process.env.TRUST_BENCH_VIS ?? 8);
const PARTS = new Set((process.env.TRUST_BENCH_PARTS ?? 'sanity,faith,robust,pgd,vis').split(','));
const OUT = process.env.TRUST_BENCH_OUT;

it('trust bench (WASM)', async () => {
  vi.stubGlobal(
    'fetch',
    async (u: RequestInfo | URL) => new Response(new Uint8Array(await readFile(fileURLToPath(String(u))))),
  );
  await switchBackend('wasm');
  const manifest = parseManifest(await readFile(fileURLToPath(MANIFEST_URL), 'utf8'));
  const entry = manifest.models.find((m) => m.id === MODEL);
  const ds = manifest.datasets?.find((d) => d.id === entry?.datasetId);
  if (!entry || !ds) throw new Error(`${MODEL} or its evaluation set is not in the manifest`);
  const core = createWorkerCore();
  const info = await core.api.loadBundled(entry, MANIFEST_URL);
  const { labels } = await core.api.loadBundledDataset(ds, MANIFEST_URL);
  const log = (...a: unknown[]) => console.log(`[trust bench]`, ...a);

  // 1. Sanity check per method on SANITY images (each for its predicted class).
  const sanity: { method: string; verdicts: string[]; minSpearman: number[]; minSsim: number[]; ms: number }[] = [];
  for (const method of PARTS.has('sanity') ? METHOD_IDS : []) {
    const row = { method, verdicts: [] as string[], minSpearman: [] as number[], minSsim: [] as number[], ms: 0 };
    for (const index of sampleIndices(ds.count, SANITY)) {
      const img = await core.api.addDatasetImage(ds.id, index);
      const pred = await core.api.predict(MODEL, img.id);
      const target = pred.probs.indexOf(Math.max(...pred.probs));
      const r = await core.api.sanityCheck('s', { modelId: MODEL, imageId: img.id, method, target, config: {} });
      row.verdicts.push(r.verdict);
      row.minSpearman.push(Math.min(...r.steps.map((s) => s.spearman)));
      row.minSsim.push(Math.min(...r.steps.map((s) => s.ssim)));
      row.ms += r.ms;
      await core.api.removeImage(img.id);
    }
    log('sanity', method, row.verdicts.join(','));
    sanity.push(row);
  }

  /** Runs part `name` when it was asked for (null otherwise), and logs its time. */
  const part = async <T>(name: string, run: () => Promise<T>): Promise<T | null> => {
    if (!PARTS.has(name)) return null;
    const t0 = Date.now();
    const r = await run();
    log(name, `${((Date.now() - t0) / 1000).toFixed(0)} s`);
    return r;
  };
  const on = { modelId: MODEL, datasetId: ds.id };

  // 2. Deletion / insertion per method over IMAGES images.
  const methods = METHOD_IDS.map((method) => ({ method, config: {} }));
  const faith = await part('faith', () => core.api.faithfulnessSet('f', { ...on, n: IMAGES, methods }));

  // 3. Robustness over ROBUST images (true labels).
  const [epsilons, sigmas] = [[1, 2, 4, 8].map((k) => k / 255), [0.05, 0.1, 0.2, 0.3]];
  const robust = await part('robust', () => core.api.robustnessSet('r', { ...on, n: ROBUST, epsilons, sigmas }));

  // 4. Flip ε by FGSM and by the PGD search on the same PGD images (the robustness job's rows, pgdFlip on).
  const pgdReq = { ...on, n: PGD, epsilons: [], sigmas: [], pgdFlip: true };
  const pgd = await part('pgd', () => core.api.robustnessSet('p', pgdReq));

  // 5. Feature visualisation: VIS channels of every spatial layer, from grey, 48 steps with jitter and blur.
  const vis: { layer: string; channel: number; regularise: boolean; first: number; last: number; ms: number }[] = [];
  for (const layer of PARTS.has('vis') ? info.spatialLayers : []) {
    const shape = info.layers.find((l) => l.name === layer)?.outputShape ?? [];
    const k = (shape[shape.length - 1] as number | null) ?? VIS;
    for (let channel = 0; channel < Math.min(VIS, k); channel++)
      for (const regularise of [true, false]) {
        const t0 = Date.now();
        const req = { modelId: MODEL, layer, channel, start: 'grey' as const, steps: 48, regularise };
        const r = await core.api.featureVis('v', req);
        const [first, last] = [r.trajectory[0] as number, r.trajectory[48] as number];
        vis.push({ layer, channel, regularise, first, last, ms: Date.now() - t0 });
      }
    log('vis', layer);
  }
  const out = {
    model: MODEL,
    dataset: ds.id,
    setSize: labels.length,
    images: IMAGES,
    sanityImages: SANITY,
    sanity,
    faith,
    robust,
    pgdImages: PGD,
    pgd,
    vis,
  };
  if (OUT) await writeFile(OUT, JSON.stringify(out));
  core.api.unload(MODEL);
});
