import { expect, type Locator } from '@playwright/test';
import { DashboardPage } from './dashboard-page';

export type Slot = 'a' | 'b';

/** The Compare view: model slots, the single-image comparison and the evaluation-set comparison. */
export class ComparePage extends DashboardPage {
  openCompare(query = '') {
    return this.openView('compare', query);
  }

  model(slot: Slot): Locator {
    return this.page.getByTestId(`compare.model.${slot}`);
  }

  predictions(slot: Slot): Locator {
    return this.page.getByTestId(`compare.predictions.${slot}`);
  }

  map(slot: Slot | 'diff'): Locator {
    return this.page.getByTestId(`compare.map.${slot}`);
  }

  top1(): Locator {
    return this.page.getByTestId('compare.top1');
  }

  /** A number shown in the view, read from the element's data-value attribute. */
  async value(testId: string): Promise<number> {
    const el = this.page.getByTestId(testId);
    await expect(el).toHaveAttribute('data-value', /\S/);
    return Number(await el.getAttribute('data-value'));
  }

  /** Waits until both explanations and their agreement scores are shown; returns Spearman ρ and the top-10 % IoU. */
  async agreement(): Promise<{ spearman: number; topk: number }> {
    await expect(this.map('a')).toBeVisible({ timeout: 60_000 });
    await expect(this.map('b')).toBeVisible({ timeout: 60_000 });
    await expect(this.map('diff')).toBeVisible({ timeout: 60_000 });
    return {
      spearman: await this.value('compare.agreement.spearman'),
      topk: await this.value('compare.agreement.topk'),
    };
  }

  /** Waits for the set comparison (both models evaluated) and returns the headline numbers. */
  async setNumbers() {
    const opts = { timeout: 110_000 };
    await expect(this.page.getByTestId('compare.metrics')).toBeVisible(opts);
    return {
      accuracyA: await this.value('compare.metric.accuracy.a'),
      accuracyB: await this.value('compare.metric.accuracy.b'),
      balancedA: await this.value('compare.metric.balanced-accuracy.a'),
      balancedB: await this.value('compare.metric.balanced-accuracy.b'),
      costA: await this.value('compare.metric.cost.a'),
      costB: await this.value('compare.metric.cost.b'),
      b: await this.value('compare.mcnemar.b'),
      c: await this.value('compare.mcnemar.c'),
      p: await this.value('compare.mcnemar.p'),
    };
  }

  listTab(list: 'regressions' | 'fixes'): Locator {
    return this.page.getByTestId(`compare.list.${list}`);
  }

  cases(): Locator {
    return this.page.getByTestId('compare.case');
  }

  /**
   * Opens a list and checks it is consistent page by page: the list says it holds `total` cases, shows
   * min(total, page) of them, and each "Show more" adds a page and says how many are left.
   * Returns the total.
   */
  async checkList(list: 'regressions' | 'fixes'): Promise<number> {
    await this.listTab(list).click();
    const ul = this.page.getByTestId('compare.cases');
    await expect(ul).toHaveAttribute('data-list', list);
    const total = Number(await ul.getAttribute('data-total'));
    const page = Number(await ul.getAttribute('data-page'));
    await expect(this.cases()).toHaveCount(Math.min(total, page));
    const more = this.page.getByTestId('compare.cases.more');
    if (total > page) {
      await expect(more).toHaveAttribute('data-left', String(total - page));
      await more.click();
      await expect(this.cases()).toHaveCount(Math.min(total, 2 * page));
    } else {
      await expect(more).toHaveCount(0);
    }
    return total;
  }
}
