/**
 * `npm run bench` (scripts/bench/formats.mjs), not CI: ONNX load times in the browser — a 178 MB resnet101
 * (scripts/corpus/export_big.py) with its longest main-thread task and the progress bar, and two corpus
 * models (resnet18, mobilenet_v2) with the time of every method on one image. Prints "[formats-bench]"
 * lines and writes bench/results/formats.json; asserts only that loads stay responsive and methods finish.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '../fixtures/test';
import {
  BIG_CORPUS,
  corpusModel,
  explainEveryMethod,
  expectResponsiveLoad,
  firstPrediction,
  ROOT,
} from '../fixtures/formats';
import { ModelsPage } from '../pages/models-page';

const results: Record<string, unknown> = {};
const mb = (bytes: number) => (bytes / 1e6).toFixed(1);

test.afterAll(() => {
  const dir = join(ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'formats.json'), JSON.stringify({ at: new Date().toISOString(), ...results }, null, 1));
});

test('a 178 MB ONNX file (resnet101, opset 17) loads in the worker: progress rises, the page stays responsive, it predicts', async ({
  page,
}) => {
  const { paths, bytes } = corpusModel('resnet101', BIG_CORPUS);
  const models = new ModelsPage(page);
  await models.open();
  const w = await models.loadWatched(paths, [], 600_000);
  const label = await firstPrediction(page, w.id);
  console.log(
    `[formats-bench] resnet101 ${mb(bytes)} MB: load ${w.loadMs} ms (chosen → ready), longest main-thread task ${w.longestTaskMs.toFixed(0)} ms while loading (${w.longestTaskAfterMs.toFixed(0)} ms once shown), longest frame gap ${w.longestFrameGapMs.toFixed(0)} ms, ${w.progress.length} progress values; top class ${label}`,
  );
  results.big = {
    name: 'resnet101',
    bytes,
    loadMs: w.loadMs,
    longestTaskMs: w.longestTaskMs,
    longestFrameGapMs: w.longestFrameGapMs,
    progressValues: w.progress.length,
  };
  expectResponsiveLoad(w);
  await expect(page.getByTestId('predictions.label').first()).toBeVisible();

  // Saved in IndexedDB (in chunks: Chromium refuses one value over ~127 MiB) and restored after a reload.
  const t0 = Date.now();
  await page.goto(`/?model=${encodeURIComponent(w.id)}`);
  await expect(page.getByTestId('model.picker')).toHaveValue(w.id, { timeout: 60_000 });
  await expect(page.getByTestId('predictions.label').first()).toBeVisible({ timeout: 300_000 });
  const reloadMs = Date.now() - t0;
  console.log(`[formats-bench] resnet101 after a reload: restored from IndexedDB and predicting in ${reloadMs} ms`);
  (results.big as Record<string, unknown>).reloadMs = reloadMs;
});

test('load times and per-method times of two torchvision corpus models (resnet18, mobilenet_v2)', async ({ page }) => {
  const models = new ModelsPage(page);
  const known: string[] = [];
  for (const name of ['resnet18', 'mobilenet_v2']) {
    const { paths, bytes, files } = corpusModel(name);
    await models.open();
    const w = await models.loadWatched(paths, known);
    known.push(w.id);
    await expect(models.format()).toHaveText(/^ONNX \(opset \d+\)$/);
    console.log(
      `[formats-bench] load ${name} (${mb(bytes)} MB, ${files.join(' + ')}): ${w.loadMs} ms, longest task ${w.longestTaskMs.toFixed(0)} ms (${w.longestTaskAfterMs.toFixed(0)} ms once shown), longest frame gap ${w.longestFrameGapMs.toFixed(0)} ms`,
    );
    const ms = await explainEveryMethod(page, w.id, 600_000);
    console.log(
      `[formats-bench] ${name} 64×64 on wasm, per method (ms): ${[...ms].map(([m, t]) => `${m} ${t.toFixed(0)}`).join(', ')}`,
    );
    results[name] = {
      bytes,
      loadMs: w.loadMs,
      longestTaskMs: w.longestTaskMs,
      longestFrameGapMs: w.longestFrameGapMs,
      methodsMs: Object.fromEntries(ms),
    };
  }
});
