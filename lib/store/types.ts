import type { BackendReport, ImageMeta, Prediction, SavedModelMeta } from '@/lib/runtime/protocol';
import type { ManifestModel, Manifest, ModelInfo, ResizePolicy } from '@/lib/models/types';

export type LoadStatus = 'idle' | 'loading' | 'ready' | 'error';

/** A model the dashboard knows about: bundled (from the manifest) or the user's (files, URL, IndexedDB). */
export interface ModelEntry {
  id: string;
  name: string;
  source: 'bundled' | 'user';
  status: LoadStatus;
  info?: ModelInfo;
  error?: string;
  /** Bundled models only. */
  manifest?: ManifestModel;
  /** User models saved in IndexedDB. */
  saved?: SavedModelMeta;
}

export interface ImageEntry extends ImageMeta {
  /** blob: URL for display (owned by the store; revoked on removal). */
  url: string;
  /** Where it came from: a file the user gave, or a sample of a bundled set. */
  origin: 'user' | 'sample';
}

export interface Notice {
  id: number;
  kind: 'error' | 'info';
  text: string;
}

export interface PredictionState {
  status: LoadStatus;
  prediction?: Prediction;
  error?: string;
}

export interface DashboardState {
  backend: BackendReport | null;
  backendError: string | null;
  manifest: Manifest | null;
  models: Record<string, ModelEntry>;
  modelOrder: string[];
  selectedModelId: string | null;
  images: ImageEntry[];
  selectedImageId: string | null;
  resize: ResizePolicy | null;
  /** key = `${modelId}|${imageId}|${resize}` */
  predictions: Record<string, PredictionState>;
  notices: Notice[];
  busy: Record<string, boolean>;
}
