/**
 * One drop zone for every format: an ONNX export (made by PyTorch at test time) and a real Keras 3 `.keras`
 * file are dropped on the Models page, say which format was read, are explained with every method on the
 * default backend (WASM in headless Chromium), and are still listed after a reload (IndexedDB).
 * Also prints ONNX load times and per-method times of two torchvision corpus models (scripts/corpus).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, hooks, test } from './fixtures/test';
import { file, png, type FilePayload } from './fixtures/files';
import { DashboardPage } from './pages/dashboard-page';
import { ExplainPage } from './pages/explain-page';
import { ModelsPage } from './pages/models-page';
import { METHOD_IDS } from '../lib/explain/catalog';

const ROOT = join(__dirname, '..');
const KERAS_FIXTURE = join(ROOT, '..', 'shared', 'fixtures', 'keras', 'residual.keras');
const CORPUS = join(ROOT, '.corpus', 'onnx');
const OUT = join(ROOT, 'test-results', 'formats');

/** A small PyTorch CNN (3×32×32 → 10 classes; conv/BN/ReLU/residual add/pool/linear), exported to ONNX opset 17. */
function exportTinyOnnx(): string {
  mkdirSync(OUT, { recursive: true });
  const target = join(OUT, 'tiny-cnn.onnx');
  const py = `
import sys, torch
torch.manual_seed(0)
class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = torch.nn.Conv2d(3, 8, 3, padding=1)
        self.bn = torch.nn.BatchNorm2d(8)
        self.c2 = torch.nn.Conv2d(8, 8, 3, padding=1)
        self.pool = torch.nn.MaxPool2d(2)
        self.fc = torch.nn.Linear(8, 10)
    def forward(self, x):
        y = torch.relu(self.bn(self.c1(x)))
        y = torch.relu(self.c2(y) + y)
        y = self.pool(y)
        return self.fc(torch.flatten(torch.nn.functional.adaptive_avg_pool2d(y, 1), 1))
torch.onnx.export(Net().eval(), torch.zeros(1, 3, 32, 32), sys.argv[1], opset_version=17, input_names=["input"], output_names=["logits"])
`;
  execFileSync('/usr/bin/python3', ['-c', py, target], { stdio: 'pipe', timeout: 120_000 });
  return target;
}

const payload = (path: string, name = path.split('/').pop() as string): FilePayload =>
  file(name, 'application/octet-stream', readFileSync(path));
const LABELS10 = Array.from({ length: 10 }, (_, i) => `class ${i}`);

/** A 40×40 RGB test image (stripes and a disc: a map has something to find). */
const IMAGE = file(
  'stripes.png',
  'image/png',
  png(40, 40, (x, y) =>
    (x - 20) ** 2 + (y - 20) ** 2 < 90 ? [250, 40, 30] : x % 8 < 4 ? [30, 60, 200] : [240, 240, 240],
  ),
);

async function userModels(page: Page) {
  return (await hooks(page, (w) => w.state().models)).filter((m) => m.source === 'user');
}

/** Waits until a user model not among `known` is listed and ready; returns its id. */
async function waitUserReady(page: Page, known: readonly string[] = [], timeout = 120_000): Promise<string> {
  let id = '';
  await expect
    .poll(
      async () => {
        const fresh = (await userModels(page)).filter((m) => !known.includes(m.id));
        id = fresh.find((m) => m.status === 'ready')?.id ?? '';
        return fresh.map((m) => m.status).join(',') || 'none';
      },
      { timeout },
    )
    .toBe('ready');
  return id;
}

