import type { Page } from '@playwright/test';
import { test, expect, tensorCount } from './fixtures/test';
import { file, png, type FilePayload } from './fixtures/files';
import { bundledLabels } from '../lib/testing/bundled-manifest';
import { layersModelJson, saveLayersInMemory } from '../lib/testing/save-layers';
import { ComparePage } from './pages/compare-page';
import { ModelsPage } from './pages/models-page';

test.describe('Compare view', () => {
  test('the default pair loads; both models predict and explain the same image, with a difference map and finite agreement', async ({
    page,
  }) => {
    const view = new ComparePage(page);
    await view.openCompare();
    await expect(view.model('a')).toHaveValue('fashion-scratch');
    await expect(view.model('b')).toHaveValue('fashion-finetuned');
    await expect(page).toHaveURL(/a=fashion-scratch&b=fashion-finetuned/);

    await view.addSamples();
    await expect(view.predictions('a').getByTestId('compare.predictions.a.row')).toHaveCount(5);
    await expect(view.predictions('b').getByTestId('compare.predictions.b.row')).toHaveCount(5);
    await expect(view.top1()).toHaveAttribute('data-agree', /true|false/);

    // Same method (Grad-CAM by default), same class for both.
    await expect(page.getByTestId('compare.method')).toHaveValue('grad-cam');
    const first = await view.agreement();
    expect(Number.isFinite(first.spearman)).toBe(true);
    expect(first.spearman).toBeGreaterThanOrEqual(-1);
    expect(first.spearman).toBeLessThanOrEqual(1);
    expect(first.topk).toBeGreaterThanOrEqual(0);
    expect(first.topk).toBeLessThanOrEqual(1);
    await expect(page.getByTestId('compare.agreement.grid')).toHaveText('28×28 px');

    // Switching the method re-explains both; parameters are shared and the URL follows.
    await page.getByTestId('compare.method').selectOption('saliency');
    await expect(page).toHaveURL(/method=saliency/);
    const sal = await view.agreement();
    expect(Number.isFinite(sal.spearman)).toBe(true);

    // The worker holds no more tensors after re-running the same explanations.
    const before = await tensorCount(page);
    await page.getByTestId('compare.method').selectOption('gradient-x-input');
    await view.agreement();
    await page.getByTestId('compare.method').selectOption('saliency');
    await view.agreement();
    expect(await tensorCount(page)).toBe(before);
  });

  test('on the bundled set the fine-tuned model beats the scratch model, and the regressions list matches McNemar’s counts', async ({
    page,
  }) => {
    test.setTimeout(240_000);
    const view = new ComparePage(page);
    await view.openCompare();
    await expect(page.getByTestId('compare.dataset')).toHaveValue('fashion-test-2k');
    const n = await view.setNumbers();
    console.log(`compare numbers: ${JSON.stringify(n)}`);
    // The product claim (soft, so the consistency checks below still run and report): the fine-tuned
    // model is the better one on the bundled set.
    expect.soft(n.accuracyB, 'fine-tuned accuracy > scratch accuracy').toBeGreaterThan(n.accuracyA);
    expect.soft(n.balancedB, 'fine-tuned balanced accuracy > scratch').toBeGreaterThan(n.balancedA);
    // 0/1 costs (the default): cost per image = error rate
    expect(n.costA).toBeCloseTo(1 - n.accuracyA, 9);
    expect(n.costB).toBeCloseTo(1 - n.accuracyB, 9);
    // accuracy difference = (c − b) / N
    expect(n.accuracyB - n.accuracyA).toBeCloseTo((n.c - n.b) / 2000, 9);
    expect(n.p).toBeGreaterThanOrEqual(0);
    expect(n.p).toBeLessThanOrEqual(1);
    await expect(page.getByTestId('compare.mcnemar.sentence')).toContainText(/likely to be chance|may well be chance/);

    await expect(view.listTab('regressions')).toHaveAttribute('data-count', String(n.b));
    await expect(view.listTab('fixes')).toHaveAttribute('data-count', String(n.c));
    expect(await view.checkList('regressions')).toBe(n.b);
    expect(await view.checkList('fixes')).toBe(n.c);
    await expect(page.getByTestId('compare.perclass.row')).toHaveCount(10);
    await expect(page.getByTestId('compare.confusion.diff')).toBeVisible();
    // Every matrix is headed by class names, not 0–9.
    for (const id of ['a', 'b', 'diff'])
      await expect(page.getByTestId(`compare.confusion.${id}`).locator('thead th').nth(1)).toHaveText('T-shirt/top');

    // Open the most confident regression: both explanations are shown for it, and the models disagree on it.
    await view.listTab('regressions').click();
    const firstCase = view.cases().first();
    const index = await firstCase.getAttribute('data-index');
    await firstCase.click();
    await expect(view.thumbs().last()).toHaveAttribute('aria-selected', 'true');
    await expect(view.thumbs().last()).toHaveAttribute('title', new RegExp(`${index}`));
    await expect(view.top1()).toHaveAttribute('data-agree', 'false');
    const agreement = await view.agreement();
    expect(Number.isFinite(agreement.spearman)).toBe(true);
    expect(Number.isFinite(agreement.topk)).toBe(true);
    await expect(page.getByTestId('compare.single')).toBeInViewport();
    await page.screenshot({ path: 'test-results/compare-regression.png', fullPage: true });
  });
});

