import { readFileSync } from 'node:fs';
import { expect, test, type WhyHooks } from './fixtures/test';
import { ExplainPage, FASHION, firstIndexOf } from './pages/explain-page';
import { METHOD_IDS } from '../lib/explain/catalog';

/** The trained Fashion-MNIST model (fashion-finetuned may still carry quick placeholder weights). */
const MODEL = 'fashion-scratch';
const TROUSER = 1;
const trouserIndex = firstIndexOf(FASHION, TROUSER);
/** Every registered method, in catalog order (the tfjs-free catalog is the one list). */
const ALL_METHODS: readonly string[] = METHOD_IDS;

test.describe('Explain view', () => {
  test('a bundled trouser is “Trouser”, and every method draws a finite, non-empty map for it', async ({ page }) => {
    const x = new ExplainPage(page);
    await x.open(`?model=${MODEL}&sample=${FASHION}:${trouserIndex}`);
    await expect(x.topLabel()).toHaveText('Trouser');
    const main = await x.waitDone({ target: TROUSER });
    expect(main.stats?.finite).toBe(true);

    await x.tab('grid').click();
    await expect(page).toHaveURL(/view=grid/);
    await expect
      .poll(async () => (await x.probe())?.grid.map((t) => t.status).join(','), { timeout: 120_000 })
      .toBe(ALL_METHODS.map(() => 'done').join(','));
    const grid = (await x.probe())!.grid;
    expect(grid.map((t) => t.method)).toEqual(ALL_METHODS);
    for (const t of grid) {
      expect(t.target, t.method).toBe(TROUSER);
      expect(t.stats?.finite, t.method).toBe(true);
      expect(t.stats?.count, t.method).toBe(28 * 28);
      expect(t.stats?.nonzero, t.method).toBeGreaterThan(0);
      expect(t.stats!.max, t.method).toBeGreaterThan(t.stats!.min);
      console.log(`[timing] ${t.method}: ${t.totalMs?.toFixed(0)} ms`);
    }
    await page.screenshot({ path: 'test-results/explain-grid.png', fullPage: true });
    // Tiles enlarge on click and Esc closes them.
    await page.getByRole('button', { name: 'Enlarge Occlusion' }).click();
    await expect(page.getByTestId('explain.enlarged')).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('explain.enlarged')).toHaveCount(0);
  });

  test('clicking another class re-explains for that class; the evaluation set speaks about the decision', async ({
    page,
  }) => {
    const x = new ExplainPage(page);
    await x.open(`?model=${MODEL}&sample=${FASHION}:${trouserIndex}&method=gradient-x-input`);
    const first = await x.waitDone({ target: TROUSER, method: 'gradient-x-input' });
    const other = Number(await page.getByTestId('predictions.row').nth(1).getAttribute('data-class-index'));
    expect(other).not.toBe(TROUSER);
    await x.classRow(other).click();
    const second = await x.waitDone({ target: other, method: 'gradient-x-input' });
    expect(second.stats?.finite).toBe(true);
    expect(second.stats?.sum).not.toBeCloseTo(first.stats!.sum, 6);
    await expect(page).toHaveURL(new RegExp(`class=${other}`));
    // Search all classes: "Bag" is class 8.
    await page.getByTestId('explain.class-search').fill('bag');
    await page.getByTestId('explain.class-option').filter({ hasText: 'Bag' }).click();
    expect((await x.waitDone({ target: 8 })).resultTarget).toBe(8);
    // Precision of the decision on the bundled set (evaluated lazily in the background).
    const precision = page.getByTestId('explain.decision.precision');
    await expect(precision).toBeVisible({ timeout: 90_000 });
    const p = Number(await precision.getAttribute('data-precision'));
    expect(p).toBeGreaterThanOrEqual(0);
    expect(p).toBeLessThanOrEqual(1);
    await expect(page.getByTestId('explain.decision.facts')).toContainText('Expected cost of deciding Bag');
    await page.screenshot({ path: 'test-results/explain-single.png', fullPage: true });
  });

  test('the URL round-trips model, image, method, parameters and class; number keys pick methods', async ({ page }) => {
    const x = new ExplainPage(page);
    await x.open(`?model=${MODEL}&sample=${FASHION}:${trouserIndex}`);
    await x.waitDone({ target: TROUSER });
    await page.getByTestId('explain.view').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('7'); // 7th method = occlusion
    await expect(x.method('occlusion')).toHaveAttribute('aria-checked', 'true');
    await x.param('stride').fill('2');
    await x.classRow(TROUSER).click();
    const other = Number(await page.getByTestId('predictions.row').nth(2).getAttribute('data-class-index'));
    await x.classRow(other).click();
    const before = await x.waitDone({ target: other, method: 'occlusion' });
    expect(before.config?.stride).toBe(2);
    await expect(page).toHaveURL(/method=occlusion/);
    await expect(page).toHaveURL(/p\.stride=2/);
    const url = page.url();

    await page.reload();
    const after = await x.waitDone({ target: other, method: 'occlusion' });
    expect(page.url()).toBe(url);
    expect(after.modelId).toBe(MODEL);
    expect(after.config?.stride).toBe(2);
    expect(after.stats?.sum).toBeCloseTo(before.stats!.sum, 4);
    const state = await page.evaluate(() =>
      (window as unknown as { __why: { state(): { images: { name: string }[] } } }).__why.state(),
    );
    expect(state.images.map((i) => i.name)).toEqual([`${FASHION} #${trouserIndex}`]);
    await expect(x.method('occlusion')).toHaveAttribute('aria-checked', 'true');
  });

  test('exports a non-empty overlay PNG, .npy and summary PNG', async ({ page }) => {
    const x = new ExplainPage(page);
    await x.open(`?model=${MODEL}&sample=${FASHION}:${trouserIndex}&method=saliency`);
    await x.waitDone({ target: TROUSER });
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47]);
    for (const [id, magic] of [
      ['explain.export.png', png],
      ['explain.export.summary', png],
      ['explain.export.npy', Buffer.from([0x93, 0x4e, 0x55, 0x4d])],
    ] as const) {
      const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId(id).click()]);
      const path = await dl.path();
      const bytes = readFileSync(path);
      expect(bytes.length, id).toBeGreaterThan(100);
      expect(bytes.subarray(0, 4).equals(magic), id).toBe(true);
    }
  });

  test('cancel stops a long method and leaves the tensors at baseline', async ({ page }) => {
    const x = new ExplainPage(page);
    await x.open(`?model=${MODEL}&sample=${FASHION}:${trouserIndex}&method=saliency`);
    await x.waitDone({ target: TROUSER });
    await expect(page.getByTestId('explain.decision.precision')).toBeVisible({ timeout: 90_000 });
    const baseline = await x.tensors();

    await x.method('rise').click();
    // The estimate from the measured passes is shown before (and while) it runs.
    await expect(page.getByTestId('explain.estimate.time')).toHaveText(/^(about|under) /);
    await x.param('numMasks').fill('20000');
    await expect
      .poll(async () => {
        const p = await x.probe();
        return p?.status === 'running' && p.progress > 0 && p.config === null
          ? 'running'
          : `${p?.status} ${p?.progress}`;
      })
      .toBe('running');
    await page.getByTestId('explain.cancel').click();
    await expect(page.getByTestId('explain.progress.cancelled')).toBeVisible();
    const p = await x.probe();
    expect(p?.status).toBe('cancelled');
    expect(p!.progress).toBeLessThan(1);
    // Still usable at once: another method runs to the end without waiting for the cancelled one (the worker
    // slices batches to ≤ 150 ms; the page's polling and rendering add the rest); no tensor left behind.
    const clicked = Date.now();
    await x.method('grad-cam').click();
    // Watched every frame (expect.poll's back-off would add up to a second of its own).
    await page.waitForFunction(
      () => {
        const p = (window as unknown as { __why: WhyHooks }).__why.explain();
        return p?.status === 'done' && p.resultMethod === 'grad-cam';
      },
      null,
      { polling: 'raf', timeout: 30_000 },
    );
    const gc = await x.waitDone({ target: TROUSER, method: 'grad-cam' });
    const waited = Date.now() - clicked - (gc.totalMs ?? 0);
    console.log(`e2e: Grad-CAM after Cancel waited ${waited} ms beyond its own ${gc.totalMs?.toFixed(0)} ms`);
    // Measured 850–1200 ms here at a load average of ~20 on 2 cores (page rendering and messaging; the
    // worker part is < 200 ms, lib/runtime/cancel-budget.test.ts); issue 12 saw a cancelled IG hold it 82 s.
    expect(waited).toBeLessThan(1500);
    await expect.poll(() => x.tensors(), { timeout: 10_000 }).toBe(baseline);
  });

  test('presentation mode steps through the strip with arrow keys and leaves with Esc; batch explains every image', async ({
    page,
  }) => {
    const x = new ExplainPage(page);
    await x.open(`?model=${MODEL}&sample=${FASHION}:${trouserIndex}&method=grad-cam`);
    await x.waitDone({ target: TROUSER });
    await page.getByTestId('images.samples').click();
    await expect(page.getByTestId('images.thumb')).toHaveCount(13);
    await page.getByTestId('explain.present').click();
    const show = page.getByTestId('explain.presentation');
    await expect(show).toBeVisible();
    await expect(page.getByTestId('explain.params')).toHaveCount(0);
    const before = await page.evaluate(
      () => (window as unknown as { __why: { state(): { selectedImageId: string } } }).__why.state().selectedImageId,
    );
    await page.keyboard.press('ArrowRight');
    await expect
      .poll(() =>
        page.evaluate(
          () =>
            (window as unknown as { __why: { state(): { selectedImageId: string } } }).__why.state().selectedImageId,
        ),
      )
      .not.toBe(before);
    await page.keyboard.press('Escape');
    await expect(show).toHaveCount(0);

    await x.tab('batch').click();
    await expect
      .poll(async () => (await x.probe())?.batch.filter((t) => t.status === 'done').length, { timeout: 90_000 })
      .toBe(13);
    for (const t of (await x.probe())!.batch) expect(t.stats?.finite).toBe(true);
  });
});

