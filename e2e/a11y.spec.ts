import { expect, test } from './fixtures/test';
import { A11yChecks } from './pages/a11y-checks';
import { ExplainPage } from './pages/explain-page';
import { EvaluatePage } from './pages/evaluate-page';
import { ComparePage } from './pages/compare-page';
import { DashboardPage } from './pages/dashboard-page';

/**
 * Every view, light and dark: 0 serious or critical axe violations and no sideways page scroll from 390 px
 * to 1920 px; the keyboard reaches the confusion matrix in a few Tabs and moves inside it with the arrows.
 * One page load per view; the colour scheme and the width change in place.
 */
const WIDTHS = [390, 1440, 1920] as const;

async function checkView(a: A11yChecks, view: string) {
  for (const width of WIDTHS) {
    await a.setWidth(width);
    for (const scheme of ['light', 'dark'] as const) {
      await a.scheme(scheme);
      const scroll = await a.sidewaysScroll();
      expect(scroll, `${view} at ${width} px (${scheme}) scrolls sideways`).toEqual({ excess: 0, culprits: [] });
      // axe at the narrowest width, where wrapping and scroll boxes differ (colours are the same at every width).
      if (width === 390) expect(await a.seriousAxe(), `${view} at ${width} px (${scheme})`).toEqual([]);
    }
  }
}

test.describe('accessibility', () => {
  test('Explain with a map, its presentation and the empty view; every tab stop visible with a ring; method arrows', async ({
    page,
  }) => {
    test.setTimeout(180_000);
    const x = new ExplainPage(page);
    const a = new A11yChecks(page);
    await x.open('');
    await x.waitDone();
    // The method's help open too: its text and links are part of what a newcomer reads.
    await page.getByTestId('explain.help.toggle').click();
    await checkView(a, 'Explain');

    const walk = await a.badTabStops(80);
    expect(walk.stops).toBeGreaterThan(10);
    expect(walk.bad, 'tab stops that are invisible or draw no focus ring').toEqual([]);

    // The method buttons are one radio group: arrows move the choice and the focus.
    const checked = page.getByTestId('explain.methods').locator('[aria-checked="true"]');
    const before = await checked.getAttribute('data-testid');
    await checked.focus();
    await page.keyboard.press('ArrowRight');
    await expect(checked).not.toHaveAttribute('data-testid', before ?? '');
    expect((await a.focused())?.name).toBe(await checked.getAttribute('data-testid'));

    await page.getByTestId('explain.present').click();
    await expect(page.getByTestId('explain.presentation')).toBeVisible();
    await checkView(a, 'Presentation');
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('explain.presentation')).toHaveCount(0);

    // Empty: the only image removed from the keyboard (Delete on the chosen thumbnail).
    await a.setWidth(1440);
    await page.getByTestId('images.thumb').focus();
    await page.keyboard.press('Delete');
    await expect(page.getByTestId('images.thumb')).toHaveCount(0);
    await checkView(a, 'Explain (empty)');
  });

  test('Evaluate: a few Tabs reach the confusion matrix, arrows move inside it, Enter opens the cell', async ({
    page,
  }) => {
    test.setTimeout(180_000);
    const app = new EvaluatePage(page);
    const a = new A11yChecks(page);
    await app.openEvaluate();
    await app.waitForMatrix(2000);
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    // Tab 1 is the skip link; Enter jumps past the navigation.
    expect(await a.tabUntil(/Skip to content/, 1)).toBe(1);
    expect((await a.focused())?.visible).toBe(true);
    await page.keyboard.press('Enter');
    const more = await a.tabUntil(/^evaluate\.matrix\.cell\./, 9);
    expect(more, 'Tabs from the skip link to a matrix cell').not.toBeNull();
    console.log(`a11y: ${1 + (more ?? 0)} Tabs to the confusion matrix (skip link + Enter)`);
    expect((await a.focused())?.name).toBe('evaluate.matrix.cell.0.0');
    expect((await a.focused())?.ring).toBe(true);
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowDown');
    expect((await a.focused())?.name).toBe('evaluate.matrix.cell.1.1');
    await page.keyboard.press('ArrowLeft');
    expect((await a.focused())?.name).toBe('evaluate.matrix.cell.1.0');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('evaluate.cell')).toBeVisible();
    await expect(page.getByTestId('evaluate.cell.count')).toHaveText(String(await app.cellCount(1, 0)));
    // Still one tab stop: Shift+Tab leaves the matrix instead of walking its cells.
    await page.keyboard.press('Shift+Tab');
    expect((await a.focused())?.name).not.toMatch(/^evaluate\.matrix\.cell\./);

    await checkView(a, 'Evaluate (with a cell open)');
  });

  test('Compare: one image and the evaluation set', async ({ page }) => {
    test.setTimeout(240_000);
    const view = new ComparePage(page);
    await view.openCompare();
    await view.addSamples();
    await view.agreement();
    await view.setNumbers();
    await checkView(new A11yChecks(page), 'Compare');
  });

  test('Models', async ({ page }) => {
    await new DashboardPage(page).open('/models');
    await expect(page.getByTestId('model.details')).toBeVisible();
    await checkView(new A11yChecks(page), 'Models');
  });
});
