import type { ComponentType } from 'react';
import type { Analysis } from '@/lib/metrics';
import type { CostSettings, SavedScenario } from '@/lib/store';
import type { RuleId } from '@/lib/evaluate';
import type { GalleryItem } from './image-gallery';

/** View choices shared by the panels (not persisted with the cost settings). */
export interface EvaluateViewState {
  /** The rule the matrix, per-class table, costs and galleries show. */
  rule: RuleId;
  /** Which class an image opened in Explain is explained for. */
  explainWhich: 'predicted' | 'true';
  /** The scenario last applied (kept in the URL with the settings it set). */
  scenario?: SavedScenario | null;
}

/**
 * The one props contract of every Evaluate panel: the analysis under the current settings, the model's
 * classes, the settings and how to change them, the view choices, the evaluation set and how to open
 * one of its images in Explain.
 */
export interface EvaluatePanelProps {
  /** null when the settings cannot be applied to this model (only settings panels draw then). */
  analysis: Analysis | null;
  /** The model's own class names (settings work on the original, unmerged classes). */
  labels: readonly string[];
  settings: CostSettings;
  onChange: (patch: Partial<CostSettings>) => void;
  view: EvaluateViewState;
  onView: (patch: Partial<EvaluateViewState>) => void;
  /**
   * The evaluation set: its id and [N] true labels (original classes); with the model's own [N×K] posteriors
   * (before any temperature, priors or merges) and the model id when the evaluation is ready.
   */
  set: { id: string; labels: Int32Array; probs?: Float32Array; k: number; modelId?: string };
  onOpen: (item: GalleryItem) => void;
  /** How many training images each class had (the model's card), when it says: a priors preset. */
  trainingMix?: readonly number[];
}

/** A panel and whether it needs the analysis (settings panels stay usable when the analysis fails). */
export interface EvaluatePanel {
  id: string;
  Component: ComponentType<EvaluatePanelProps>;
  needsAnalysis: boolean;
}
