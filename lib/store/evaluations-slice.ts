/**
 * Evaluations: a model run over an evaluation set (once, cached per (model, set)), with progress, and
 * cancellation. Latest-wins per key: a cancel (or restart) during the model/set loading or the run itself
 * wins over whatever the older start later returns.
 */
import { proxy } from 'comlink';
import type { EvaluationState } from './types';
import { errorText, type Slice } from './slice';
import { isAbortError, latestWins } from './latest-wins';
import { loadTemperatures, saveTemperatures } from './cost-settings-temperature';

export const evaluationKey = (modelId: string, datasetId: string) => `${modelId}|${datasetId}`;

export interface EvaluationsSlice {
  /** key = evaluationKey(modelId, datasetId) */
  evaluations: Record<string, EvaluationState>;
  /** Runs (once, cached) `modelId` over `datasetId`; progress in `evaluations[key].progress`. */
  ensureEvaluation(modelId: string, datasetId: string): Promise<void>;
  /** Stops a running evaluation (in the worker too); its state goes back to idle. */
  cancelEvaluation(modelId: string, datasetId: string): void;
  /**
   * Temperature applied to a model's probabilities in every view (fitted in Evaluate's calibration
   * panel); absent = none. Persisted.
   */
  temperatures: Record<string, number>;
  /** Sets (or with null removes) the temperature of `modelId`. */
  setTemperature(modelId: string, t: number | null): void;
}

export const createEvaluationsSlice: Slice<EvaluationsSlice> = (set, get, deps) => {
  const runs = latestWins({
    prefix: 'eval:',
    onAbort: (t) => void Promise.resolve(deps.service().api.cancel(t.id)).catch(() => undefined),
  });
  return {
    evaluations: {},
    temperatures: loadTemperatures(deps.storage),

    setTemperature(modelId, t) {
      set((s) => {
        const temperatures = { ...s.temperatures };
        if (t === null) delete temperatures[modelId];
        else temperatures[modelId] = t;
        saveTemperatures(temperatures, deps.storage);
        return { temperatures };
      });
    },

    async ensureEvaluation(modelId, datasetId) {
      const key = evaluationKey(modelId, datasetId);
      const cur = get().evaluations[key];
      if (cur && (cur.status === 'ready' || cur.status === 'loading')) return;
      const ticket = runs.start(key);
      const setEval = (patch: Partial<EvaluationState>) => {
        if (!ticket.isLatest()) return;
        set((s) => ({
          evaluations: { ...s.evaluations, [key]: { status: 'loading', progress: 0, ...s.evaluations[key], ...patch } },
        }));
      };
      try {
        setEval({ status: 'loading', progress: 0, error: undefined });
        const okModel = await get().ensureModel(modelId);
        const okData = get().datasets[datasetId] ? true : await get().ensureDataset(datasetId);
        if (!ticket.isLatest()) return; // cancelled (or restarted) while the model or the set was loading
        if (!okModel || !okData) {
          setEval({
            status: 'error',
            error: okModel ? 'the evaluation set could not be loaded' : 'the model could not be loaded',
          });
          return;
        }
        const onProgress = proxy((f: number) => setEval({ progress: f }));
        const result = await deps.service().api.evaluate(ticket.id, modelId, datasetId, {}, onProgress);
        setEval({ status: 'ready', progress: 1, result });
      } catch (e) {
        const aborted = isAbortError(e);
        setEval({ status: aborted ? 'idle' : 'error', error: aborted ? undefined : errorText(e) });
      } finally {
        ticket.finish();
      }
    },

    cancelEvaluation(modelId, datasetId) {
      const key = evaluationKey(modelId, datasetId);
      const stopped = runs.cancel(key);
      if (!stopped && get().evaluations[key]?.status !== 'loading') return;
      set((s) => ({ evaluations: { ...s.evaluations, [key]: { status: 'idle', progress: 0 } } }));
    },
  };
};