/** Explains IMAGE with `modelId` in the grid: every method done, finite, non-constant; returns per-method ms. */
async function explainEveryMethod(page: Page, modelId: string, timeout = 240_000): Promise<Map<string, number>> {
  const x = new ExplainPage(page);
  await x.open(`?model=${encodeURIComponent(modelId)}`);
  await new DashboardPage(page).addImages([IMAGE]);
  const main = await x.waitDone({ timeout: 120_000 });
  expect(main.modelId).toBe(modelId);
  expect(main.stats?.finite).toBe(true);
  await x.tab('grid').click();
  await expect
    .poll(
      async () => {
        const grid = (await x.probe())?.grid ?? [];
        const failed = grid.find((t) => t.status === 'error');
        if (failed) throw new Error(`${failed.method} failed`);
        return grid.map((t) => t.status).join(',');
      },
      { timeout },
    )
    .toBe(METHOD_IDS.map(() => 'done').join(','));
  const grid = (await x.probe())!.grid;
  expect(grid.map((t) => t.method)).toEqual([...METHOD_IDS]);
  const ms = new Map<string, number>();
  for (const t of grid) {
    expect(t.stats?.finite, t.method).toBe(true);
    expect(t.stats?.count, t.method).toBeGreaterThan(0);
    expect(t.stats!.max, t.method).toBeGreaterThan(t.stats!.min);
    ms.set(t.method, t.totalMs ?? NaN);
  }
  return ms;
}

