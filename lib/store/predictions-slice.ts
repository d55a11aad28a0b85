/**
 * Predictions per (model, image, resize policy), asked for once and kept; a failed one is asked again
 * on the next ensurePrediction. The resize policy chosen for all views lives here too.
 */
import type { ResizePolicy } from '@/lib/models/types';
import type { PredictionState } from './types';
import { errorText, type Slice } from './slice';
import { latestWins } from './latest-wins';

export const predictionKey = (modelId: string, imageId: string, resize: ResizePolicy | null) =>
  `${modelId}|${imageId}|${resize ?? 'default'}`;

export interface PredictionsSlice {
  resize: ResizePolicy | null;
  /** key = predictionKey(modelId, imageId, resize) */
  predictions: Record<string, PredictionState>;
  setResize(policy: ResizePolicy | null): void;
  /** Loads the model if needed and predicts, unless a prediction for the key is ready or on its way. */
  ensurePrediction(modelId: string, imageId: string): Promise<void>;
}

export const createPredictionsSlice: Slice<PredictionsSlice> = (set, get, deps) => {
  /** A result is committed only by the start that is still the latest for its key. */
  const starts = latestWins({ prefix: 'predict:' });
  return {
    resize: null,
    predictions: {},

    setResize(policy) {
      set({ resize: policy });
    },

    async ensurePrediction(modelId, imageId) {
      const resize = get().resize;
      const key = predictionKey(modelId, imageId, resize);
      const cur = get().predictions[key];
      if (cur && cur.status !== 'error') return;
      const ticket = starts.start(key);
      const put = (state: PredictionState) => {
        // The entry may have been dropped meanwhile (model settings changed, image removed): do not resurrect it.
        if (ticket.isLatest() && get().predictions[key])
          set((s) => ({ predictions: { ...s.predictions, [key]: state } }));
        ticket.finish();
      };
      set((s) => ({ predictions: { ...s.predictions, [key]: { status: 'loading' } } }));
      const ok = await get().ensureModel(modelId);
      if (!ok) return put({ status: 'error', error: 'model not loaded' });
      try {
        const prediction = await deps.service().api.predict(modelId, imageId, resize ?? undefined);
        put({ status: 'ready', prediction });
      } catch (e) {
        put({ status: 'error', error: errorText(e) });
      }
    },
  };
};
