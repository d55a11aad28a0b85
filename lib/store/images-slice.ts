/**
 * Images in the strip: the user's files (decoded in the worker; shown through a blob: URL the store owns
 * and revokes), samples of a bundled evaluation set, and images opened from an evaluation set.
 */
import type { ImageEntry } from './types';
import { errorText, withoutKeys, type Slice } from './slice';

export interface ImagesSlice {
  images: ImageEntry[];
  selectedImageId: string | null;
  /** Adds each file (one notice per file that cannot be read); the last one added is selected. */
  addImageFiles(files: File[]): Promise<void>;
  /** Adds the first `count` images of a bundled evaluation set. */
  addSamples(datasetId: string, count: number): Promise<void>;
  selectImage(id: string): void;
  /** Removes the image (worker, URL, its predictions); the neighbour is selected if it was selected. */
  removeImage(id: string): Promise<void>;
  /** Opens an image of an evaluation set in the image strip and selects it (with its true label when the set is loaded). */
  openDatasetImage(datasetId: string, index: number): Promise<string | null>;
}

export const createImagesSlice: Slice<ImagesSlice> = (set, get, deps) => ({
  images: [],
  selectedImageId: null,

  async addImageFiles(files) {
    const api = deps.service().api;
    get().setBusy('images', true);
    try {
      for (const file of files) {
        try {
          const bytes = await file.arrayBuffer();
          const meta = await api.addImage(bytes, file.name);
          const url = URL.createObjectURL(new Blob([bytes], { type: file.type || 'application/octet-stream' }));
          const entry: ImageEntry = { ...meta, url, origin: 'user' };
          set((s) => ({ images: [...s.images, entry], selectedImageId: entry.id }));
        } catch (e) {
          get().notify('error', `“${file.name}”: ${errorText(e)}`);
        }
      }
    } finally {
      get().setBusy('images', false);
    }
  },

  async addSamples(datasetId, count) {
    const ds = get().manifest?.datasets.find((d) => d.id === datasetId);
    if (!ds) return;
    const api = deps.service().api;
    try {
      const base = new URL(deps.manifestUrl, deps.pageUrl());
      const [imgRes, lblRes] = await Promise.all([
        deps.fetch(new URL(ds.imagesUrl, base)),
        deps.fetch(new URL(ds.labelsUrl, base)),
      ]);
      if (!imgRes.ok || !lblRes.ok) throw new Error('the evaluation set could not be fetched');
      const pixels = new Uint8Array(await imgRes.arrayBuffer());
      const labels = new Uint8Array(await lblRes.arrayBuffer());
      const size = ds.height * ds.width * ds.channels;
      const n = Math.min(count, ds.count);
      for (let i = 0; i < n; i++) {
        const label = ds.labels[labels[i] ?? 0] ?? '?';
        const name = `${ds.id} #${i} (${label})`;
        const slice = pixels.slice(i * size, (i + 1) * size);
        const meta = await api.addPixels(slice, ds.width, ds.height, ds.channels, name);
        const url = deps.pixelUrls.pixels(slice, ds.width, ds.height, ds.channels);
        set((s) => ({
          images: [
            ...s.images,
            { ...meta, url, origin: 'sample', sample: { datasetId: ds.id, index: i }, trueLabel: label },
          ],
        }));
      }
      if (!get().selectedImageId) set((s) => ({ selectedImageId: s.images[0]?.id ?? null }));
    } catch (e) {
      get().notify('error', `Samples could not be added: ${errorText(e)}`);
    }
  },

  selectImage(id) {
    if (get().images.some((i) => i.id === id)) set({ selectedImageId: id });
  },

  async removeImage(id) {
    const img = get().images.find((i) => i.id === id);
    if (!img) return;
    await deps
      .service()
      .api.removeImage(id)
      .catch(() => undefined);
    if (img.url.startsWith('blob:')) URL.revokeObjectURL(img.url);
    set((s) => {
      const images = s.images.filter((i) => i.id !== id);
      const idx = s.images.findIndex((i) => i.id === id);
      const selectedImageId =
        s.selectedImageId === id ? (images[Math.min(idx, images.length - 1)]?.id ?? null) : s.selectedImageId;
      return { images, selectedImageId, predictions: withoutKeys(s.predictions, (k) => k.includes(`|${id}|`)) };
    });
  },

  async openDatasetImage(datasetId, index) {
    try {
      const api = deps.service().api;
      const meta = await api.addDatasetImage(datasetId, index);
      const px = await api.datasetImage(datasetId, index);
      const url = deps.pixelUrls.rgba(px.data, px.width, px.height);
      const entry = get().datasets[datasetId];
      const k = entry?.labels[index];
      const trueLabel = k === undefined ? undefined : entry?.meta.labels[k];
      set((s) => ({
        images: [...s.images, { ...meta, url, origin: 'sample', sample: { datasetId, index }, trueLabel }],
        selectedImageId: meta.id,
      }));
      return meta.id;
    } catch (e) {
      get().notify('error', `The image could not be opened: ${errorText(e)}`);
      return null;
    }
  },
});
