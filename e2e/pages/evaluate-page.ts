import { expect, type Locator } from '@playwright/test';
import { DashboardPage } from './dashboard-page';

/** The Evaluate view: dataset picker, confusion matrix and its galleries, cost, rules, priors, merges. */
export class EvaluatePage extends DashboardPage {
  openEvaluate(query = '') {
    return this.openView('evaluate', query);
  }

  /** Waits until the evaluation has run and the matrix shows `n` images. */
  async waitForMatrix(n?: number) {
    const total = this.page.getByTestId('evaluate.matrix.total');
    await expect(total).toBeVisible({ timeout: 90_000 });
    if (n !== undefined) await expect(total).toHaveText(String(n));
  }

  cell(t: number, p: number): Locator {
    return this.page.getByTestId(`evaluate.matrix.cell.${t}.${p}`);
  }

  async cellCount(t: number, p: number): Promise<number> {
    return Number(await this.cell(t, p).getAttribute('data-count'));
  }

  /** All K×K counts of the main matrix, rows = true. */
  async matrix(k: number): Promise<number[][]> {
    const out: number[][] = [];
    for (let t = 0; t < k; t++) {
      const row: number[] = [];
      for (let p = 0; p < k; p++) row.push(await this.cellCount(t, p));
      out.push(row);
    }
    return out;
  }

  galleryThumbs(): Locator {
    return this.page.getByTestId('evaluate.gallery.thumb');
  }

  async value(testId: string): Promise<number> {
    const v = await this.page.getByTestId(testId).getAttribute('data-value');
    if (v === null || v === '') throw new Error(`${testId} has no value`);
    return Number(v);
  }

  async recall(rule: 'argmax' | 'costOptimal', k: number): Promise<number> {
    return this.value(`evaluate.rule.${rule}.recall.${k}`);
  }

  async applyMissedClassCost(classIndex: number, factor: number) {
    await this.page.getByTestId('evaluate.cost.missed-class').selectOption(String(classIndex));
    await this.page.getByTestId('evaluate.cost.factor').fill(String(factor));
    await this.page.getByTestId('evaluate.cost.preset.missed').click();
  }

  /** The operating point's threshold slider (role slider, aria-valuenow). */
  thresholdSlider(): Locator {
    return this.page.getByTestId('evaluate.op.threshold');
  }

  /** The threshold in use, as the panel shows it. */
  async threshold(): Promise<number> {
    return this.value('evaluate.op.threshold.value');
  }

  /** Moves the threshold with the keyboard: focus the slider, press `key` `times` times. */
  async nudgeThreshold(key: 'ArrowRight' | 'ArrowLeft', times: number) {
    await this.thresholdSlider().focus();
    for (let i = 0; i < times; i++) await this.page.keyboard.press(key);
  }

  /** Drags the slider's thumb with the mouse to `fraction` of its width. */
  async dragThreshold(fraction: number) {
    const box = await this.thresholdSlider().boundingBox();
    if (!box) throw new Error('the threshold slider is not visible');
    const y = box.y + box.height / 2;
    const from = box.x + box.width * (await this.threshold());
    await this.page.mouse.move(from, y);
    await this.page.mouse.down();
    await this.page.mouse.move(box.x + box.width * fraction, y, { steps: 8 });
    await this.page.mouse.up();
  }

  /** "Set class `cls` to `percent` % of cases, scale the others". */
  async setPriorShare(cls: number, percent: number) {
    await this.page.getByTestId('evaluate.priors.one.class').selectOption(String(cls));
    await this.page.getByTestId('evaluate.priors.one.share').fill(String(percent));
    await this.page.getByTestId('evaluate.priors.one.apply').click();
  }

  /** The guided scenario: "a missed `cls` costs `miss`× a false alarm, and it is `percent` % of cases". */
  async applyScenario(cls: number, miss: number, percent: number, name?: string) {
    await this.page.getByTestId('evaluate.scenario.class').selectOption(String(cls));
    await this.page.getByTestId('evaluate.scenario.miss').fill(String(miss));
    await this.page.getByTestId('evaluate.scenario.share').fill(String(percent));
    if (name !== undefined) await this.page.getByTestId('evaluate.scenario.name').fill(name);
    await this.page.getByTestId('evaluate.scenario.apply').click();
  }

  /** Clicks an export button and returns the downloaded text. */
  async download(testId: string): Promise<{ name: string; text: string }> {
    const [dl] = await Promise.all([this.page.waitForEvent('download'), this.page.getByTestId(testId).click()]);
    const stream = await dl.createReadStream();
    const chunks: Buffer[] = [];
    for await (const c of stream) chunks.push(Buffer.from(c as Buffer));
    return { name: dl.suggestedFilename(), text: Buffer.concat(chunks).toString('utf8') };
  }
}
