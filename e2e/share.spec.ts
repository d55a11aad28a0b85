import { expect, hooks, test } from './fixtures/test';
import { png } from './fixtures/files';
import { FASHION } from './pages/explain-page';
import { SharePage } from './pages/share-page';

/** Shareable and durable views, and the report the expert keeps (issue #14 items 5 and 6). */
const MODEL = 'fashion-scratch';
const selectedName = (page: import('@playwright/test').Page) =>
  hooks(page, (w) => {
    const s = w.state();
    return s.images.find((i) => i.id === s.selectedImageId)?.name ?? null;
  });

test.describe('sharing and keeping a view', () => {
  test('a link with the 12 strip samples and look settings reproduces the view in a new page', async ({ page }) => {
    const x = new SharePage(page);
    await x.open(`?model=${MODEL}&method=saliency`);
    await x.waitDone({ method: 'saliency' });
    await page.getByTestId('images.samples').click();
    await expect(x.thumbs()).toHaveCount(12);
    await x.thumbs().nth(3).click();
    await x.look('colormap').selectOption('turbo');
    await x.look('opacity').fill('0.35');
    await x.look('side-by-side').check();
    await expect(page).toHaveURL(/strip=fashion-test-2k%3A0-11/);
    await expect(page).toHaveURL(/cmap=turbo/);
    await expect(page).toHaveURL(/alpha=35/);
    const link = page.url();
    const want = await selectedName(page);

    const other = await page.context().newPage(); // its own sessionStorage: only the link carries the view
    const errors: string[] = [];
    other.on('pageerror', (e) => errors.push(e.message));
    const y = new SharePage(other);
    await other.goto(link);
    await expect(other.getByTestId('explain.view')).toBeVisible();
    await expect(y.thumbs()).toHaveCount(12);
    await expect.poll(() => selectedName(other)).toBe(want);
    await expect(y.look('colormap')).toHaveValue('turbo');
    await expect(y.look('opacity')).toHaveValue('0.35');
    await expect(y.look('side-by-side')).toBeChecked();
    await y.waitDone({ method: 'saliency' });
    await expect(y.colourBar()).toHaveAttribute('data-colormap', 'turbo');
    expect(errors).toEqual([]);
    await other.close();
  });

  test('a reload keeps a user image in the strip; back and forward restore the method', async ({ page }) => {
    const x = new SharePage(page);
    await x.open(`?model=${MODEL}&method=saliency`);
    await x.waitDone({ method: 'saliency' });
    await page.getByTestId('images.input').setInputFiles({
      name: 'mine.png',
      mimeType: 'image/png',
      buffer: png(28, 28, (px, py) => (px > 8 && px < 20 && py > 4 ? [230, 230, 230] : [10, 10, 10])),
    });
    await expect.poll(() => selectedName(page)).toBe('mine.png');
    await x.waitDone({ method: 'saliency' });
    await x.method('gradient-x-input').click();
    await expect(page).toHaveURL(/method=gradient-x-input/);

    await page.goBack();
    await expect(page).toHaveURL(/method=saliency/);
    await expect.poll(async () => (await x.probe())?.method).toBe('saliency');
    await page.goForward();
    await expect(page).toHaveURL(/method=gradient-x-input/);
    await expect.poll(async () => (await x.probe())?.method).toBe('gradient-x-input');

    await page.reload();
    await expect(page.getByTestId('explain.view')).toBeVisible();
    await expect(x.thumbs()).toHaveCount(1);
    await expect.poll(() => selectedName(page)).toBe('mine.png');
    await x.waitDone({ method: 'gradient-x-input' });
  });

  test('Compare: back and forward restore the method of the pair', async ({ page }) => {
    const x = new SharePage(page);
    await page.goto('/compare?a=fashion-scratch&b=fashion-finetuned&method=grad-cam');
    const menu = x.compareMethod();
    await expect(menu).toHaveValue('grad-cam');
    await menu.focus();
    await page.keyboard.press('ArrowUp'); // a user's key press: a new history entry
    await expect(menu).not.toHaveValue('grad-cam');
    const chosen = await menu.inputValue();
    await expect(page).toHaveURL(new RegExp(`method=${chosen}`));
    await page.goBack();
    await expect(page).toHaveURL(/method=grad-cam/);
    await expect(menu).toHaveValue('grad-cam');
    await page.goForward();
    await expect(menu).toHaveValue(chosen);
  });

  test('the PDF report has a summary page and one page per computed method; the summary PNG is made', async ({
    page,
  }) => {
    const x = new SharePage(page);
    await x.open(`?model=${MODEL}&sample=${FASHION}:0&method=saliency`);
    await x.waitDone({ method: 'saliency' });
    await x.method('gradient-x-input').click();
    await x.waitDone({ method: 'gradient-x-input' });
    const pdf = await x.download('pdf');
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = pdf.toString('latin1');
    expect(text.trimEnd().endsWith('%%EOF')).toBe(true);
    expect((text.match(/\/Type \/Page\b(?!s)/g) ?? []).length).toBe(1 + 2);
    const summary = await x.download('summary');
    expect([...summary.subarray(0, 8)]).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
    expect(summary.readUInt32BE(16)).toBe(1200); // IHDR width
  });
});
