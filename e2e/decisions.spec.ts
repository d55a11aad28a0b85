/**
 * Decisions the way a credit officer makes them (#16): deployment priors in one step, the guided scenario
 * ("a missed X costs 20× a false alarm, X is 2 % of cases"), the operating point on one class dragged by
 * keyboard and mouse with the panels following, the cost-optimal threshold, the link that carries it all,
 * and temperature scaling — on the bundled model as one-vs-rest, and on a one-sigmoid binary model built
 * here, evaluated on a small labelled folder (Wilson intervals for its small classes).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures/test';
import { file, png, type FilePayload } from './fixtures/files';
import { layersModelJson, saveLayersInMemory } from '../lib/testing/save-layers';
import { EvaluatePage } from './pages/evaluate-page';
import { ModelsPage } from './pages/models-page';

const SET = join(__dirname, '..', 'models', 'datasets', 'fashion-test-2k');
const SHIRT = 6;

/** Column `p` of the main confusion matrix, summed (how many images are decided as p). */
async function decidedAs(app: EvaluatePage, p: number, k: number): Promise<number> {
  let s = 0;
  for (let t = 0; t < k; t++) s += await app.cellCount(t, p);
  return s;
}

async function recallOf(app: EvaluatePage, cls: number) {
  return app.value(`evaluate.class.${cls}.recall`);
}

/** A one-sigmoid model on 28×28 grey images: p = σ(0.01·Σ pixels − 1.5), labels [trouser, pullover]. */
async function sigmoidModel(): Promise<FilePayload[]> {
  const tf = await import('@tensorflow/tfjs');
  await tf.setBackend('cpu');
  const model = tf.sequential({
    layers: [
      tf.layers.flatten({ inputShape: [28, 28, 1], name: 'flat' }),
      tf.layers.dense({
        units: 1,
        activation: 'sigmoid',
        kernelInitializer: tf.initializers.constant({ value: 0.01 }),
        biasInitializer: tf.initializers.constant({ value: -1.5 }),
        name: 'p',
      }),
    ],
  });
  const saved = await saveLayersInMemory(model);
  model.dispose();
  return [
    file(
      'model.json',
      'application/json',
      Buffer.from(JSON.stringify(layersModelJson(saved, 'e2e/decisions.spec.ts'))),
    ),
    file('weights.bin', 'application/octet-stream', Buffer.from(saved.weightData)),
    file('labels.json', 'application/json', Buffer.from(JSON.stringify(['trouser', 'pullover']))),
  ];
}

/** A folder of bundled Fashion images: `n` trousers (class 1) and `n` pullovers (class 2). */
function labelledFolder(root: string, n: number) {
  const pixels = readFileSync(join(SET, 'images.u8'));
  const labels = readFileSync(join(SET, 'labels.u8'));
  for (const [cls, dir] of [
    [1, 'trouser'],
    [2, 'pullover'],
  ] as const) {
    mkdirSync(join(root, dir), { recursive: true });
    const idx = Array.from(labels.keys())
      .filter((i) => labels[i] === cls)
      .slice(0, n);
    for (const i of idx) {
      const image = png(28, 28, (x, y) => {
        const v = pixels[i * 784 + y * 28 + x] as number;
        return [v, v, v];
      });
      writeFileSync(join(root, dir, `img-${i}.png`), image);
    }
  }
}

async function shot(page: Page, name: string) {
  await page.screenshot({ path: test.info().outputPath(name), fullPage: true });
}

