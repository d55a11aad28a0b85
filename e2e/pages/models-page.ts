import { expect, type Page } from '@playwright/test';
import type { FilePayload } from '../fixtures/files';
import { DashboardPage } from './dashboard-page';

/** Page object of the Models view: the list, the drop zone / file picker, the details of the selected model. */
export class ModelsPage {
  private readonly app: DashboardPage;

  constructor(readonly page: Page) {
    this.app = new DashboardPage(page);
  }

  async open() {
    await this.app.open('/models');
    await expect(this.page.getByTestId('models.view')).toBeVisible();
  }

  /** Drops files on the model drop zone (as a browser's drag-and-drop does). */
  drop(files: FilePayload[]) {
    return this.app.dropFiles('model-loader.dropzone', files);
  }

  /** The "Format" line of the selected model's details (e.g. "ONNX (opset 17)"). */
  format() {
    return this.page.getByTestId('model.details.format');
  }

  row(id: string) {
    return this.page.locator(`[data-testid="models.row"][data-model-id="${id}"]`);
  }

  async rename(id: string, name: string) {
    await this.row(id).getByTestId('models.rename').click();
    await this.page.getByTestId('models.rename-input').fill(name);
    await this.page.getByTestId('models.rename-save').click();
    await expect(this.row(id)).toContainText(name);
  }
}
