'use client';

import { useEffect, useRef } from 'react';
import { useDashboard } from '@/components/providers/dashboard-provider';
import { decisionsPatch, decisionsUrlState, readView, writeView, type CostSettings } from '@/lib/store';
import type { EvaluateViewState } from './panel-contract';

/**
 * The Evaluate URL: ?model= is read once when the models are known; the decision settings (cost, priors,
 * merges, rule, operating point, scenario) once the model's classes are known (they override the stored
 * ones); then model, set and settings are written back as they change (replaceState).
 */
export function useEvaluateUrl({
  modelId,
  datasetId,
  labels,
  settings,
  view,
  onView,
  onSettings,
}: {
  modelId: string | null;
  datasetId: string | null;
  labels: readonly string[] | undefined;
  settings: CostSettings | null;
  view: EvaluateViewState;
  onView: (p: Partial<EvaluateViewState>) => void;
  onSettings: (p: Partial<CostSettings>) => void;
}) {
  const modelOrder = useDashboard((s) => s.modelOrder);
  // Saved user models are listed after the bundled ones: a link to one waits for that list.
  const listed = useDashboard((s) => s.modelsListed);
  const selectModel = useDashboard((s) => s.selectModel);
  const notify = useDashboard((s) => s.notify);
  const modelRead = useRef(false);
  const decisionsRead = useRef(false);
  useEffect(() => {
    if (modelRead.current || modelOrder.length === 0) return;
    const m = readView('evaluate', window.location.search).model;
    if (m && !modelOrder.includes(m) && !listed) return; // maybe a saved model, not listed yet
    modelRead.current = true;
    if (m && modelOrder.includes(m)) void selectModel(m);
    else if (m)
      notify(
        'error',
        `The model “${m.slice(0, 80)}” in the link is not available here (not bundled and not saved in this browser).`,
      );
  }, [modelOrder, listed, selectModel, notify]);
  useEffect(() => {
    if (decisionsRead.current || !labels || !settings) return;
    const url = readView('evaluate', window.location.search);
    if (url.model && url.model !== modelId) return; // wait for the linked model
    decisionsRead.current = true;
    const got = decisionsPatch(url, labels.length, settings.scenarios ?? []);
    if (got) {
      onSettings(got.patch);
      if (got.refused.length > 0)
        notify(
          'info',
          `The link's ${got.refused.join(', ')} did not fit this model's ${labels.length} classes; kept the saved ones.`,
        );
    }
    if (url.rule || url.scenario) onView({ ...(url.rule ? { rule: url.rule } : {}), scenario: url.scenario });
  }, [labels, settings, modelId, onSettings, onView, notify]);
  useEffect(() => {
    if (!modelId || !datasetId || !settings || !decisionsRead.current) return;
    const q = writeView(
      'evaluate',
      { model: modelId, dataset: datasetId, ...decisionsUrlState(settings, view.rule, view.scenario ?? null) },
      window.location.search,
    );
    if (q === window.location.search.replace(/^\?/, '')) return;
    window.history.replaceState(window.history.state, '', `${window.location.pathname}?${q}`);
  }, [modelId, datasetId, settings, view.rule, view.scenario]);
}
