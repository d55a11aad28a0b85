import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, hooks } from '../fixtures/test';
import type { ExplainProbe } from '../../lib/explain-view/test-bridge';

export const FASHION = 'fashion-test-2k';

/** Index of the first image of class `label` in a bundled evaluation set (labels.u8 read from disk). */
export function firstIndexOf(datasetId: string, label: number): number {
  const labels = readFileSync(join(__dirname, '..', '..', 'models', 'datasets', datasetId, 'labels.u8'));
  const i = labels.indexOf(label);
  if (i < 0) throw new Error(`no image of class ${label} in ${datasetId}`);
  return i;
}

/** Page object of the Explain view. */
export class ExplainPage {
  constructor(readonly page: Page) {}

  async open(query: string) {
    await this.page.goto(`/${query}`);
    await expect(this.page.getByTestId('explain.view')).toBeVisible();
  }

  probe(): Promise<ExplainProbe | null> {
    return hooks(this.page, (w) => w.explain());
  }

  /** Waits until the main explanation is done (for `target` when given) and returns the probe. */
  async waitDone(opts: { target?: number; method?: string; timeout?: number } = {}): Promise<ExplainProbe> {
    let last: ExplainProbe | null = null;
    await expect
      .poll(
        async () => {
          last = await this.probe();
          if (!last) return 'no probe';
          if (last.status === 'error') throw new Error(`explanation failed: ${last.error}`);
          const ok =
            last.status === 'done' &&
            (opts.target === undefined || last.resultTarget === opts.target) &&
            (opts.method === undefined || last.resultMethod === opts.method);
          return ok ? 'done' : `${last.status} ${last.resultMethod}/${last.resultTarget}`;
        },
        { timeout: opts.timeout ?? 60_000 },
      )
      .toBe('done');
    return last as unknown as ExplainProbe;
  }

  topLabel() {
    return this.page.getByTestId('predictions.label').first();
  }

  /** The "is this image like the model's data?" notice; waits until the check has answered. */
  async ood(timeout = 60_000) {
    const notice = this.page.getByTestId('explain.ood');
    await expect(notice).toHaveAttribute('data-status', /^(in|out|no-set|error)$/, { timeout });
    return notice;
  }

  /** The "is this image like the model's data?" notice, in whatever state it is. */
  oodNotice() {
    return this.page.getByTestId('explain.ood');
  }

  method(id: string) {
    return this.page.getByTestId(`explain.method.${id}`);
  }

  classRow(k: number) {
    return this.page.locator(`[data-testid="predictions.row"][data-class-index="${k}"] button`);
  }

  tab(id: 'single' | 'grid' | 'batch') {
    return this.page.getByTestId(`explain.tab.${id}`);
  }

  param(name: string) {
    return this.page.getByTestId(`explain.param.${name}`);
  }

  async tensors(): Promise<number> {
    return hooks(this.page, async (w) => (await w.memory()).numTensors);
  }
}
