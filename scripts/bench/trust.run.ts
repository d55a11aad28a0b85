/**
 * Measurements of the Trust bench (run by scripts/bench/trust.mjs, not by `npm test`): the production worker
 * core (createWorkerCore, the same Trust jobs the page calls) on WASM in Node over the bundled
 * fashion-finetuned model and its evaluation set, read from models/ through a file:// fetch:
 *   1. the sanity check of every method on TRUST_BENCH_SANITY images (verdict per image, lowest ρ / SSIM);
 *   2. deletion / insertion AUC per method averaged over TRUST_BENCH_IMAGES images (default 100);
 *   3. accuracy against FGSM at ε = 1, 2, 4, 8 /255 and Gaussian noise, and the median flip ε, over
 *      TRUST_BENCH_ROBUST images (default 500).
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
  await core.api.loadBundled(entry, MANIFEST_URL);
  const { labels } = await core.api.loadBundledDataset(ds, MANIFEST_URL);
  const log = (...a: unknown[]) => console.log(`[trust bench]`, ...a);

  // 1. Sanity check per method on SANITY images (each for its predicted class).
  const sanity: { method: string; verdicts: string[]; minSpearman: number[]; minSsim: number[]; ms: number }[] = [];
  for (const method of METHOD_IDS) {
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

  // 2. Deletion / insertion per method over IMAGES images.
  const t1 = Date.now();
  const faith = await core.api.faithfulnessSet('f', {
    modelId: MODEL,
    datasetId: ds.id,
    n: IMAGES,
    methods: METHOD_IDS.map((method) => ({ method, config: {} })),
  });
  log('faithfulness', `${((Date.now() - t1) / 1000).toFixed(0)} s`);

  // 3. Robustness over ROBUST images (true labels).
  const robust = await core.api.robustnessSet('r', {
    modelId: MODEL,
    datasetId: ds.id,
    n: ROBUST,
    epsilons: [1, 2, 4, 8].map((k) => k / 255),
    sigmas: [0.05, 0.1, 0.2, 0.3],
  });
  log('robustness', `${(robust.ms / 1000).toFixed(0)} s`);
  const out = {
    model: MODEL,
    dataset: ds.id,
    setSize: labels.length,
    images: IMAGES,
    sanityImages: SANITY,
    sanity,
    faith,
    robust,
  };
  if (OUT) await writeFile(OUT, JSON.stringify(out));
  core.api.unload(MODEL);
});