test('two models with different input sizes (bundled 28×28 vs a user 32×32 model) are compared on the image grid', async ({
  page,
}) => {
  test.setTimeout(240_000);
  const { view, ids } = await compareUserModels(page, [{ size: 32, labels: bundledLabels('fashion-scratch') }]);
  const userId = ids[0] as string;
  await view.model('b').selectOption(userId);
  await expect(page).toHaveURL(new RegExp(`b=${encodeURIComponent(userId)}`));
  await view.addSamples();
  await expect(page.getByTestId('compare.map.b.panel')).toContainText('32×32');
  const agreement = await view.agreement();
  expect(Number.isFinite(agreement.spearman)).toBe(true);
  // both maps were brought to the image's own 28×28 grid
  await expect(page.getByTestId('compare.agreement.grid')).toHaveText('28×28 px');
  // the 32×32 model is also evaluated on the 28×28 set (the worker resizes), and the counts add up
  const n = await view.setNumbers();
  expect(n.accuracyB - n.accuracyA).toBeCloseTo((n.c - n.b) / 2000, 9);
});

test('Compare tells the truth: unlabelled models share no class, a side that cannot explain says why while the other is shown, a regression model gets no set panels', async ({
  page,
}) => {
  test.setTimeout(180_000);
  // No labels: both get made-up names "class 0" … "class 9", which pair with nothing.
  const { view, ids } = await compareUserModels(page, [
    { size: 28 },
    { size: 28, conv: false },
    { size: 28, units: 1, labels: ['age'] },
  ]);
  const [conv, dense, age] = ids as [string, string, string];
  await view.model('a').selectOption(conv);
  await view.model('b').selectOption(dense);
  await view.addImages([
    file(
      'grey.png',
      'image/png',
      png(28, 28, (x, y) => (x > 8 && x < 20 && y > 4 ? [230, 230, 230] : [0, 0, 0])),
    ),
  ]);
  await expect(view.top1()).toHaveAttribute('data-agree', 'unpaired');
  await expect(view.top1()).toContainText('no class names');

  // Grad-CAM: only A has a convolution; B says why, A's map is shown anyway.
  await page.getByTestId('compare.method').selectOption('grad-cam');
  await expect(view.map('a')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('compare.map.b.blocked')).toHaveText(
    /^B cannot be explained with Grad-CAM: the model has no layer with a spatial map/,
  );
  await expect(page.getByTestId('compare.map.diff.blocked')).toContainText('So there is no difference to show.');
  // Saliency runs on both, but A's made-up class name pairs with none of B's.
  await page.getByTestId('compare.method').selectOption('saliency');
  await expect(page.getByTestId('compare.map.b.blocked')).toContainText('made-up name');
  await expect(view.map('a')).toBeVisible({ timeout: 60_000 });

  // A regression model: no top class to agree on, no set comparison (and why).
  await view.model('b').selectOption(age);
  await expect(view.top1()).toContainText('B predicts values (regression)');
  await expect(page.getByTestId('compare.set.unavailable')).toContainText('B predicts values (regression)');
  await expect(page.getByTestId('compare.metrics')).toHaveCount(0);
});

/** Loads tiny user models (`tinyModel`) through the Models page, then opens Compare; returns their ids. */
async function compareUserModels(page: Page, specs: TinySpec[]): Promise<{ view: ComparePage; ids: string[] }> {
  const models = new ModelsPage(page);
  await models.open();
  const ids: string[] = [];
  for (const spec of specs) ids.push(await models.load(await tinyModel(spec)));
  await page.getByTestId('nav.compare').click();
  await expect(page.getByTestId('compare.view')).toBeVisible();
  return { view: new ComparePage(page), ids };
}

interface TinySpec {
  size: number;
  conv?: boolean;
  units?: number;
  labels?: string[];
}

/**
 * A tiny grey LayersModel as files: [conv →] flatten → dense with seeded weights, `units` outputs (10), and
 * `labels` as labels.json when given (else the app makes up "class 0" …).
 */
async function tinyModel(opts: TinySpec): Promise<FilePayload[]> {
  const tf = await import('@tensorflow/tfjs');
  await tf.setBackend('cpu');
  const seed = (s: number) => tf.initializers.glorotUniform({ seed: s });
  const input = [opts.size, opts.size, 1];
  const model = tf.sequential({
    layers: [
      ...(opts.conv === false
        ? [tf.layers.flatten({ inputShape: input, name: 'flat' })]
        : [
            tf.layers.conv2d({
              inputShape: input,
              filters: 4,
              kernelSize: 3,
              activation: 'relu',
              kernelInitializer: seed(1),
              name: 'conv',
            }),
            tf.layers.flatten({ name: 'flat' }),
          ]),
      tf.layers.dense({ units: opts.units ?? 10, kernelInitializer: seed(2), name: 'logits' }),
    ],
  });
  const saved = await saveLayersInMemory(model);
  model.dispose();
  const json = layersModelJson(saved, 'e2e/compare.spec.ts');
  return [
    file('model.json', 'application/json', Buffer.from(JSON.stringify(json))),
    file('weights.bin', 'application/octet-stream', Buffer.from(saved.weightData)),
    ...(opts.labels ? [file('labels.json', 'application/json', Buffer.from(JSON.stringify(opts.labels)))] : []),
  ];
}
