import { test, expect, hooks, tensorCount, allowErrors } from './fixtures/test';
import { DashboardPage } from './pages/dashboard-page';
import {
  bmp,
  brokenModels,
  bundledModelFiles,
  file,
  GIF_1x1,
  png,
  pngHeaderOnly,
  withExifOrientation,
} from './fixtures/files';

const stripes = (x: number) => [x % 8 < 4 ? 255 : 0, 128, 64] as [number, number, number];

test.describe('foundation', () => {
  test('bundled model, samples and top-k predictions; every request stays on this origin', async ({
    page,
    pageErrors,
    requests,
    baseURL,
  }) => {
    const app = new DashboardPage(page);
    await app.open('/');
    // Headless Chromium's WebGL is SwiftShader (software): the dashboard must pick WASM.
    expect(await app.backend()).toBe('wasm');
    await expect(page.getByTestId('model.picker')).toHaveValue('fashion-finetuned');
    await app.addSamples();
    await expect(app.thumbs()).toHaveCount(12);
    const rows = page.getByTestId('predictions.row');
    await expect(rows).toHaveCount(5);
    const probs = (await page.getByTestId('predictions.prob').allTextContents()).map((t) => parseFloat(t));
    expect(probs.every((p) => p >= 0 && p <= 100)).toBe(true);
    expect(probs).toEqual([...probs].sort((a, b) => b - a));
    expect(probs.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(100.5);
    // Another model updates the predictions.
    await page.getByTestId('model.picker').selectOption('fashion-scratch');
    await expect(page.getByTestId('predictions.row')).toHaveCount(5);
    // Nothing left the origin: no request to any other host during the whole session.
    const origin = new URL(baseURL as string).origin;
    const foreign = requests.filter((u) => !u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('blob:'));
    expect(foreign).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  test('?backend= overrides the choice, and the page sends its security headers', async ({ page }) => {
    const app = new DashboardPage(page);
    const res = await page.goto('/?backend=cpu');
    const csp = res?.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic' 'wasm-unsafe-eval'/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res?.headers()['x-content-type-options']).toBe('nosniff');
    expect(res?.headers()['x-frame-options']).toBe('DENY');
    await expect(page.getByTestId('backend.badge')).toHaveAttribute('data-backend', 'cpu');
    await app.addSamples();
    await expect(page.getByTestId('predictions.row')).toHaveCount(5);
  });

  test('images arrive by picker, drop and paste in every format, EXIF orientation respected', async ({ page }) => {
    const app = new DashboardPage(page);
    await app.open('/');
    const { jpeg, webp } = await page.evaluate(async () => {
      const c = new OffscreenCanvas(40, 20);
      const ctx = c.getContext('2d') as OffscreenCanvasRenderingContext2D;
      ctx.fillStyle = '#c33';
      ctx.fillRect(0, 0, 40, 20);
      ctx.fillStyle = '#3c3';
      ctx.fillRect(0, 0, 10, 20);
      const bytes = async (type: string) =>
        Array.from(new Uint8Array(await (await c.convertToBlob({ type, quality: 0.9 })).arrayBuffer()));
      return { jpeg: await bytes('image/jpeg'), webp: await bytes('image/webp') };
    });
    await app.addImages([
      file('stripes.png', 'image/png', png(40, 30, stripes)),
      file('photo.jpg', 'image/jpeg', Buffer.from(jpeg)),
      file('rotated.jpg', 'image/jpeg', withExifOrientation(Buffer.from(jpeg), 6)),
    ]);
    await app.dropFiles('images.dropzone', [
      file('tiny.gif', 'image/gif', GIF_1x1),
      file('pic.webp', 'image/webp', Buffer.from(webp)),
    ]);
    await app.pasteFiles([file('pasted.bmp', 'image/bmp', bmp(12, 9, stripes))]);
    await expect(app.thumbs()).toHaveCount(6);
    const meta = await hooks(page, (w) => w.state().images.map((i) => i.name));
    // The three intake paths run concurrently, so the strip's order is the order decoding finished.
    expect([...meta].sort()).toEqual(['pasted.bmp', 'photo.jpg', 'pic.webp', 'rotated.jpg', 'stripes.png', 'tiny.gif']);
    const caption = async (name: string) => {
      await page
        .getByTestId('images.thumb')
        .and(page.locator(`[title="${name}"]`))
        .click();
      return page.getByTestId('explain.image-caption').textContent();
    };
    expect(await caption('stripes.png')).toContain('40×30 · png');
    expect(await caption('photo.jpg')).toContain('40×20 · jpeg');
    // Orientation 6 = rotate 90°: the 40×20 picture is shown (and fed to the model) as 20×40.
    expect(await caption('rotated.jpg')).toContain('20×40 · jpeg');
    expect(await caption('tiny.gif')).toContain('1×1 · gif');
    expect(await caption('pic.webp')).toContain('40×20 · webp');
    expect(await caption('pasted.bmp')).toContain('12×9 · bmp');
    await expect(page.getByTestId('predictions.row')).toHaveCount(5);
    // Keyboard: arrow keys move through the strip.
    await page.getByTestId('images.thumb').first().click();
    await page.keyboard.press('ArrowRight');
    await expect(page.getByTestId('explain.image-caption')).toContainText(meta[1] as string);
    await page.keyboard.press('ArrowRight');
    await expect(page.getByTestId('explain.image-caption')).toContainText(meta[2] as string);
    await page.keyboard.press('ArrowLeft');
    await expect(page.getByTestId('explain.image-caption')).toContainText(meta[1] as string);
  });

  test('bad images are refused with a clear message and nothing already loaded is lost', async ({ page }) => {
    const app = new DashboardPage(page);
    await app.open('/');
    await app.addImages([file('good.png', 'image/png', png(16, 16, stripes))]);
    await expect(app.thumbs()).toHaveCount(1);
    await expect(page.getByTestId('predictions.row')).toHaveCount(5);
    const good = png(16, 16, stripes);
    const cases = [
      { f: file('notes.png', 'image/png', Buffer.from('just some text, not a picture\n')), re: /not an image/i },
      { f: file('empty.png', 'image/png', Buffer.alloc(0)), re: /empty \(0 bytes\)/i },
      { f: file('cut.png', 'image/png', good.subarray(0, Math.floor(good.length / 2))), re: /incomplete|damaged/i },
      { f: file('huge.png', 'image/png', pngHeaderOnly(30000, 30000)), re: /30000×30000|too large|megapixel/i },
      { f: file('report.pdf', 'application/pdf', Buffer.from('%PDF-1.4\n1 0 obj\n<<>>\nendobj\n')), re: /PDF/ },
    ];
    for (const c of cases) {
      await app.addImages([c.f]);
      await app.expectError(new RegExp(`${c.f.name.replace('.', '\\.')}.*${c.re.source}`, 'i'));
      await app.dismissNotices();
    }
    await expect(app.thumbs()).toHaveCount(1);
    await expect(page.getByTestId('explain.image-caption')).toContainText('good.png');
    await expect(page.getByTestId('predictions.row')).toHaveCount(5);
    // Still usable afterwards.
    await app.addImages([file('after.png', 'image/png', png(8, 8, stripes))]);
    await expect(app.thumbs()).toHaveCount(2);
  });

  test('a user model loads from files, persists across reloads, can be renamed and removed; HTML in names is text', async ({
    page,
  }) => {
    const app = new DashboardPage(page);
    await app.open('/models');
    await expect(page.getByTestId('model.details')).toBeVisible();
    const baseline = await tensorCount(page);
    const evil = '<b>bold</b><img src="x" onerror="window.__pwned=1">';
    const card = {
      name: evil,
      labels: Array.from({ length: 10 }, (_, i) => (i === 3 ? '<i>three</i>' : `digit ${i}`)),
      normalization: 'zero-one',
    };
    await page
      .getByTestId('model-loader.input')
      .setInputFiles([
        ...bundledModelFiles('mnist-cnn'),
        file('card.json', 'application/json', Buffer.from(JSON.stringify(card))),
      ]);
    await expect(page.getByTestId('notice.info')).toContainText('Loaded');
    const row = page.getByTestId('models.row').filter({ hasText: '<b>bold</b>' });
    await expect(row).toHaveCount(1);
    await expect(page.getByTestId('models.selected-name')).toHaveText(evil);
    // Settings no card gave are named so the user can check them.
    await expect(page.getByTestId('models.assumed')).toContainText('resize');
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    await expect(page.getByTestId('model.details.label').nth(3)).toContainText('<i>three</i>');
    await expect(page.getByTestId('model.details.output')).toContainText('10 classes');
    await expect(page.getByTestId('model.details.cam-layers')).toContainText('relu');
    expect(Number((await page.getByTestId('model.details.params').textContent())?.replace(/,/g, ''))).toBeGreaterThan(
      1000,
    );
    expect(await tensorCount(page)).toBeGreaterThan(baseline);

    // Survives a reload (IndexedDB), and loads again from there.
    await page.reload();
    await expect(page.getByTestId('models.row').filter({ hasText: '<b>bold</b>' })).toHaveCount(1);
    await page.getByTestId('models.row').filter({ hasText: '<b>bold</b>' }).getByTestId('models.row-name').click();
    await expect(page.getByTestId('model.details.output')).toContainText('10 classes');

    // Rename, reload, still renamed.
    await page.getByTestId('models.row').filter({ hasText: '<b>bold</b>' }).getByTestId('models.rename').click();
    await page.getByTestId('models.rename-input').fill('My digits');
    await page.getByTestId('models.rename-save').click();
    await expect(page.getByTestId('models.row').filter({ hasText: 'My digits' })).toHaveCount(1);
    await page.reload();
    await expect(page.getByTestId('models.row').filter({ hasText: 'My digits' })).toHaveCount(1);

    // Settings nobody gave are named, and can be changed afterwards (persisted).
    await page.getByTestId('models.row').filter({ hasText: 'My digits' }).getByTestId('models.row-name').click();
    await page.getByTestId('models.settings').locator('summary').click();
    const labels = page.getByTestId('models.settings').getByTestId('model-settings.labels');
    await labels.fill((await labels.inputValue()).replace('digit 0', 'nought'));
    await page.getByTestId('models.settings-save').click();
    await expect(page.getByTestId('model.details.label').first()).toContainText('nought');
    await page.reload();
    await page.getByTestId('models.row').filter({ hasText: 'My digits' }).getByTestId('models.row-name').click();
    await expect(page.getByTestId('model.details.label').first()).toContainText('nought');

    // Remove: tensors return to the baseline (the default bundled model only), and it stays gone.
    await page.getByTestId('models.row').filter({ hasText: 'My digits' }).getByTestId('models.row-name').click();
    await expect(page.getByTestId('model.details.output')).toContainText('10 classes');
    page.once('dialog', (d) => void d.accept());
    await page.getByTestId('models.row').filter({ hasText: 'My digits' }).getByTestId('models.remove').click();
    await expect(page.getByTestId('models.row').filter({ hasText: 'My digits' })).toHaveCount(0);
    await expect.poll(() => tensorCount(page)).toBe(baseline);
    await page.reload();
    await expect(page.getByTestId('models.row').first()).toBeVisible();
    await expect(page.getByTestId('models.row').filter({ hasText: 'My digits' })).toHaveCount(0);
  });

  test('broken model files each get a clear message and the page keeps working', async ({ page }) => {
    const app = new DashboardPage(page);
    await app.open('/models');
    await expect(page.getByTestId('model.details')).toBeVisible();
    const rowsBefore = await page.getByTestId('models.row').count();
    for (const broken of brokenModels('mnist-cnn')) {
      await page.getByTestId('model-loader.input').setInputFiles(broken.files);
      await expect(app.errorNotices().filter({ hasText: broken.message }).first(), broken.name).toBeVisible();
      await app.dismissNotices();
    }
    await expect(page.getByTestId('models.row')).toHaveCount(rowsBefore);
    await page.getByTestId('nav.explain').click();
    await app.addSamples();
    await expect(page.getByTestId('predictions.row')).toHaveCount(5);
  });

  test('a model URL that cannot be read is explained in plain words', async ({ page }) => {
    const app = new DashboardPage(page);
    await app.open('/models');
    allowErrors(page, /Failed to load resource|ERR_CONNECTION_REFUSED|net::/);
    await page.getByTestId('model-loader.url').fill('http://127.0.0.1:9/nowhere/model.json');
    await page.getByTestId('model-loader.url-submit').click();
    await app.expectError(/does not allow this page to read the file \(CORS\), or it cannot be reached/);
    await page.getByTestId('model-loader.url').fill(new URL('/models/does-not-exist/model.json', page.url()).href);
    await page.getByTestId('model-loader.url-submit').click();
    allowErrors(page, /404/);
    await app.expectError(/not found|404/i);
  });

  test('tensor memory returns to its baseline after repeated predictions', async ({ page }) => {
    const app = new DashboardPage(page);
    await app.open('/');
    await app.addSamples();
    // Load both models once; from then on predictions must not leave tensors behind.
    await page.getByTestId('model.picker').selectOption('fashion-scratch');
    await expect(page.getByTestId('predictions.row')).toHaveCount(5);
    await page.getByTestId('model.picker').selectOption('fashion-finetuned');
    await expect(page.getByTestId('predictions.row')).toHaveCount(5);
    const baseline = await tensorCount(page);
    for (const model of ['fashion-scratch', 'fashion-finetuned']) {
      await page.getByTestId('model.picker').selectOption(model);
      // Six of the strip's images per model: a per-prediction leak would show as at least six tensors.
      for (let i = 0; i < 6; i++) {
        await app.thumbs().nth(i).click();
        await expect(page.getByTestId('predictions.row')).toHaveCount(5);
      }
    }
    expect(await tensorCount(page)).toBe(baseline);
  });
});