test.describe('explain: Integrated Gradients time limit', () => {
  test('a run stopped by its time limit says so under the map; “Run again” asks for more steps without the limit', async ({
    page,
  }) => {
    const x = new ExplainPage(page);
    // CPU, one path point per call and a 0.5 % target: the first 8 steps alone take about the 1 s limit here.
    const params = 'p.steps=512&p.targetError=0.005&p.timeLimit=1&p.batchSize=1';
    await x.open(`?model=${MODEL}&sample=${FASHION}:${trouserIndex}&method=integrated-gradients&${params}&backend=cpu`);
    await expect(page.getByTestId('explain.estimate.early')).toHaveText(/within 0\.5 % or after 1 s$/);
    await x.waitDone({ target: TROUSER, method: 'integrated-gradients' });
    const line = page.getByTestId('explain.completeness.time');
    await expect(line).toHaveText(/^Stopped adding steps after \d+ of 512 at the 1 s time limit/);
    const used = Number(/after (\d+) of/.exec((await line.textContent()) ?? '')?.[1]);
    expect(used).toBeGreaterThanOrEqual(8);
    expect(used).toBeLessThan(512);
    await expect(page.getByTestId('explain.completeness')).toContainText('Completeness error');
    const again = page.getByTestId('explain.completeness.more');
    await expect(again).toHaveText('Run again with 1024 steps, no time limit');
    await again.click();
    await expect(page).toHaveURL(/p\.steps=1024/);
    await expect(page).not.toHaveURL(/p\.timeLimit/);
    await expect(page.getByTestId('explain.estimate.early')).not.toContainText('or after');
  });
});
