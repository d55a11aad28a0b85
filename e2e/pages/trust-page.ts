import type { Page } from '@playwright/test';
import { expect } from '../fixtures/test';

/** The numbers of a finished deletion / insertion measurement (read from the verdict's data attributes). */
export interface TrustAucs {
  deletion: number;
  insertion: number;
  randomDeletion: number;
  randomInsertion: number;
}

/** Page object of the Explain view's Trust tab. */
export class TrustPage {
  constructor(readonly page: Page) {}

  async open() {
    await this.page.getByTestId('explain.tab.trust').click();
    await expect(this.page.getByTestId('trust.view')).toBeVisible();
  }

  /** Measures the current map's deletion / insertion curves and returns their areas. */
  async measureMap(timeout = 30_000): Promise<TrustAucs> {
    await expect(this.page.getByTestId('trust.faithfulness.run')).toBeEnabled({ timeout });
    await this.page.getByTestId('trust.faithfulness.run').click();
    const v = this.page.getByTestId('trust.faithfulness.verdict');
    await expect(v).toBeVisible({ timeout });
    const read = async (name: string) => Number(await v.getAttribute(`data-${name}`));
    return {
      deletion: await read('deletion-auc'),
      insertion: await read('insertion-auc'),
      randomDeletion: await read('random-deletion-auc'),
      randomInsertion: await read('random-insertion-auc'),
    };
  }

  /** Runs the sanity check of the current map; returns the verdict and the number of maps in the row. */
  async sanity(timeout = 60_000): Promise<{ verdict: string | null; maps: number }> {
    await this.page.getByTestId('trust.sanity.run').click();
    const v = this.page.getByTestId('trust.sanity.verdict');
    await expect(v).toBeVisible({ timeout });
    return {
      verdict: await v.getAttribute('data-verdict'),
      maps: await this.page.getByTestId('trust.sanity.step').count(),
    };
  }

  /** FGSM / PGD at `levels`/255 on the current image; returns the classes before / after and the flip ε (FGSM, PGD). */
  async attack(levels: number, steps = 1, timeout = 60_000) {
    await this.page.getByTestId('trust.attack.levels').fill(String(levels));
    await this.page.getByTestId('trust.attack.steps').fill(String(steps));
    await this.page.getByTestId('trust.attack.run').click();
    const v = this.page.getByTestId('trust.attack.verdict');
    await expect(v).toBeVisible({ timeout });
    const flip = await v.getAttribute('data-flip');
    const flipPgd = await v.getAttribute('data-flip-pgd');
    return {
      before: Number(await v.getAttribute('data-before')),
      after: Number(await v.getAttribute('data-after')),
      flip: flip ? Number(flip) : null,
      /** The smallest ε found by the PGD search (null: none up to 32/255). */
      flipPgd: flipPgd ? Number(flipPgd) : null,
      /** The attacked class's probability before and after. */
      pBefore: Number(await v.getAttribute('data-p-before')),
      pAfter: Number(await v.getAttribute('data-p-after')),
    };
  }

  /** Accuracy under FGSM and noise over `n` images; returns the all-classes row (FGSM ε…, then noise σ…). */
  async robustness(n: number, timeout = 60_000): Promise<number[]> {
    await this.page.getByTestId('trust.robust.n').fill(String(n));
    await this.page.getByTestId('trust.robust.run').click();
    const row = this.page.getByTestId('trust.robust.row.all');
    await expect(row).toBeVisible({ timeout });
    const cells = row.locator('td[data-value]');
    return Promise.all((await cells.all()).map(async (c) => Number(await c.getAttribute('data-value'))));
  }

  /** Shows the feature maps of the chosen layer; returns the layer's channel count and the tiles drawn. */
  async featureMaps(timeout = 30_000) {
    await this.page.getByTestId('trust.acts.run').click();
    const summary = this.page.getByTestId('trust.acts.summary');
    await expect(summary).toBeVisible({ timeout });
    return {
      channels: Number(await summary.getAttribute('data-channels')),
      tiles: await this.page.getByTestId('trust.acts.channel').count(),
    };
  }

  /** Visualises channel `channel` of the chosen layer in `steps` steps; returns its mean activation first and last. */
  async visualise(channel: number, steps: number, timeout = 30_000) {
    await this.page.getByTestId('trust.vis.channel').fill(String(channel));
    await this.page.getByTestId('trust.vis.steps').fill(String(steps));
    await this.page.getByTestId('trust.vis.run').click();
    const r = this.page.getByTestId('trust.vis.result');
    await expect(r).toBeVisible({ timeout });
    return {
      first: Number(await r.getAttribute('data-first')),
      last: Number(await r.getAttribute('data-last')),
      steps: Number(await r.getAttribute('data-steps')),
    };
  }

  /** Runs the set-level measurement on `n` images with only `methods` ticked; returns its rows' areas. */
  async measureSet(n: number, methods: readonly string[], timeout = 60_000) {
    const boxes = this.page.locator('[data-testid^="trust.set.method."]');
    for (const box of await boxes.all()) {
      const id = (await box.getAttribute('data-testid'))?.replace('trust.set.method.', '') ?? '';
      await box.setChecked(methods.includes(id));
    }
    await this.page.getByTestId('trust.set.n').fill(String(n));
    await this.page.getByTestId('trust.set.run').click();
    await expect(this.page.getByTestId('trust.set.result')).toBeVisible({ timeout });
    const rows = this.page.locator('[data-testid^="trust.set.row."]');
    return Promise.all(
      (await rows.all()).map(async (row) => {
        const cells = row.locator('td[data-value]');
        return {
          method: (await row.getAttribute('data-testid'))?.replace('trust.set.row.', ''),
          deletion: Number(await cells.nth(0).getAttribute('data-value')),
          insertion: Number(await cells.nth(1).getAttribute('data-value')),
        };
      }),
    );
  }
}
