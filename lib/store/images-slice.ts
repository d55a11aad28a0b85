/**
 * Images in the strip: the user's files (decoded in the worker; shown through a blob: URL the store owns
 * and revokes), samples of a bundled evaluation set, and images opened from an evaluation set.
 */
import type { ImageEntry } from './types';
import { errorText, withoutKeys, type Slice } from './slice';

export interface ImagesSlice {
  images: ImageEntry[];
  selectedImageId: string | null;
  /** The sample shown on a first visit (an empty strip), removed as soon as the user adds images. */
  introImageId: string | null;
  /**
   * First visit: puts image 0 of a bundled set in an empty strip (and selects it) so the view shows an
   * explanation at once. Does nothing when the strip is not empty, before or after the fetch.
   */
  addIntroSample(datasetId: string): Promise<void>;
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

export const createImagesSlice: Slice<ImagesSlice> = (set, get, deps) => {
  /** Reads images [0, count) of a bundled set into the worker; the entries, not yet in the strip. */
  async function readSamples(datasetId: string, count: number): Promise<ImageEntry[]> {
    const ds = get().manifest?.datasets.find((d) => d.id === datasetId);
    if (!ds) return [];
    const api = deps.service().api;
    const base = new URL(deps.manifestUrl, deps.pageUrl());
    const [imgRes, lblRes] = await Promise.all([
      deps.fetch(new URL(ds.imagesUrl, base)),
      deps.fetch(new URL(ds.labelsUrl, base)),
    ]);
    if (!imgRes.ok || !lblRes.ok) throw new Error('the evaluation set could not be fetched');
    const pixels = new Uint8Array(await imgRes.arrayBuffer());
    const labels = new Uint8Array(await lblRes.arrayBuffer());
    const size = ds.height * ds.width * ds.channels;
    const out: ImageEntry[] = [];
    for (let i = 0; i < Math.min(count, ds.count); i++) {
      const label = ds.labels[labels[i] ?? 0] ?? '?';
      const slice = pixels.slice(i * size, (i + 1) * size);
      const meta = await api.addPixels(slice, ds.width, ds.height, ds.channels, `${ds.id} #${i} (${label})`);
      const url = deps.pixelUrls.pixels(slice, ds.width, ds.height, ds.channels);
      out.push({ ...meta, url, origin: 'sample', sample: { datasetId: ds.id, index: i }, trueLabel: label });
    }
    return out;
  }

  /** Counts the user's additions: a first-visit sample still on its way when one starts is not shown. */
  let userAdds = 0;
  /** User additions still reading their images (a restored strip on reload is one): no intro meanwhile. */
  let addsInFlight = 0;

  /** The user adds images: the first-visit sample makes room. */
  async function dropIntro(): Promise<void> {
    userAdds++;
    const id = get().introImageId;
    if (!id) return;
    set({ introImageId: null });
    await get().removeImage(id);
  }

  return {
    images: [],
    selectedImageId: null,
    introImageId: null,

    async addIntroSample(datasetId) {
      if (get().images.length > 0 || addsInFlight > 0) return;
      const adds = userAdds;
      try {
        const [entry] = await readSamples(datasetId, 1);
        if (!entry) return;
        if (get().images.length > 0 || userAdds !== adds || addsInFlight > 0) {
          await deps
            .service()
            .api.removeImage(entry.id)
            .catch(() => undefined);
          return;
        }
        set({ images: [entry], selectedImageId: entry.id, introImageId: entry.id });
      } catch (e) {
        get().notify('error', `The sample could not be shown: ${errorText(e)}`);
      }
    },

    async addImageFiles(files) {
      const api = deps.service().api;
      get().setBusy('images', true);
      addsInFlight++;
      try {
        await dropIntro();
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
        addsInFlight--;
        get().setBusy('images', false);
      }
    },

    async addSamples(datasetId, count) {
      if (!get().manifest?.datasets.some((d) => d.id === datasetId)) return;
      addsInFlight++;
      try {
        await dropIntro();
        const entries = await readSamples(datasetId, count);
        set((s) => ({ images: [...s.images, ...entries] }));
        if (!get().selectedImageId) set((s) => ({ selectedImageId: s.images[0]?.id ?? null }));
      } catch (e) {
        get().notify('error', `Samples could not be added: ${errorText(e)}`);
      } finally {
        addsInFlight--;
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
      await dropIntro();
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
  };
};
