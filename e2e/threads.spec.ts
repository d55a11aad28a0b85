/**
 * Multi-threaded WASM under cross-origin isolation (lib/runtime/wasm-threads.ts, next.config.ts):
 * - the page sends COOP same-origin + COEP require-corp (with its other security headers) and is isolated;
 *   WASM starts one thread per two cores (2 cores: single-threaded; `?threads=2`: two) and the badge says so; its predictions
 *   match the single-threaded build's and the CPU backend's;
 * - COEP does not break "Load model from URL": a bundled model served from another origin (a second server
 *   on another port) with CORS still loads and predicts.
 */
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { join, normalize } from 'node:path';
import { allowErrors, expect, test } from './fixtures/test';
import { file, png } from './fixtures/files';
import { DashboardPage } from './pages/dashboard-page';
import { ModelsPage } from './pages/models-page';

const MODEL_DIR = join(__dirname, '..', 'models', 'mnist-cnn');

/**
 * A second origin: serves models/mnist-cnn with CORS (and nothing else: no CORP, no COEP). `missing` lists the
 * paths it answered 404 (the loader asks for optional side files the folder does not have).
 */
function corsServer(): Promise<{ server: Server; origin: string; missing: string[] }> {
  const missing: string[] = [];
  const server = createServer((req, res) => {
    const name = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^\/+/, '');
    readFile(join(MODEL_DIR, name)).then(
      (body) => {
        res.writeHead(200, { 'access-control-allow-origin': '*', 'content-type': 'application/octet-stream' });
        res.end(body);
      },
      () => {
        missing.push(name);
        res.writeHead(404, { 'access-control-allow-origin': '*' });
        res.end();
      },
    );
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      resolve({ server, origin: `http://127.0.0.1:${port}`, missing });
    }),
  );
}

async function topProbabilities(page: import('@playwright/test').Page): Promise<string[]> {
  await expect(page.getByTestId('predictions.row')).toHaveCount(5);
  return page.getByTestId('predictions.prob').allTextContents();
}

test.describe('WASM threads', () => {
  test('the page is cross-origin isolated, WASM runs one thread per two cores (?threads=2: two), and predicts as the CPU does', async ({
    page,
  }) => {
    const app = new DashboardPage(page);
    const res = await page.goto('/?backend=wasm');
    const headers = res?.headers() ?? {};
    expect(headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(headers['cross-origin-embedder-policy']).toBe('require-corp');
    expect(headers['content-security-policy']).toMatch(
      /script-src 'self' 'nonce-[^']+' 'strict-dynamic' 'wasm-unsafe-eval'/,
    );
    expect(headers['x-frame-options']).toBe('DENY');
    expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(true);
    // The default: one thread per two cores (2 cores: the single-threaded build, measured faster there).
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    const byDefault = Math.floor(cores / 2);
    await expect(app.badge()).toHaveAttribute('data-backend', 'wasm');
    await expect(app.badge()).toHaveText(byDefault > 1 ? `Backend: WASM · ${byDefault} threads ▾` : 'Backend: WASM ▾');
    await app.addSamples();
    const plain = await topProbabilities(page);

    // ?threads=2: the threaded build with two threads (the badge and the menu say so), the same predictions.
    await app.open('/?backend=wasm&threads=2');
    await expect(app.badge()).toHaveText('Backend: WASM · 2 threads ▾');
    await app.badge().click();
    await expect(page.getByTestId('backend.option.wasm')).toContainText('WASM · 2 threads');
    await page.keyboard.press('Escape');
    await app.addSamples();
    const threaded = await topProbabilities(page);
    expect(threaded).toEqual(plain);

    await app.open('/?backend=cpu');
    await expect(app.badge()).toHaveAttribute('data-backend', 'cpu');
    await app.addSamples();
    expect(await topProbabilities(page)).toEqual(threaded);
  });

  test('a model URL on another origin with CORS still loads under COEP', async ({ page }) => {
    const { server, origin, missing } = await corsServer();
    allowErrors(page, /status of 404/); // optional side files, checked below
    try {
      const models = new ModelsPage(page);
      await models.open();
      const known = (await models.userModels()).map((m) => m.id);
      await page.getByTestId('model-loader.url').fill(`${origin}/model.json`);
      await page.getByTestId('model-loader.url-submit').click();
      await models.waitUserReady(known, 60_000);
      await page.getByTestId('nav.explain').click();
      // A plain stroke as a digit: the URL model (MNIST, 10 classes) predicts its top 5 for it.
      await new DashboardPage(page).addImages([
        file(
          'stroke.png',
          'image/png',
          png(28, 28, (x) => (x >= 12 && x < 16 ? [255, 255, 255] : [0, 0, 0])),
        ),
      ]);
      await expect(page.getByTestId('predictions.row')).toHaveCount(5);
      expect(missing.filter((p) => /model\.json$|\.bin$/.test(p))).toEqual([]);
    } finally {
      server.close();
    }
  });
});
