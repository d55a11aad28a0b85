'use client';

import { useEffect, useMemo } from 'react';
import { useDashboard } from '@/components/providers/dashboard-provider';
import { evaluationKey, labelSetKey, defaultCostSettings } from '@/lib/store';
import { costFacts, setFacts, type CostFacts, type SetFacts } from '@/lib/explain-view';
import { Button } from '@/components/ui/button';
import { pct } from '@/lib/format';
import { decisionPanelsUnavailable, explainedScoreText } from '@/lib/models';
import { applyTemperature } from '@/lib/metrics';

const num = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(0) : x.toFixed(3));

/** The decision facts as plain sentences (also used by the summary PNG). */
export function decisionSentences(
  label: (k: number) => string,
  decision: number,
  set: SetFacts | null,
  cost: CostFacts | null,
  datasetName: string,
): string[] {
  const out: string[] = [];
  if (set) {
    out.push(
      set.precision === null
        ? `On ${datasetName} the model never predicts ${label(decision)}.`
        : `When the model predicts ${label(decision)} on ${datasetName}, it is right ${pct(set.precision)} of the time (${set.correct} of ${set.predicted}).`,
    );
    if (set.confusions.length)
      out.push(
        `Its mistakes for ${label(decision)} are mostly: ${set.confusions.map((c) => `${label(c.trueClass)} (${c.count})`).join(', ')}.`,
      );
  }
  if (cost) {
    out.push(
      `Expected cost of deciding ${label(decision)} for this image: ${num(cost.expectedCost)}${cost.reweighted ? ' (posterior re-weighted to your priors)' : ''}.`,
    );
    if (cost.bestDecision !== decision)
      out.push(`Least expected cost: ${label(cost.bestDecision)} (${num(cost.bestCost)}).`);
  }
  return out;
}

/** Computes the facts for the panel and the summary (evaluation started lazily by the panel). */
export function useDecisionFacts(modelId: string | null, decision: number | null, posterior: Float32Array | undefined) {
  const info = useDashboard((s) => (modelId ? s.models[modelId]?.info : undefined));
  const datasetId = useDashboard((s) =>
    modelId ? (s.models[modelId]?.info?.datasetId ?? s.models[modelId]?.manifest?.datasetId) : undefined,
  );
  const evaluation = useDashboard((s) =>
    modelId && datasetId ? s.evaluations[evaluationKey(modelId, datasetId)] : undefined,
  );
  const datasetName = useDashboard((s) =>
    datasetId ? (s.manifest?.datasets.find((d) => d.id === datasetId)?.name ?? datasetId) : '',
  );
  const labels = info?.labels;
  const stored = useDashboard((s) => (labels ? s.costSettings[labelSetKey(labels)] : undefined));
  const result = evaluation?.status === 'ready' ? evaluation.result : undefined;
  // Regression / multi-label: no one-class decision, so no set facts and no cost (also not in the summary).
  const single = info ? decisionPanelsUnavailable(info.outputKind) === null : false;
  const set = useMemo(() => {
    if (!single || !result || decision === null || !labels || result.k !== labels.length) return null;
    try {
      return setFacts(result.probs, result.labels, result.k, decision);
    } catch {
      return null;
    }
  }, [single, result, decision, labels]);
  const temperature = useDashboard((s) => (modelId ? s.temperatures[modelId] : undefined));
  const cost = useMemo(() => {
    if (!single || !posterior || decision === null || !labels) return { facts: null, error: null as string | null };
    const settings = stored ?? defaultCostSettings(labels.length);
    try {
      const p = temperature ? applyTemperature(posterior, posterior.length, temperature) : posterior;
      return { facts: costFacts(p, labels, settings.matrix, settings.priors, decision), error: null };
    } catch (e) {
      return { facts: null, error: e instanceof Error ? e.message : String(e) };
    }
  }, [single, posterior, decision, labels, stored, temperature]);
  return {
    info,
    datasetId,
    datasetName,
    evaluation,
    set,
    cost: cost.facts,
    costError: cost.error,
    custom: stored !== undefined,
  };
}

