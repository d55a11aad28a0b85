import type { DatasetMeta, EvaluationResult, ImageMeta, Prediction, SavedModelMeta } from '@/lib/runtime/protocol';
import type { LabelledSetReport } from '@/lib/datasets';
import type { ManifestModel, ModelInfo } from '@/lib/models/types';
import type { CostValues } from '@/lib/metrics';

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
  /** User models: settings nobody gave, which we assumed (shown so the user can correct them). */
  inferred?: string[];
}

export interface ImageEntry extends ImageMeta {
  /** blob: URL for display (owned by the store; revoked on removal). */
  url: string;
  /** Where it came from: a file the user gave, or a sample of a bundled set. */
  origin: 'user' | 'sample';
  /** Where a sample came from in a bundled evaluation set (lets a view put it in a shareable URL). */
  sample?: { datasetId: string; index: number };
  /** The image's true class name when known (bundled samples, images opened from an evaluation set). */
  trueLabel?: string;
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

export interface DatasetEntry {
  meta: DatasetMeta;
  /** True labels [n]. */
  labels: Int32Array;
  /** User sets: what was found, matched, and left out. */
  report?: LabelledSetReport;
}

export interface EvaluationState {
  status: LoadStatus;
  /** Fraction done in [0, 1] while loading. */
  progress: number;
  result?: EvaluationResult;
  error?: string;
}

/**
 * What the user decided about costs for one label set (shared by Evaluate, Explain and Compare, persisted
 * in localStorage): the K×K cost matrix (rows = true class, cols = decision), the class priors expected in
 * use (null = the evaluation set's own frequencies, i.e. no re-weighting), and class merges.
 */
export interface CostSettings {
  /** Dense K×K (K ≤ MAX_COST_MATRIX_CLASSES, from the editor or a file) or the 0/1 rule with sparse overrides. */
  matrix: CostValues;
  priors: number[] | null;
  merges: number[][];
  /** One-vs-rest threshold on an original class (Evaluate's operating point); absent/null = none. */
  operatingPoint?: { positive: number; threshold: number } | null;
  /** Named scenarios saved for this label set (lib/evaluate/scenario). */
  scenarios?: SavedScenario[];
}

/** "A missed X costs N× a false alarm; X is p % of cases", saved under a name (lib/evaluate/scenario). */
export interface SavedScenario {
  name: string;
  /** Original class index of X. */
  positive: number;
  /** N ≥ 0: the cost of a missed X in false alarms. */
  missCost: number;
  /** p ∈ [0, 1]: the share of X in use. */
  prevalence: number;
}
