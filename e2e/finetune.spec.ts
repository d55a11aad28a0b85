import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect } from './fixtures/test';
import { png } from './fixtures/files';
import { ModelsPage } from './pages/models-page';
import { ExplainPage, FASHION } from './pages/explain-page';

const SET = join(__dirname, '..', 'models', 'datasets', FASHION);
/** New classes (not the model's): Fashion-MNIST classes grouped as tops and footwear. */
const GROUPS: Record<string, number[]> = { tops: [0, 2, 6], footwear: [5, 7, 9] };
const PER_CLASS = 12;

/** Writes `PER_CLASS` bundled test images per new class into root/<class>/; returns the indices used per class. */
function labelledFolder(root: string): Record<string, number[]> {
  const pixels = readFileSync(join(SET, 'images.u8'));
  const labels = readFileSync(join(SET, 'labels.u8'));
  const used: Record<string, number[]> = {};
  for (const [name, fine] of Object.entries(GROUPS)) {
    mkdirSync(join(root, name), { recursive: true });
    used[name] = [...labels.keys()].filter((i) => fine.includes(labels[i] as number)).slice(0, PER_CLASS);
    for (const i of used[name] ?? []) {
      const grey = (x: number, y: number) => pixels[i * 784 + y * 28 + x] as number;
      writeFileSync(
        join(root, name, `${i}.png`),
        png(28, 28, (x, y) => [grey(x, y), grey(x, y), grey(x, y)]),
      );
    }
  }
  return used;
}

test.describe('fine-tune a head in the browser', () => {
  test.describe.configure({ timeout: 180_000 });
  test('a new two-class head on a small labelled folder becomes a model Explain uses (Grad-CAM)', async ({ page }) => {
    const root = test.info().outputPath('new-classes');
    const used = labelledFolder(root);
    const models = new ModelsPage(page);
    await models.open();
    await models.trainHead('fashion-scratch', root, 8);
    await expect(page.getByTestId('fine-tune.progress')).toBeVisible();
    const id = await models.headResult();
    expect(id).not.toBe('');
    const curve = page.getByTestId('fine-tune.curve');
    await expect(curve).toHaveAttribute('data-epochs', '8');
    expect(Number(await curve.getAttribute('data-held-out-accuracy'))).toBeGreaterThanOrEqual(0.75);
    await expect(page.getByTestId('fine-tune.result')).toContainText('2 classes (footwear, tops)');
    console.log(`[speed] ${await page.getByTestId('fine-tune.speed').textContent()}`);
    await expect(models.row(id)).toBeVisible();
    await page.screenshot({ path: 'test-results/finetune-models.png', fullPage: true });

    // The saved model (body + new head) explains a sandal it never saw, after a reload, with Grad-CAM.
    const labels = readFileSync(join(SET, 'labels.u8'));
    const sandal = [...labels.keys()].find((i) => labels[i] === 5 && !(used.footwear ?? []).includes(i));
    const x = new ExplainPage(page);
    await x.open(`?model=${id}&sample=${FASHION}:${sandal}&method=grad-cam`);
    await expect(x.topLabel()).toHaveText('footwear', { timeout: 60_000 });
    const done = await x.waitDone({ method: 'grad-cam' });
    expect(done.stats?.finite).toBe(true);
    expect(done.stats?.nonzero).toBeGreaterThan(0);
  });
});
