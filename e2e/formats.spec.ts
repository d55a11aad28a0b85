/**
 * One drop zone for every format: an ONNX export (made by PyTorch at test time) and a real Keras 3 `.keras`
 * file are dropped on the Models page, say which format was read, are explained with every method on the
 * default backend (WASM in headless Chromium), and are still listed after a reload (IndexedDB). A 47 MB
 * torchvision export (resnet18, .onnx + .onnx.data) loads with a rising progress bar and no long main-thread
 * task. The 178 MB load and the per-method times of two corpus models are in the bench
 * (e2e/bench/formats.bench.ts, `npm run bench`).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './fixtures/test';
import { file, type FilePayload } from './fixtures/files';
import {
  corpusModel,
  explainEveryMethod,
  expectResponsiveLoad,
  firstPrediction,
  IMAGE,
  ROOT,
} from './fixtures/formats';
import { DashboardPage } from './pages/dashboard-page';
import { ModelsPage } from './pages/models-page';
import { TrustPage } from './pages/trust-page';

const KERAS_FIXTURE = join(ROOT, '..', 'shared', 'fixtures', 'keras', 'residual.keras');
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

test.describe('Models page: every format', () => {
  test('an ONNX export from PyTorch is dropped, labelled "ONNX (opset 17)", explained with every method, sanity-checked and visualised, and survives a reload', async ({
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
    const id = await models.waitUserReady();
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
    // The Trust checks that re-draw weights or climb a channel's gradient run on an ONNX model too.
    const trust = new TrustPage(page);
    await trust.open();
    const sanity = await trust.sanity();
    expect(['passes', 'partly', 'fails']).toContain(sanity.verdict);
    expect(sanity.maps).toBeGreaterThan(2); // the original and one map per re-drawn node
    const vis = await trust.visualise(0, 8);
    expect(vis.steps).toBe(8);
    expect(vis.last).toBeGreaterThan(vis.first);

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
    const id = await models.waitUserReady();
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
    expect(await models.userModels()).toEqual([]);
  });

  test('a 47 MB torchvision ONNX export (resnet18, .onnx + .onnx.data) loads with a rising progress bar, no long main-thread task, then predicts', async ({
    page,
  }) => {
    test.setTimeout(120_000);
    const { paths, bytes } = corpusModel('resnet18');
    const models = new ModelsPage(page);
    await models.open();
    const w = await models.loadWatched(paths);
    console.log(
      `[formats] resnet18 (${(bytes / 1e6).toFixed(1)} MB): ${w.loadMs} ms chosen → ready, longest task ${w.longestTaskMs.toFixed(0)} ms while loading (${w.longestTaskAfterMs.toFixed(0)} ms once shown), longest frame gap ${w.longestFrameGapMs.toFixed(0)} ms, ${w.progress.length} progress values (${w.progress.map((p) => p.toFixed(2)).join(' ')}); tasks ≥ 50 ms [at ms, ms, progress]: ${JSON.stringify(w.tasks)}`,
    );
    expectResponsiveLoad(w);
    await expect(models.format()).toHaveText('ONNX (opset 11)');
    expect(await firstPrediction(page, w.id)).toMatch(/class \d+/);
  });
});
