import { expect, type Page } from '@playwright/test';
import type { FilePayload } from '../fixtures/files';

/** Shared actions of the dashboard shell: navigation, images, models, notices. */
export class DashboardPage {
  constructor(readonly page: Page) {}

  async open(path = '/') {
    await this.page.goto(path);
    await expect(this.page.getByTestId('backend.badge')).not.toHaveAttribute('data-backend', '');
  }

  /** Opens `/<view><query>` and waits for the view's root (`<view>.view`). */
  protected async openView(view: 'compare' | 'evaluate', query: string) {
    await this.open(`/${view}${query}`);
    await expect(this.page.getByTestId(`${view}.view`)).toBeVisible();
  }

  /** The active backend, once the worker has started one (the badge reads "Starting…" until then). */
  async backend() {
    const badge = this.page.getByTestId('backend.badge');
    await expect(badge).not.toHaveAttribute('data-backend', '');
    return badge.getAttribute('data-backend');
  }

  /** The backend badge (its `data-backend` names the active backend). */
  badge() {
    return this.page.getByTestId('backend.badge');
  }

  /** Top-k lists still waiting for their prediction. */
  predicting() {
    return this.page.getByText('Predicting…');
  }

  async addImages(files: FilePayload[]) {
    await this.page.getByTestId('images.input').setInputFiles(files);
  }

  thumbs() {
    return this.page.getByTestId('images.thumb');
  }

  async addSamples() {
    const before = await this.thumbs().count();
    await this.page.getByTestId('images.samples').click();
    await expect.poll(() => this.thumbs().count()).toBeGreaterThan(before);
  }

  /** Drops files on a drop zone the way a browser does (a DataTransfer with File objects). */
  async dropFiles(testId: string, files: FilePayload[]) {
    const payload = files.map((f) => ({ name: f.name, type: f.mimeType, data: Array.from(f.buffer) }));
    const dt = await this.page.evaluateHandle((items) => {
      const t = new DataTransfer();
      for (const it of items) t.items.add(new File([new Uint8Array(it.data)], it.name, { type: it.type }));
      return t;
    }, payload);
    await this.page.getByTestId(testId).dispatchEvent('drop', { dataTransfer: dt });
  }

  /** Pastes files as from the clipboard (a paste event carrying a DataTransfer). */
  async pasteFiles(files: FilePayload[]) {
    const payload = files.map((f) => ({ name: f.name, type: f.mimeType, data: Array.from(f.buffer) }));
    await this.page.evaluate((items) => {
      const t = new DataTransfer();
      for (const it of items) t.items.add(new File([new Uint8Array(it.data)], it.name, { type: it.type }));
      document.body.dispatchEvent(new ClipboardEvent('paste', { clipboardData: t, bubbles: true }));
    }, payload);
  }

  errorNotices() {
    return this.page.getByTestId('notice.error');
  }

  async expectError(re: RegExp) {
    await expect(this.errorNotices().filter({ hasText: re }).first()).toBeVisible();
  }

  /** Dismisses every notice (the first one each time: the list shrinks as they go). */
  async dismissNotices() {
    const dismiss = this.page.getByRole('button', { name: 'Dismiss' });
    for (let i = 0; i < 20 && (await dismiss.count()) > 0; i++) await dismiss.first().click();
  }

  topLabel() {
    return this.page.getByTestId('predictions.label').first();
  }
}