test.describe('decisions', () => {
  test.describe.configure({ timeout: 240_000 });

  test('credit-officer flow on the bundled model, one class against the rest', async ({ page }) => {
    const app = new EvaluatePage(page);
    await app.openEvaluate();
    await app.waitForMatrix(2000);

    // Priors in one step: Shirt is 2 % of cases, the others scaled; figures "at your priors" appear.
    await app.setPriorShare(SHIRT, 2);
    await expect(page.getByTestId(`evaluate.priors.share.${SHIRT}`)).toHaveText('2.0 %');
    await expect(page.getByTestId('evaluate.priors.share.0')).toHaveText('10.9 %');
    await expect(page.getByTestId('evaluate.rule.argmax.accuracy.priors')).toBeVisible();
    await expect(page.getByTestId('evaluate.rule.two-costs')).toContainText('really cost');

    // The scenario sets costs, priors and the threshold 1/(1 + 20), and says what it saves.
    await app.applyScenario(SHIRT, 20, 2, 'Missed shirts');
    await expect(page.getByTestId('evaluate.scenario.rule')).toContainText('above 0.048');
    expect(await app.threshold()).toBeCloseTo(1 / 21, 4);
    await expect(page.getByTestId('evaluate.per-class')).toContainText('threshold on one class');
    await expect(page.getByTestId('evaluate.op.auc')).toHaveText(/^0\.\d{3}$/);
    const url = new URL(page.url());
    expect(url.searchParams.get('op')).toBe(`${SHIRT}:0.047619`);
    expect(url.searchParams.get('rule')).toBe('threshold');
    expect(url.searchParams.get('cost')?.split(',')).toHaveLength(9); // sparse: row Shirt only
    expect(url.searchParams.get('scn')).toBe(`${SHIRT}:20:0.02:Missed shirts`);

    // Keyboard: raising the threshold decides Shirt less often; the matrix and table follow at once.
    const before = { recall: await recallOf(app, SHIRT), decided: await decidedAs(app, SHIRT, 10) };
    await app.nudgeThreshold('ArrowRight', 30);
    const t1 = await app.threshold();
    expect(t1).toBeGreaterThan(0.15);
    await expect(app.thresholdSlider()).toHaveAttribute('aria-valuenow', String(t1));
    const mid = { recall: await recallOf(app, SHIRT), decided: await decidedAs(app, SHIRT, 10) };
    expect(mid.decided).toBeLessThan(before.decided);
    expect(mid.recall).toBeLessThanOrEqual(before.recall);
    await expect(page.getByTestId('evaluate.matrix.total')).toHaveText('2000');

    // Mouse: drag the thumb to 90 %.
    await app.dragThreshold(0.9);
    const t2 = await app.threshold();
    expect(t2).toBeGreaterThan(0.8);
    expect(await decidedAs(app, SHIRT, 10)).toBeLessThanOrEqual(mid.decided);

    // The cost-optimal threshold: marked, used with one click, never worse than the argmax or 0.5.
    await expect(page.getByTestId('evaluate.op.best-marker')).toBeVisible();
    await page.getByTestId('evaluate.op.use-best').click();
    const best = await app.value('evaluate.op.best-cost');
    expect(await app.value('evaluate.op.cost')).toBeCloseTo(best, 10);
    expect(await app.value('evaluate.op.saved-argmax')).toBeGreaterThanOrEqual(0);
    expect(await app.value('evaluate.op.saved-half')).toBeGreaterThanOrEqual(0);
    await shot(page, 'decisions-bundled.png');

    // The link alone brings it all back: forget the saved settings, reload.
    const bestT = await app.threshold();
    await page.evaluate(() => localStorage.clear());
    await page.reload();
    await app.waitForMatrix(2000);
    expect(await app.threshold()).toBeCloseTo(bestT, 6);
    await expect(page.getByTestId('evaluate.per-class')).toContainText('threshold on one class');
    await expect(page.getByTestId(`evaluate.priors.share.${SHIRT}`)).toHaveText('2.0 %');
    await expect(page.getByTestId('evaluate.scenario.saved')).toContainText('Missed shirts');
    expect(await app.value('evaluate.op.best-cost')).toBeCloseTo(best, 10);

    // Calibration: bin counts add up to the set; temperature lowers the held-out NLL; apply it.
    const counts = await page
      .getByTestId('evaluate.calibration.count')
      .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-count'))));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(2000);
    expect(await app.value('evaluate.temperature.nll.after')).toBeLessThanOrEqual(
      await app.value('evaluate.temperature.nll.before'),
    );
    const ece = await page.getByTestId('evaluate.calibration.ece').textContent();
    await page.getByTestId('evaluate.temperature.apply').check();
    await expect(page.getByTestId('evaluate.calibration.ece')).not.toHaveText(ece ?? '');
  });

  test('a binary sigmoid model on a small labelled folder: threshold by keyboard and mouse, Wilson intervals', async ({
    page,
  }) => {
    const models = new ModelsPage(page);
    await models.open();
    await models.drop(await sigmoidModel());
    const id = await models.waitUserReady();
    const app = new EvaluatePage(page);
    // A full load of a link to the saved model: it waits for the saved models to be listed, restores it from
    // IndexedDB and selects it (the link used to be ignored when the model was not listed yet).
    await page.goto(`/evaluate?model=${encodeURIComponent(id)}`);
    await expect(page.getByTestId('model.picker')).toHaveValue(id, { timeout: 60_000 });
    await expect.poll(async () => (await models.userModels()).find((m) => m.id === id)?.status).toBe('ready');
    const root = test.info().outputPath('binary-set');
    labelledFolder(root, 12);
    await page.getByTestId('evaluate.labelled.folder').setInputFiles(root);
    await app.waitForMatrix(24);
    await expect(page.getByTestId('evaluate.class.1.support')).toHaveText('12');
    // 12 images per class: every rate carries its 95 % interval.
    await expect(page.getByTestId('evaluate.class.1.recall.ci')).toBeVisible();

    // The binary model's positive class is "pullover"; at 0.5 the threshold rule is the argmax.
    await expect(page.getByTestId('evaluate.op.class')).toHaveValue('1');
    await app.nudgeThreshold('ArrowRight', 1);
    await app.nudgeThreshold('ArrowLeft', 1);
    expect(await app.threshold()).toBe(0.5);
    expect(await app.value('evaluate.rule.threshold.accuracy')).toBe(await app.value('evaluate.rule.argmax.accuracy'));

    const r50 = await recallOf(app, 1);
    await app.nudgeThreshold('ArrowLeft', 40); // 0.5 → 0.3
    expect(await app.threshold()).toBeCloseTo(0.3, 6);
    const r30 = await recallOf(app, 1);
    expect(r30).toBeGreaterThanOrEqual(r50);
    const d30 = await decidedAs(app, 1, 2);
    await app.dragThreshold(0.02);
    expect(await app.threshold()).toBeLessThan(0.1);
    expect(await recallOf(app, 1)).toBeGreaterThanOrEqual(r30);
    expect(await decidedAs(app, 1, 2)).toBeGreaterThanOrEqual(d30);
    await shot(page, 'decisions-binary.png');
  });
});
