/**
 * Evaluation sets known to the page: bundled ones (fetched into the worker once; concurrent asks share
 * the fetch) and the user's labelled images (folder per class, zip, or images + CSV).
 */
import type { DatasetEntry } from './types';
import { busyAction, errorText, type Slice } from './slice';

export interface DatasetsSlice {
  datasets: Record<string, DatasetEntry>;
  /** Fetches a bundled evaluation set into the worker (once). */
  ensureDataset(datasetId: string): Promise<boolean>;
  /**
   * A user's labelled images (folder per class, zip, or images + CSV) for `modelId`'s labels. `paths`
   * (optional, same length as `files`) gives each file's relative path when the browser does not (a folder
   * dropped onto the page: its File objects have an empty webkitRelativePath).
   */
  addLabelledSet(files: File[], modelId: string, paths?: string[]): Promise<string | null>;
}

/** The set's name: the common top folder of the paths, else "<n> files". */
export function labelledSetName(paths: readonly string[]): string {
  const root = paths[0]?.split('/')[0];
  return root && paths.every((p) => p.startsWith(`${root}/`)) ? root : `${paths.length} files`;
}

export const createDatasetsSlice: Slice<DatasetsSlice> = (set, get, deps) => {
  const inflight = new Map<string, Promise<boolean>>();
  return {
    datasets: {},

    async ensureDataset(datasetId) {
      if (get().datasets[datasetId]) return true;
      const pending = inflight.get(datasetId);
      if (pending) return pending;
      const entry = get().manifest?.datasets.find((d) => d.id === datasetId);
      if (!entry) return false;
      const job = (async () => {
        try {
          const href = new URL(deps.manifestUrl, deps.pageUrl()).href;
          const { meta, labels } = await deps.service().api.loadBundledDataset(entry, href);
          set((s) => ({ datasets: { ...s.datasets, [datasetId]: { meta, labels } } }));
          return true;
        } catch (e) {
          get().notify('error', errorText(e));
          return false;
        } finally {
          inflight.delete(datasetId);
        }
      })();
      inflight.set(datasetId, job);
      return job;
    },

    async addLabelledSet(files, modelId, paths) {
      const info = get().models[modelId]?.info;
      if (!info) {
        get().notify('error', 'Load the model first: its class names decide how folders and CSV labels are matched.');
        return null;
      }
      return busyAction(get, 'labelledSet', async () => {
        const payload = await Promise.all(
          files.map(async (f, i) => ({
            path: paths?.[i] || f.webkitRelativePath || f.name,
            bytes: await f.arrayBuffer(),
          })),
        );
        const name = payload.length ? labelledSetName(payload.map((p) => p.path)) : `${files.length} files`;
        const { meta, labels, report } = await deps.service().api.addLabelledSet(name, payload, info.labels);
        set((s) => ({ datasets: { ...s.datasets, [meta.id]: { meta, labels, report } } }));
        return meta.id;
      });
    },
  };
};
