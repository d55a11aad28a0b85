import { expect, type Page } from '@playwright/test';
import { hooks } from '../fixtures/test';
import type { FilePayload } from '../fixtures/files';
import { DashboardPage } from './dashboard-page';

/** What the page went through while a model loaded (see ModelsPage.loadWatched). */
export interface LoadWatch {
  id: string;
  /** File chosen → model listed and ready, ms. */
  loadMs: number;
  /**
   * Longest main-thread task while the model loaded — the progress bar below 1 (PerformanceObserver
   * 'longtask'; 0 when none ≥ 50 ms happened), ms.
   */
  longestTaskMs: number;
  /** Longest main-thread task after the load finished (the page showing the new model), ms. */
  longestTaskAfterMs: number;
  /** Longest gap between two animation frames of the page, ms. */
  longestFrameGapMs: number;
  /** Every distinct value the progress bar showed, in order (fractions in [0, 1]). */
  progress: number[];
  /** Main-thread tasks ≥ 50 ms: [start, duration] in ms since the file was chosen, and the progress then. */
  tasks: [number, number, number | undefined][];
}

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

  /** The user-loaded models the store lists. */
  async userModels() {
    return (await hooks(this.page, (w) => w.state().models)).filter((m) => m.source === 'user');
  }

  /** Waits until a user model not among `known` is listed and ready; returns its id. */
  async waitUserReady(known: readonly string[] = [], timeout = 120_000): Promise<string> {
    let id = '';
    await expect
      .poll(
        async () => {
          const fresh = (await this.userModels()).filter((m) => !known.includes(m.id));
          id = fresh.find((m) => m.status === 'ready')?.id ?? '';
          return fresh.map((m) => m.status).join(',') || 'none';
        },
        { timeout },
      )
      .toBe('ready');
    return id;
  }

  /** Chooses `files` in the file picker and waits until the new user model is ready; returns its id. */
  async load(files: FilePayload[]): Promise<string> {
    const known = (await this.userModels()).map((m) => m.id);
    await this.page.getByTestId('model-loader.input').setInputFiles(files);
    return this.waitUserReady(known);
  }

  /**
   * Chooses `paths` in the file picker and watches the page until the model is ready: long tasks on the
   * main thread, the longest gap between animation frames, and the progress bar's values (all recorded in
   * the page, so polling from here does not disturb them). The Models view must be open.
   */
  async loadWatched(paths: string[], known: readonly string[] = [], timeout = 180_000): Promise<LoadWatch> {
    await this.page.evaluate(() => {
      type Watch = {
        t0: number;
        gap: number;
        last: number;
        on: boolean;
        progress: number[];
        tasks: [number, number, number | undefined][];
      };
      const now = performance.now();
      const watch: Watch = { t0: now, gap: 0, last: now, on: true, progress: [], tasks: [] };
      (window as unknown as { __watch: Watch }).__watch = watch;
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) {
          if (!watch.on) continue;
          watch.tasks.push([Math.round(e.startTime - watch.t0), Math.round(e.duration), watch.progress.at(-1)]);
        }
      }).observe({ type: 'longtask' });
      const tick = (t: number) => {
        watch.gap = Math.max(watch.gap, t - watch.last);
        watch.last = t;
        const bar = document.querySelector<HTMLProgressElement>('[data-testid="model-loader.progress"] progress');
        if (bar && bar.value !== watch.progress.at(-1)) watch.progress.push(bar.value);
        if (watch.on) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    const t0 = Date.now();
    await this.page.evaluate(() => ((window as unknown as { __watch: { t0: number } }).__watch.t0 = performance.now()));
    await this.page.getByTestId('model-loader.input').setInputFiles(paths);
    const id = await this.waitUserReady(known, timeout);
    const loadMs = Date.now() - t0;
    const seen = await this.page.evaluate(() => {
      const w = window as unknown as {
        __watch: {
          gap: number;
          on: boolean;
          progress: number[];
          tasks: [number, number, number | undefined][];
        };
      };
      w.__watch.on = false;
      return w.__watch;
    });
    const longest = (tasks: typeof seen.tasks) => Math.max(0, ...tasks.map(([, d]) => d));
    return {
      id,
      loadMs,
      longestTaskMs: longest(seen.tasks.filter(([, , p]) => p === undefined || p < 1)),
      longestTaskAfterMs: longest(seen.tasks.filter(([, , p]) => p !== undefined && p >= 1)),
      longestFrameGapMs: seen.gap,
      progress: seen.progress,
      tasks: seen.tasks,
    };
  }
  /** Opens "Fine-tune a new head", picks `base`, sets epochs, gives `folder` (one sub-folder per class) and trains. */
  async trainHead(base: string, folder: string, epochs: number) {
    await this.page.getByTestId('fine-tune.open').click();
    await this.page.getByTestId('fine-tune.base').selectOption(base);
    await expect(this.page.getByTestId('fine-tune.cut')).toBeEnabled({ timeout: 60_000 });
    await this.page.getByTestId('fine-tune.epochs').fill(String(epochs));
    await this.page.getByTestId('fine-tune.folder').setInputFiles(folder);
    await this.page.getByTestId('fine-tune.train').click();
  }

  /** Waits for the fine-tuning result; returns the new model's id. */
  async headResult(timeout = 120_000): Promise<string> {
    const result = this.page.getByTestId('fine-tune.result');
    await expect(result).toBeVisible({ timeout });
    return (await result.getAttribute('data-model-id')) ?? '';
  }
}
