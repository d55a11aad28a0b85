'use client';

import { useCallback, useEffect, useMemo, useState } from 'react';
import { useRouter } from 'next/navigation';
import { useDashboard } from '@/components/providers/dashboard-provider';
import { analyse, type Analysis } from '@/lib/metrics';
import { evaluationKey, defaultCostSettings, labelSetKey, type CostSettings, readView } from '@/lib/store';
import { useEvaluateUrl } from './use-evaluate-url';
import { effectiveRule, explainClass } from '@/lib/evaluate';
import type { DatasetOption } from './dataset-source';
import type { GalleryItem } from './image-gallery';
import type { EvaluateViewState } from './panel-contract';

const sameLabels = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((x, i) => x === b[i]);

/** The evaluation sets that fit the model: bundled ones with its classes, then the user's. */
function useDatasetOptions(labels: readonly string[] | undefined): DatasetOption[] {
  const manifest = useDashboard((s) => s.manifest);
  const datasets = useDashboard((s) => s.datasets);
  return useMemo(() => {
    if (!labels) return [];
    const bundled = (manifest?.datasets ?? [])
      .filter((d) => sameLabels(d.labels, labels))
      .map((d) => ({ id: d.id, name: `${d.name}`, source: 'bundled' as const }));
    const user = Object.values(datasets)
      .filter((d) => d.meta.source === 'user' && sameLabels(d.meta.labels, labels))
      .map((d) => ({ id: d.meta.id, name: `${d.meta.name} (${d.meta.count} images)`, source: 'user' as const }));
    return [...bundled, ...user];
  }, [manifest, datasets, labels]);
}

/**
 * Everything the Evaluate view shows, worked out once: model, the chosen set (else the model's own, else
 * the first that fits), its evaluation (started when missing), the cost settings for these classes and the
 * analysis under them, the view choices, and opening an image in Explain.
 */
export function useEvaluation() {
  const router = useRouter();
  const modelId = useDashboard((s) => s.selectedModelId);
  const modelStatus = useDashboard((s) => (modelId ? s.models[modelId]?.status : undefined));
  const modelName = useDashboard((s) => (modelId ? s.models[modelId]?.name : undefined));
  const info = useDashboard((s) => (modelId ? s.models[modelId]?.info : undefined));
  const manifestDatasetId = useDashboard((s) => (modelId ? s.models[modelId]?.manifest?.datasetId : undefined));
  const ensureEvaluation = useDashboard((s) => s.ensureEvaluation);
  const setCostSettings = useDashboard((s) => s.setCostSettings);
  const openDatasetImage = useDashboard((s) => s.openDatasetImage);
  const labels = info?.labels;

  // Client-only view (loaded with ssr: false), so window is there.
  const [chosen, setChosen] = useState<string | null>(() => readView('evaluate', window.location.search).dataset);
  const options = useDatasetOptions(labels);
  const fallback = options.find((o) => o.id === (info?.datasetId ?? manifestDatasetId))?.id ?? options[0]?.id ?? null;
  const datasetId = chosen && options.some((o) => o.id === chosen) ? chosen : fallback;
  const datasetName = options.find((o) => o.id === datasetId)?.name ?? datasetId ?? '';

  const key = modelId && datasetId ? evaluationKey(modelId, datasetId) : null;
  const ev = useDashboard((s) => (key ? s.evaluations[key] : undefined));
  useEffect(() => {
    if (modelId && datasetId && modelStatus === 'ready' && !ev) void ensureEvaluation(modelId, datasetId);
  }, [modelId, datasetId, modelStatus, ev, ensureEvaluation]);

  const stored = useDashboard((s) => (labels ? s.costSettings[labelSetKey(labels)] : undefined));
  const settings: CostSettings | null = useMemo(
    () => stored ?? (labels ? defaultCostSettings(labels.length) : null),
    [stored, labels],
  );
  const onChange = useCallback(
    (p: Partial<CostSettings>) => labels && setCostSettings(labels, p),
    [labels, setCostSettings],
  );

  const result = ev?.status === 'ready' ? ev.result : undefined;
  const temperature = useDashboard((s) => (modelId ? s.temperatures[modelId] : undefined));
  const computed = useMemo((): { analysis?: Analysis; error?: string } => {
    if (!result || !settings || !labels) return {};
    try {
      return {
        analysis: analyse({ probs: result.probs, labels: result.labels, classNames: labels, settings, temperature }),
      };
    } catch (e) {
      return { error: e instanceof Error ? e.message : String(e) };
    }
  }, [result, settings, labels, temperature]);

  const [view, setView] = useState<EvaluateViewState>({ rule: 'argmax', explainWhich: 'predicted' });
  const onView = useCallback((p: Partial<EvaluateViewState>) => setView((v) => ({ ...v, ...p })), []);

  useEvaluateUrl({ modelId, datasetId, labels, settings, view, onView, onSettings: onChange });

  const analysis = computed.analysis;
  const shownView = useMemo(() => ({ ...view, rule: effectiveRule(analysis ?? null, view.rule) }), [view, analysis]);
  const onOpen = useCallback(
    async (item: GalleryItem) => {
      if (!modelId || !datasetId || !result || !analysis) return;
      const cls = explainClass(
        result.probs,
        result.k,
        result.labels,
        analysis.mapping.members,
        item.index,
        item.decision,
        view.explainWhich,
      );
      const id = await openDatasetImage(datasetId, item.index);
      if (id) router.push(`/?model=${encodeURIComponent(modelId)}&class=${cls}`);
    },
    [modelId, datasetId, result, analysis, view.explainWhich, openDatasetImage, router],
  );

  return {
    modelId,
    modelName,
    modelStatus,
    labels,
    options,
    datasetId,
    datasetName,
    setDataset: setChosen,
    ev,
    result,
    settings,
    onChange,
    analysis,
    analysisError: computed.error,
    view: shownView,
    onView,
    onOpen,
  };
}

export type Evaluation = ReturnType<typeof useEvaluation>;
