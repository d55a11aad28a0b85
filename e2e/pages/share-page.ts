import { readFileSync } from 'node:fs';
import { ExplainPage } from './explain-page';

/** The Explain view as the sharing and report tests use it: the strip, the look controls, the exports. */
export class SharePage extends ExplainPage {
  /** Thumbnails of the image strip, in order. */
  thumbs() {
    return this.page.getByTestId('images.thumb');
  }

  /** A look control: colormap, opacity, clip, absolute, side-by-side, model-input. */
  look(name: 'colormap' | 'opacity' | 'clip' | 'absolute' | 'side-by-side' | 'model-input') {
    return this.page.getByTestId(`explain.look.${name}`);
  }

  /** The main colour bar of the Explain view. */
  colourBar() {
    return this.page.getByTestId('explain.legend').getByTestId('colour-bar');
  }

  /** Compare's method menu (the Compare view shares the address bar's history too). */
  compareMethod() {
    return this.page.getByTestId('compare.method');
  }

  /** Clicks an export button of the main panel and returns the downloaded file's bytes. */
  async download(kind: 'png' | 'npy' | 'json' | 'summary' | 'pdf'): Promise<Buffer> {
    const [file] = await Promise.all([
      this.page.waitForEvent('download'),
      this.page.getByTestId(`explain.export.${kind}`).click(),
    ]);
    return readFileSync(await file.path());
  }
}