export function DecisionPanel({
  modelId,
  decision,
  posterior,
}: {
  modelId: string | null;
  decision: number | null;
  posterior: Float32Array | undefined;
}) {
  const ensureEvaluation = useDashboard((s) => s.ensureEvaluation);
  const cancelEvaluation = useDashboard((s) => s.cancelEvaluation);
  const ready = useDashboard((s) => (modelId ? s.models[modelId]?.status === 'ready' : false));
  const { info, datasetId, datasetName, evaluation, set, cost, costError, custom } = useDecisionFacts(
    modelId,
    decision,
    posterior,
  );
  const status = evaluation?.status;
  const unavailable = info ? decisionPanelsUnavailable(info.outputKind) : null;

  useEffect(() => {
    if (!modelId || !datasetId || !ready || status || unavailable) return;
    // Lazily, a moment after the view settles, so the first explanation is not slowed down.
    const t = setTimeout(() => void ensureEvaluation(modelId, datasetId), 1500);
    return () => clearTimeout(t);
  }, [modelId, datasetId, ready, status, unavailable, ensureEvaluation]);

  if (!info || decision === null) return <p className="text-sm text-fg-subtle">Waiting for a prediction…</p>;
  const label = (k: number) => info.labels[k] ?? `class ${k}`;
  if (unavailable) {
    const k = info.outputShape[1] ?? info.numClasses;
    return (
      <div className="flex flex-col gap-2 text-sm" data-testid="explain.decision">
        <p data-testid="explain.decision.unavailable" data-output-kind={info.outputKind}>
          {unavailable}
        </p>
        <p className="text-xs text-fg-subtle">
          The methods explain {explainedScoreText(info.outputKind, k, decision, label(decision), info.unit)}.
        </p>
      </div>
    );
  }
  const sentences = decisionSentences(label, decision, set, cost, datasetName);

  return (
    <div className="flex flex-col gap-2 text-sm" data-testid="explain.decision">
      {!datasetId && (
        <p className="text-fg-subtle">This model has no bundled evaluation set; add one in the Evaluate view.</p>
      )}
      {datasetId && (!status || status === 'loading') && (
        <div role="status" className="flex items-center gap-2 text-fg-muted">
          <span>Evaluating the model on {datasetName}…</span>
          {evaluation && (
            <progress max={1} value={evaluation.progress} aria-label="Evaluation progress" className="h-2 w-24" />
          )}
          {status === 'loading' && (
            <Button variant="ghost" onClick={() => modelId && cancelEvaluation(modelId, datasetId)}>
              Stop
            </Button>
          )}
        </div>
      )}
      {status === 'idle' && datasetId && modelId && (
        <Button onClick={() => void ensureEvaluation(modelId, datasetId)}>Evaluate on {datasetName}</Button>
      )}
      {status === 'error' && (
        <p role="alert" className="text-danger">
          The evaluation failed: {evaluation?.error}
        </p>
      )}
      <ul className="flex flex-col gap-1.5" data-testid="explain.decision.facts">
        {sentences.map((s, i) => (
          <li key={i} className="leading-snug">
            {s}
          </li>
        ))}
      </ul>
      {set && (
        <p
          className="text-xs text-fg-subtle tabular-nums"
          data-testid="explain.decision.precision"
          data-precision={set.precision ?? ''}
        >
          Precision {set.precision === null ? '—' : pct(set.precision)} on {set.n} images
        </p>
      )}
      {costError && (
        <p role="alert" className="text-danger">
          The cost settings cannot be used: {costError}
        </p>
      )}
      <p className="text-xs text-fg-subtle">
        {custom
          ? 'Costs and priors from the Evaluate view.'
          : 'Every mistake costs 1 (set costs and priors in the Evaluate view).'}
      </p>
    </div>
  );
}
