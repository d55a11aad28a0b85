'use client';

import { useEffect, useMemo } from 'react';
import { useDashboard } from '@/components/providers/dashboard-provider';
import { Button } from '@/components/ui/button';
import { Panel } from '@/components/ui/panel';
import { ControlSelect } from './control-select';
import { InlineMessage } from '@/components/ui/alert';
import { evaluationKey, defaultCostSettings, labelSetKey } from '@/lib/store';
import { analyse, type Analysis } from '@/lib/metrics';
import {
  classDecisionReason,
  compareAnalyses,
  DECISION_RULES,
  isPlaceholderLabel,
  sameClasses,
  type DecisionRule,
  type SetComparison,
} from '@/lib/compare';
import { useCompare, useCompareApi } from './compare-context';
import { SetResults } from './set-results';

interface SetOption {
  id: string;
  name: string;
  labels: readonly string[];
}

/** The evaluation-set half: metrics of both, McNemar, confusion matrices, per-class deltas, regressions / fixes. */
export function SetCompare() {
  const store = useCompareApi();
  const a = useCompare((s) => s.slots.a.modelId);
  const b = useCompare((s) => s.slots.b.modelId);
  const datasetId = useCompare((s) => s.datasetId);
  const rule = useCompare((s) => s.rule);
  const infoA = useDashboard((s) => (a ? s.models[a]?.info : undefined));
  const infoB = useDashboard((s) => (b ? s.models[b]?.info : undefined));
  const manifest = useDashboard((s) => s.manifest);
  const datasets = useDashboard((s) => s.datasets);
  const ensureEvaluation = useDashboard((s) => s.ensureEvaluation);
  const cancelEvaluation = useDashboard((s) => s.cancelEvaluation);

  const options = useMemo((): SetOption[] => {
    const out: SetOption[] = (manifest?.datasets ?? []).map((d) => ({ id: d.id, name: d.name, labels: d.labels }));
    for (const d of Object.values(datasets))
      if (d.meta.source === 'user') out.push({ id: d.meta.id, name: d.meta.name, labels: d.meta.labels });
    return out;
  }, [manifest, datasets]);

  // Default set: the one both models declare (else A's, else B's).
  useEffect(() => {
    if (datasetId || !infoA || !infoB) return;
    const declared = infoA.datasetId === infoB.datasetId ? infoA.datasetId : (infoA.datasetId ?? infoB.datasetId);
    if (declared) store.getState().setDataset(declared);
  }, [datasetId, infoA, infoB, store]);

  const option = options.find((o) => o.id === datasetId);
  const classesMatch = !!infoA && !!infoB && sameClasses(infoA.labels, infoB.labels);
  const setMatches = !!option && !!infoA && sameClasses(option.labels, infoA.labels);
  // Regression and multi-label models make no class decisions: no accuracy, confusion or McNemar to pair.
  const noDecisions = (infoA && classDecisionReason('A', infoA)) || (infoB && classDecisionReason('B', infoB)) || null;
  const runnable = !!a && !!b && !!datasetId && classesMatch && setMatches && !noDecisions;

  useEffect(() => {
    if (!runnable || !a || !b || !datasetId) return;
    void ensureEvaluation(a, datasetId).then(() => ensureEvaluation(b, datasetId));
  }, [runnable, a, b, datasetId, ensureEvaluation]);

  const evalA = useDashboard((s) => (a && datasetId ? s.evaluations[evaluationKey(a, datasetId)] : undefined));
  const evalB = useDashboard((s) => (b && datasetId ? s.evaluations[evaluationKey(b, datasetId)] : undefined));
  const storedCost = useDashboard((s) => (infoA ? s.costSettings[labelSetKey(infoA.labels)] : undefined));
  const settings = useMemo(
    () => storedCost ?? (infoA ? defaultCostSettings(infoA.labels.length) : null),
    [storedCost, infoA],
  );

  const tA = useDashboard((s) => (a ? s.temperatures[a] : undefined));
  const tB = useDashboard((s) => (b ? s.temperatures[b] : undefined));
  const computed = useMemo((): { cmp: SetComparison; analysisA: Analysis } | { error: string } | null => {
    const ra = evalA?.result;
    const rb = evalB?.result;
    if (!runnable || !ra || !rb || !infoA || !settings) return null;
    try {
      const names = infoA.labels;
      const analysisA = analyse({ probs: ra.probs, labels: ra.labels, classNames: names, settings, temperature: tA });
      const analysisB = analyse({ probs: rb.probs, labels: rb.labels, classNames: names, settings, temperature: tB });
      return { cmp: compareAnalyses(analysisA, analysisB, rule), analysisA };
    } catch (e) {
      return { error: e instanceof Error ? e.message : String(e) };
    }
  }, [runnable, evalA, evalB, infoA, settings, rule, tA, tB]);

  const progressA = evalA?.status === 'loading' ? evalA.progress : null;
  const progressB = evalB?.status === 'loading' ? evalB.progress : null;
  const running = progressA !== null || progressB !== null;

  return (
    <section className="flex flex-col gap-4" aria-label="On the evaluation set" data-testid="compare.set">
      <Panel title="On the evaluation set">
        <div className="flex flex-wrap items-end gap-4">
          <ControlSelect
            label="Evaluation set"
            fieldClassName="max-w-full min-w-0"
            data-testid="compare.dataset"
            value={datasetId ?? ''}
            onChange={(e) => store.getState().setDataset(e.target.value || null)}
            className="max-w-full min-w-0 sm:min-w-56"
            options={options.map((o) => ({ value: o.id, label: o.name }))}
          >
            {!datasetId && <option value="">Choose a set…</option>}
          </ControlSelect>
          <ControlSelect
            label="Decision"
            data-testid="compare.rule"
            value={rule}
            onChange={(e) => store.getState().setRule(e.target.value as DecisionRule)}
            options={DECISION_RULES}
          />
          {running && (
            <div role="status" className="flex items-center gap-3 text-sm" data-testid="compare.eval.progress">
              <span className="tabular-nums">
                Evaluating… A {Math.round((progressA ?? (evalA?.status === 'ready' ? 1 : 0)) * 100)}% · B{' '}
                {Math.round((progressB ?? (evalB?.status === 'ready' ? 1 : 0)) * 100)}%
              </span>
              <Button
                variant="ghost"
                onClick={() => {
                  if (a && datasetId) cancelEvaluation(a, datasetId);
                  if (b && datasetId) cancelEvaluation(b, datasetId);
                }}
              >
                Cancel
              </Button>
            </div>
          )}
          {!running && runnable && (evalA?.status === 'idle' || evalB?.status === 'idle') && (
            <Button
              onClick={() =>
                a && b && datasetId && void ensureEvaluation(a, datasetId).then(() => ensureEvaluation(b, datasetId))
              }
            >
              Evaluate both
            </Button>
          )}
        </div>
        <p className="mt-2 text-xs text-fg-subtle">
          Costs and class priors are the ones set in the Evaluate view for these classes
          {storedCost ? '' : ' (none set: every mistake costs 1, no prior shift)'}.
        </p>
        {noDecisions && (
          <InlineMessage role="status" tone="warn" className="mt-2 text-sm" data-testid="compare.set.unavailable">
            {noDecisions}: accuracy, confusion matrices, McNemar’s test and the regressions list compare class
            decisions, so they are not shown. The single-image comparison above still works.
          </InlineMessage>
        )}
        {!noDecisions && infoA && infoB && !classesMatch && (
          <InlineMessage role="alert" tone="warn" className="mt-2 text-sm" data-testid="compare.set.unpaired">
            {[...infoA.labels, ...infoB.labels].some(isPlaceholderLabel)
              ? 'A or B has no class names (only “class 1”, “class 2”, …), so its classes cannot be paired with the other model’s. Give it its labels under Models → Settings.'
              : 'A and B name different classes, so their results on a set cannot be paired.'}{' '}
            The single-image comparison above still works.
          </InlineMessage>
        )}
        {!noDecisions && classesMatch && option && !setMatches && (
          <InlineMessage role="alert" tone="warn" className="mt-2 text-sm">
            “{option.name}” is labelled with other classes than these models predict. Choose a set made for them.
          </InlineMessage>
        )}
        {(evalA?.status === 'error' || evalB?.status === 'error') && (
          <InlineMessage role="alert" tone="error" className="mt-2 text-sm">
            Evaluation failed: {evalA?.error ?? evalB?.error}
          </InlineMessage>
        )}
        {computed && 'error' in computed && (
          <InlineMessage role="alert" tone="error" className="mt-2 text-sm">
            {computed.error}
          </InlineMessage>
        )}
      </Panel>
      {computed && 'cmp' in computed && <SetResults cmp={computed.cmp} datasetId={datasetId as string} />}
    </section>
  );
}
