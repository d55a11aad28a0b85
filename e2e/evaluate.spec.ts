import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect, hooks } from './fixtures/test';
import { png } from './fixtures/files';
import { bundledLabels } from '../lib/testing/bundled-manifest';
import { EvaluatePage } from './pages/evaluate-page';

const FASHION = bundledLabels('fashion-scratch');
const SET = join(__dirname, '..', 'models', 'datasets', 'fashion-test-2k');

/** Image i of the bundled Fashion set as an RGB PNG, and the labels of the whole set. */
function bundled() {
  const pixels = readFileSync(join(SET, 'images.u8'));
  const labels = readFileSync(join(SET, 'labels.u8'));
  const image = (i: number) =>
    png(28, 28, (x, y) => {
      const v = pixels[i * 784 + y * 28 + x] as number;
      return [v, v, v];
    });
  return { labels, image };
}

test.describe('evaluate', () => {
  // Each test runs the model over 2,000 images (twice where it reloads) on a shared 2-core machine.
  test.describe.configure({ timeout: 240_000 });
  test('the bundled fine-tuned model on the bundled set: matrix, per-class table, cell gallery, open in Explain', async ({
    page,
  }) => {
    const app = new EvaluatePage(page);
    await app.openEvaluate();
    await expect(page.getByTestId('model.picker')).toHaveValue('fashion-finetuned');
    await expect(page.getByTestId('evaluate.dataset')).toHaveValue('fashion-test-2k');
    await app.waitForMatrix(2000);

    // The matrix accounts for every image; rows are the 200 images per class of the set.
    const m = await app.matrix(10);
    expect(m.flat().reduce((a, b) => a + b, 0)).toBe(2000);
    for (let t = 0; t < 10; t++) {
      expect(m[t]?.reduce((a, b) => a + b, 0)).toBe(200);
      await expect(page.getByTestId(`evaluate.class.${t}.support`)).toHaveText('200');
    }
    // The table's accuracy is the matrix trace / N; recall of each class = diagonal / 200.
    const trace = m.reduce((s, row, i) => s + (row[i] as number), 0);
    expect(await app.value('evaluate.summary.accuracy')).toBeCloseTo(trace / 2000, 10);
    expect(await app.value('evaluate.class.6.recall')).toBeCloseTo((m[6]?.[6] as number) / 200, 10);
    expect(await app.value('evaluate.summary.balanced-accuracy')).toBeCloseTo(trace / 2000, 10); // balanced set
    const acc = await page.getByTestId('evaluate.summary.accuracy').textContent();
    const bal = await page.getByTestId('evaluate.summary.balanced-accuracy').textContent();
    const f1 = await page.getByTestId('evaluate.summary.macro-f1').textContent();
    test
      .info()
      .annotations.push({ type: 'fashion-finetuned', description: `accuracy ${acc}, balanced ${bal}, macro-F1 ${f1}` });
    console.log(`fashion-finetuned on fashion-test-2k: accuracy ${acc}, balanced accuracy ${bal}, macro-F1 ${f1}`);

    // Row-normalised mode shows recall on the diagonal.
    await page.getByTestId('evaluate.matrix.mode.recall').click();
    await expect(app.cell(6, 6)).toHaveText(((100 * (m[6]?.[6] as number)) / 200).toFixed(1));
    await page.getByTestId('evaluate.matrix.mode.counts').click();

    // The largest off-diagonal cell that fits one gallery page.
    let best = { t: -1, p: -1, c: 0 };
    m.forEach((row, t) => row.forEach((c, p) => t !== p && c > best.c && c <= 60 && (best = { t, p, c })));
    expect(best.c).toBeGreaterThan(0);
    await app.cell(best.t, best.p).click();
    await expect(page.getByTestId('evaluate.cell.count')).toHaveText(String(best.c));
    await expect(app.galleryThumbs()).toHaveCount(best.c);
    const trues = await app.galleryThumbs().evaluateAll((els) => els.map((e) => e.getAttribute('data-true')));
    const preds = await app.galleryThumbs().evaluateAll((els) => els.map((e) => e.getAttribute('data-pred')));
    expect(new Set(trues)).toEqual(new Set([String(best.t)]));
    expect(new Set(preds)).toEqual(new Set([String(best.p)]));
    // Those are really images of the true class in the bundled labels.
    const { labels } = bundled();
    const idx = await app.galleryThumbs().evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-index'))));
    expect(idx.every((i) => labels[i] === best.t)).toBe(true);
    // Sorted by confidence in the decision, descending.
    const confs = (await app.galleryThumbs().allTextContents()).map((t) =>
      parseFloat(/([\d.]+) %/.exec(t)?.[1] ?? 'NaN'),
    );
    expect(confs).toEqual([...confs].sort((a, b) => b - a));
    await page.screenshot({ path: test.info().outputPath('evaluate-matrix.png'), fullPage: true });

    // Clicking an image opens it in Explain with this model and the predicted class.
    const first = idx[0] as number;
    await app.galleryThumbs().first().click();
    await expect(page).toHaveURL(new RegExp(`/\\?model=fashion-finetuned&class=${best.p}$`));
    const state = await hooks(page, (w) => w.state());
    expect(state.selectedModelId).toBe('fashion-finetuned');
    expect(state.images.some((i) => i.id === state.selectedImageId)).toBe(true);
    await expect(page.getByTestId('explain.view')).toBeVisible();
    expect(first).toBeGreaterThanOrEqual(0);
  });

  test('costs, decision rules, priors and merges; settings persist; exports', async ({ page }) => {
    const app = new EvaluatePage(page);
    await app.openEvaluate();
    await app.waitForMatrix(2000);

    // 0/1 costs: both rules agree, mean cost = error rate.
    await expect(page.getByTestId('evaluate.rule.changed')).toHaveText('0');
    const acc = await app.value('evaluate.rule.argmax.accuracy');
    expect(await app.value('evaluate.rule.argmax.total-cost')).toBeCloseTo((1 - acc) * 2000, 6);

    // Missing "Shirt" costs 20× a false alarm: the cost-optimal rule finds more shirts.
    const shirt = FASHION.indexOf('Shirt');
    const before = await app.recall('argmax', shirt);
    await app.applyMissedClassCost(shirt, 20);
    await expect(page.getByTestId(`evaluate.cost.cell.${shirt}.0`)).toHaveValue('20');
    await expect(page.getByTestId('evaluate.rule.changed')).not.toHaveText('0');
    const argmaxRecall = await app.recall('argmax', shirt);
    const costRecall = await app.recall('costOptimal', shirt);
    expect(argmaxRecall).toBe(before);
    expect(costRecall).toBeGreaterThan(argmaxRecall);
    // The Bayes rule never expects to pay more, and here it also pays less.
    expect(await app.value('evaluate.rule.costOptimal.expected-cost')).toBeLessThan(
      await app.value('evaluate.rule.argmax.expected-cost'),
    );
    expect(await app.value('evaluate.rule.costOptimal.total-cost')).toBeLessThan(
      await app.value('evaluate.rule.argmax.total-cost'),
    );
    console.log(`Shirt recall argmax ${argmaxRecall} → cost-optimal ${costRecall}`);

    // A typed cell: bad input is refused with a message, the last valid value stays.
    const c01 = page.getByTestId('evaluate.cost.cell.0.1');
    await c01.fill('-3');
    await expect(page.getByTestId('evaluate.cost.cell-error')).toContainText('Must be 0 or more');
    await c01.fill('2');
    await expect(page.getByTestId('evaluate.cost.cell-error')).toHaveCount(0);

    // Export the matrix (CSV) and import a broken one: error, matrix kept; then import the good one back.
    const exported = await app.download('evaluate.cost.export-csv');
    expect(exported.text.split('\n')[0]).toBe(
      `true\\decision,${FASHION.map((l) => (l.includes(',') ? `"${l}"` : l)).join(',')}`,
    );
    expect(exported.text.split('\n')[shirt + 1]?.split(',')[1]).toBe('20');
    await page
      .getByTestId('evaluate.cost.import')
      .setInputFiles({ name: 'broken.csv', mimeType: 'text/csv', buffer: Buffer.from('a,b\n0,1\n') });
    await expect(page.getByTestId('evaluate.cost.error')).toContainText('broken.csv');
    await expect(page.getByTestId(`evaluate.cost.cell.${shirt}.0`)).toHaveValue('20');
    await page.getByTestId('evaluate.cost.preset.zero-one').click();
    await expect(page.getByTestId('evaluate.rule.changed')).toHaveText('0');
    await page
      .getByTestId('evaluate.cost.import')
      .setInputFiles({ name: 'costs.csv', mimeType: 'text/csv', buffer: Buffer.from(exported.text) });
    await expect(page.getByTestId(`evaluate.cost.cell.${shirt}.0`)).toHaveValue('20');
    await expect(page.getByTestId('evaluate.cost.cell.0.1')).toHaveValue('2');

    // Per-class CSV export = the table.
    const perClass = await app.download('evaluate.export.per-class');
    const rows = perClass.text.trim().split('\n');
    expect(rows).toHaveLength(12);
    expect(rows[shirt + 1]?.split(',')[8 - 1]).toBe(String(argmaxRecall));

    // Priors: uniform changes nothing on a balanced set; a skewed prior moves decisions.
    await page.getByTestId('evaluate.cost.preset.zero-one').click();
    await page.getByTestId('evaluate.priors.uniform').click();
    await expect(page.getByTestId('evaluate.priors.state')).toContainText('Re-weighted');
    expect(await app.value('evaluate.rule.argmax.accuracy')).toBeCloseTo(acc, 10);
    await page.getByTestId(`evaluate.priors.${shirt}`).fill('10');
    await expect(page.getByTestId(`evaluate.priors.share.${shirt}`)).toHaveText('52.6 %'); // 10 / 19
    expect(await app.recall('argmax', shirt)).toBeGreaterThan(argmaxRecall);
    await page.getByTestId('evaluate.priors.none').click();
    await expect(page.getByTestId('evaluate.priors.state')).toContainText('Not re-weighted');
    expect(await app.recall('argmax', shirt)).toBe(argmaxRecall);

    // Merge T-shirt/top + Shirt: 9 classes, still 2,000 images, accuracy can only rise.
    await page.getByTestId('evaluate.merge.class.0').check();
    await page.getByTestId(`evaluate.merge.class.${shirt}`).check();
    await page.getByTestId('evaluate.merge.apply').click();
    await expect(page.getByTestId('evaluate.merge.group')).toHaveText(/T-shirt\/top \+ Shirt/);
    await expect(app.cell(8, 8)).toBeVisible();
    await expect(app.cell(9, 9)).toHaveCount(0);
    await expect(page.getByTestId('evaluate.matrix.total')).toHaveText('2000');
    await expect(page.getByTestId('evaluate.class.0.support')).toHaveText('400');
    // The merged posteriors are re-decided (a merged class adds its members' probabilities), so accuracy can move
    // either way. Check the shown matrix against the exported per-image predictions instead.
    const pred = await app.download('evaluate.export.predictions');
    const lines = pred.text
      .trim()
      .split('\n')
      .map((l) => l.split(','));
    const header = lines[0] as string[];
    expect(header.slice(9)).toEqual([
      'p(T-shirt/top + Shirt)',
      ...FASHION.filter((c) => c !== 'T-shirt/top' && c !== 'Shirt').map((c) => `p(${c})`),
    ]);
    const merged = ['T-shirt/top + Shirt', ...FASHION.filter((c) => c !== 'T-shirt/top' && c !== 'Shirt')];
    const counts = Array.from({ length: 9 }, () => new Array<number>(9).fill(0));
    for (const row of lines.slice(1)) {
      const t = merged.indexOf(row[2] as string);
      const d = merged.indexOf(row[3] as string);
      (counts[t] as number[])[d]! += 1;
      const mass = row.slice(9).reduce((s, v) => s + Number(v), 0);
      expect(Math.abs(mass - 1)).toBeLessThan(1e-4);
    }
    expect(lines).toHaveLength(2001);
    expect(await app.matrix(9)).toEqual(counts);
    await page.screenshot({ path: test.info().outputPath('evaluate-merged.png'), fullPage: true });

    // Everything persists across a reload.
    await page.reload();
    await app.waitForMatrix(2000);
    await expect(page.getByTestId('evaluate.merge.group')).toHaveText(/T-shirt\/top \+ Shirt/);
    await expect(page.getByTestId('evaluate.cost.cell.0.1')).toHaveValue('1');
    await page.getByTestId('evaluate.merge.clear').click();
    await expect(app.cell(9, 9)).toBeVisible();

    // Calibration is shown with its ECE.
    await expect(page.getByTestId('evaluate.calibration.ece')).toHaveText(/^\d+\.\d\d %$/);
    const bars = await page
      .getByTestId('evaluate.calibration.bar')
      .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-count'))));
    expect(bars.reduce((a, b) => a + b, 0)).toBe(2000);
  });

  test('a labelled folder of the user is evaluated and its report shows what was left out', async ({ page }) => {
    const app = new EvaluatePage(page);
    const { labels, image } = bundled();
    const root = test.info().outputPath('my-set');
    const pick = (cls: number, n: number) =>
      Array.from(labels.keys())
        .filter((i) => labels[i] === cls)
        .slice(0, n);
    const write = (dir: string, name: string, data: Buffer) => {
      mkdirSync(join(root, dir), { recursive: true });
      writeFileSync(join(root, dir, name), data);
    };
    for (const i of pick(1, 3)) write('Trouser', `img-${i}.png`, image(i));
    for (const i of pick(8, 2)) write('bag', `img-${i}.png`, image(i)); // matched case-insensitively
    write('Spaceship', 'rocket.png', image(0)); // planted unknown label
    write('Trouser', 'broken.png', Buffer.from('this is not a png'));

    await app.openEvaluate();
    await app.waitForMatrix(2000);
    await page.getByTestId('evaluate.labelled.folder').setInputFiles(root);
    await expect(page.getByTestId('evaluate.report')).toBeVisible();
    await expect(page.getByTestId('evaluate.dataset')).toHaveValue(/^user-set-/);
    await app.waitForMatrix(5);
    await expect(page.getByTestId('evaluate.report.unknown.item')).toHaveAttribute('data-label', 'Spaceship');
    await expect(page.getByTestId('evaluate.report.unknown')).toContainText('rocket.png');
    await expect(page.getByTestId('evaluate.report.unreadable')).toContainText('broken.png');
    await expect(page.getByTestId('evaluate.report.empty')).toContainText('(8)');
    await expect(page.getByTestId('evaluate.report.summary')).toContainText('5 labelled images used');
    await expect(page.getByTestId('evaluate.class.1.support')).toHaveText('3');
    await expect(page.getByTestId('evaluate.class.8.support')).toHaveText('2');
    await expect(page.getByTestId('evaluate.class.0.support')).toHaveText('0');
    // The rows of the matrix are the user's labels.
    expect((await app.matrix(10))[1]?.reduce((a, b) => a + b, 0)).toBe(3);
    await page.screenshot({ path: test.info().outputPath('evaluate-user-set.png'), fullPage: true });
    // The bundled set is still one pick away, and its cached result comes back at once.
    await page.getByTestId('evaluate.dataset').selectOption('fashion-test-2k');
    await app.waitForMatrix(2000);
  });

  test('an evaluation can be cancelled and run again', async ({ page }) => {
    const app = new EvaluatePage(page);
    await app.openEvaluate('?model=fashion-scratch');
    await expect(page.getByTestId('model.picker')).toHaveValue('fashion-scratch');
    const cancel = page.getByTestId('evaluate.cancel');
    await cancel.click({ timeout: 60_000 });
    await expect(page.getByTestId('evaluate.cancelled')).toBeVisible();
    await expect(page.getByTestId('evaluate.matrix.total')).toHaveCount(0);
    await page.getByTestId('evaluate.run').click();
    await app.waitForMatrix(2000);
    expect(page.url()).toContain('model=fashion-scratch');
  });
});