test.describe('Models page: every format', () => {
  test('an ONNX export from PyTorch is dropped, labelled "ONNX (opset 17)", explained with every method, and survives a reload', async ({
    page,
  }) => {
    test.setTimeout(420_000);
    const onnx = exportTinyOnnx();
    const models = new ModelsPage(page);
    await models.open();
    const backend = await new DashboardPage(page).backend();
    expect(backend).toBe('wasm');
    const t0 = Date.now();
    await models.drop([payload(onnx), file('labels.txt', 'text/plain', Buffer.from(LABELS10.join('\n')))]);
    const id = await waitUserReady(page);
    console.log(
      `[formats] load tiny ONNX (${readFileSync(onnx).byteLength} bytes): ${Date.now() - t0} ms (drop → ready)`,
    );
    await expect(models.format()).toHaveText('ONNX (opset 17)');
    await expect(page.getByTestId('model.details.output')).toContainText('10 classes');
    await expect(page.getByTestId('model.details.label').nth(3)).toContainText('class 3');
    const ms = await explainEveryMethod(page, id);
    console.log(
      `[formats] tiny ONNX 32×32, per method (ms): ${[...ms].map(([m, t]) => `${m} ${t.toFixed(0)}`).join(', ')}`,
    );

    await models.open();
    await page.reload();
    const row = models.row(id);
    await expect(row).toHaveCount(1);
    await expect(row.getByTestId('models.row-kind')).toContainText('ONNX (opset 17)');
    await row.getByTestId('models.row-name').click();
    await expect(models.format()).toHaveText('ONNX (opset 17)');
    // Rename and remove work on an ONNX record too.
    await models.rename(id, 'Tiny torch CNN');
    await page.reload();
    await expect(models.row(id)).toContainText('Tiny torch CNN');
    page.on('dialog', (d) => void d.accept());
    await models.row(id).getByTestId('models.remove').click();
    await expect(models.row(id)).toHaveCount(0);
    await page.reload();
    await expect(page.getByTestId('models.list')).toBeVisible();
    await expect(models.row(id)).toHaveCount(0);
  });

  test('a Keras 3 .keras file is chosen, labelled "Keras 3 .keras", explained with every method, and survives a reload', async ({
    page,
  }) => {
    test.setTimeout(420_000);
    if (!existsSync(KERAS_FIXTURE))
      throw new Error(`The Keras fixture is missing: ${KERAS_FIXTURE} (see ../shared/fixtures/keras/README.md).`);
    const models = new ModelsPage(page);
    await models.open();
    const t0 = Date.now();
    await page.getByTestId('model-loader.input').setInputFiles([KERAS_FIXTURE]);
    const id = await waitUserReady(page);
    console.log(
      `[formats] load residual.keras (${readFileSync(KERAS_FIXTURE).byteLength} bytes, first Keras file: h5wasm starts): ${Date.now() - t0} ms (chosen → ready)`,
    );
    await expect(models.format()).toHaveText('Keras 3 .keras');
    const ms = await explainEveryMethod(page, id);
    console.log(
      `[formats] residual.keras, per method (ms): ${[...ms].map(([m, t]) => `${m} ${t.toFixed(0)}`).join(', ')}`,
    );
    await models.open();
    await page.reload();
    await expect(models.row(id).getByTestId('models.row-kind')).toContainText('Keras 3 .keras');
    await models.row(id).getByTestId('models.row-name').click();
    await expect(models.format()).toHaveText('Keras 3 .keras');
    await expect(page.getByTestId('model.details.params')).toHaveText('11,271');
  });

  test('foreign files get a clear message naming them', async ({ page }) => {
    const models = new ModelsPage(page);
    const app = new DashboardPage(page);
    await models.open();
    await models.drop([IMAGE]);
    await app.expectError(/stripes\.png is an image, not a model/);
    await app.dismissNotices();
    await models.drop([file('resnet.pt', 'application/octet-stream', Buffer.from([0x50, 0x4b, 3, 4, 0, 0, 0, 0]))]);
    await app.expectError(/resnet\.pt is a PyTorch checkpoint.*torch\.onnx\.export/);
    expect(await userModels(page)).toEqual([]);
  });

  test('ONNX load times and per-method times of two torchvision corpus models (printed)', async ({ page }) => {
    test.setTimeout(600_000);
    const manifest = join(CORPUS, 'manifest.json');
    if (!existsSync(manifest))
      throw new Error(
        `The ONNX corpus is missing (${manifest}): run \`node scripts/corpus/ensure-corpus.mjs\` (or any vitest run of lib/models/onnx).`,
      );
    const entries = (JSON.parse(readFileSync(manifest, 'utf8')) as { models: { name: string; files: string[] }[] })
      .models;
    const models = new ModelsPage(page);
    const known: string[] = [];
    for (const name of ['resnet18', 'mobilenet_v2']) {
      const entry = entries.find((m) => m.name === name);
      if (!entry) throw new Error(`${name} is not in the ONNX corpus manifest`);
      const paths = entry.files.map((f) => join(CORPUS, f));
      const bytes = paths.reduce((s, p) => s + readFileSync(p).byteLength, 0);
      await models.open();
      // The page keeps drawing frames while the worker reads and translates the model: record the longest gap.
      await page.evaluate(() => {
        const w = window as unknown as { __gap: number; __last: number; __on: boolean };
        w.__gap = 0;
        w.__last = performance.now();
        w.__on = true;
        const tick = (t: number) => {
          w.__gap = Math.max(w.__gap, t - w.__last);
          w.__last = t;
          if (w.__on) requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      });
      const t0 = Date.now();
      await page.getByTestId('model-loader.input').setInputFiles(paths);
      if (name === 'resnet18') await expect(page.getByTestId('model-loader.progress')).toBeVisible();
      const id = await waitUserReady(page, known, 180_000);
      known.push(id);
      const loadMs = Date.now() - t0;
      const gap = await page.evaluate(() => {
        const w = window as unknown as { __gap: number; __on: boolean };
        w.__on = false;
        return w.__gap;
      });
      console.log(`[formats] ${name}: longest gap between page frames while loading: ${gap.toFixed(0)} ms`);
      expect(gap).toBeLessThan(1000);
      await expect(models.format()).toHaveText(/^ONNX \(opset \d+\)$/);
      console.log(
        `[formats] load ${name} (${(bytes / 1e6).toFixed(1)} MB, ${entry.files.join(' + ')}): ${loadMs} ms (drop → listed, ready)`,
      );
      const ms = await explainEveryMethod(page, id, 420_000);
      console.log(
        `[formats] ${name} 64×64 on wasm, per method (ms): ${[...ms].map(([m, t]) => `${m} ${t.toFixed(0)}`).join(', ')}`,
      );
    }
  });
});
