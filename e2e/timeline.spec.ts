import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect } from './fixtures/test';
import { ModelsPage } from './pages/models-page';

const MODEL = 'fashion-finetuned';
const FILE = JSON.parse(readFileSync(join(__dirname, '..', 'models', MODEL, 'checkpoints.json'), 'utf8')) as {
  checkpoints: { label: string; name: string; evalSet: { accuracy: number } }[];
};

test.describe('checkpoint timeline (Models view)', () => {
  test('scrubbing the slider shows another checkpoint: its map and its accuracy change', async ({ page }) => {
    const models = new ModelsPage(page);
    await models.open();
    await models.row(MODEL).getByTestId('models.row-name').click();
    await page.getByTestId('timeline.open').click();
    const map = page.getByTestId('timeline.map');
    const accuracy = page.getByTestId('timeline.accuracy');
    await expect(page.getByTestId('timeline.panel')).toHaveAttribute(
      'data-checkpoints',
      String(FILE.checkpoints.length),
    );

    await expect(map).toHaveAttribute('data-checkpoint', 'start');
    await expect(map).toHaveAttribute('data-status', 'done');
    const start = { sum: await map.getAttribute('data-map-sum'), top: await map.getAttribute('data-top') };
    await expect(accuracy).toHaveAttribute('data-eval-set', String(FILE.checkpoints[0]?.evalSet.accuracy));

    // epoch 1: the classifier after one epoch of fine-tuning — another map, another accuracy
    await page.getByTestId('timeline.slider').fill('1');
    await expect(map).toHaveAttribute('data-checkpoint', 'epoch-1');
    await expect(map).toHaveAttribute('data-status', 'done');
    expect(await map.getAttribute('data-map-sum')).not.toBe(start.sum);
    await expect(accuracy).toHaveAttribute('data-eval-set', String(FILE.checkpoints[1]?.evalSet.accuracy));
    expect(FILE.checkpoints[1]?.evalSet.accuracy).not.toBe(FILE.checkpoints[0]?.evalSet.accuracy);

    // the last checkpoint is the bundled model (after the weight interpolation): named as the file names it
    const last = FILE.checkpoints.length - 1;
    await page.getByTestId('timeline.slider').fill(String(last));
    await expect(map).toHaveAttribute('data-checkpoint', String(FILE.checkpoints[last]?.label));
    await expect(page.getByTestId('timeline.slider')).toHaveAttribute(
      'aria-valuetext',
      String(FILE.checkpoints[last]?.name),
    );
    await expect(accuracy).toHaveAttribute('data-eval-set', String(FILE.checkpoints[last]?.evalSet.accuracy));

    // every checkpoint got its small map and top class
    await expect(page.getByTestId('timeline.strip-item').and(page.locator('[data-status="done"]'))).toHaveCount(
      FILE.checkpoints.length,
    );
    expect(start.top).not.toBe('');

    // computing the accuracy here (the evaluation runner, every checkpoint) shows progress; Cancel stops it at once
    await page.getByTestId('timeline.compute-start').click();
    await expect(page.getByTestId('timeline.compute-cancel')).toBeVisible();
    await page.getByTestId('timeline.compute-cancel').click();
    await expect(page.getByTestId('timeline.compute')).toContainText('Cancelled.');
    await expect(page.getByTestId('timeline.compute-start')).toBeVisible();
  });
});
